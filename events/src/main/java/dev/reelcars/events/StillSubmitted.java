package dev.reelcars.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A film still accepted by ingest, keyed by {@code stillId} on the stills topic.
 *
 * <p>The image itself is never in the event: {@code blobKey} is its sha-256 in the blob store (claim check).
 * {@code duplicateOf} names the first submission of the same shot when ingest recognised a near-duplicate, so a
 * repeated shot never counts as independent evidence. Optional fields are null when absent.
 *
 * <p>Version 2 adds {@code filmRange}: for a still that stands for an appearance found by a film scan (identify's
 * film lane), the scanned film and the appearance's in and out times; null for every other still. Version 1 records
 * read with it null; a reader that only knows version 1 dead-letters a version 2 record.
 *
 * @param timecode where in the film the still was taken (for a film scan's appearance: its best frame)
 * @param filmRange the film scan's appearance this still stands for, or null
 */
public record StillSubmitted(
        int schemaVersion,
        String stillId,
        String blobKey,
        String contentType,
        int width,
        int height,
        String film,
        Integer year,
        String timecode,
        String note,
        String contributor,
        String clipId,
        String duplicateOf,
        Instant submittedAt,
        FilmRange filmRange) implements Event {

    public static final int CURRENT_VERSION = 2;

    /** A still without a film range (any still but a film scan's appearance). */
    public StillSubmitted(int schemaVersion, String stillId, String blobKey, String contentType, int width, int height,
            String film, Integer year, String timecode, String note, String contributor, String clipId,
            String duplicateOf, Instant submittedAt) {
        this(schemaVersion, stillId, blobKey, contentType, width, height, film, year, timecode, note, contributor,
                clipId, duplicateOf, submittedAt, null);
    }

    public StillSubmitted {
        Ids.require(stillId, "stillId");
        BlobKeys.require(blobKey);
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(submittedAt, "submittedAt");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("width and height must be positive, got " + width + "x" + height);
        }
    }

    @Override
    public String key() {
        return stillId;
    }

    /**
     * Where in a scanned film an appearance is: the film's id ({@code film-…}, {@link FilmSubmitted}) and the
     * appearance's in and out times in seconds from the film's start.
     */
    public record FilmRange(String filmId, double inSeconds, double outSeconds) {
        public FilmRange {
            Ids.require(filmId, "filmId");
            if (!(inSeconds >= 0) || !(outSeconds >= inSeconds) || Double.isInfinite(outSeconds)) {
                throw new IllegalArgumentException("a film range needs 0 <= in <= out, got " + inSeconds + ".."
                        + outSeconds);
            }
        }
    }
}
