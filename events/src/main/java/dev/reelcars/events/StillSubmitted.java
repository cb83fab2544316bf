package dev.reelcars.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A film still accepted by ingest, keyed by {@code stillId} on the stills topic.
 *
 * <p>The image itself is never in the event: {@code blobKey} is its sha-256 in the blob store (claim check).
 * {@code duplicateOf} names the first submission of the same shot when ingest recognised a near-duplicate, so a
 * repeated shot never counts as independent evidence. Optional fields are null when absent.
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
        Instant submittedAt) implements Event {

    public static final int CURRENT_VERSION = 1;

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
}
