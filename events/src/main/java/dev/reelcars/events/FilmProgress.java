package dev.reelcars.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A film scan's state and checkpoint, keyed by {@code filmId} on the compacted film-progress topic. identify writes
 * it in the same Kafka transaction as the appearances closed since the last one, so a checkpoint never claims an
 * appearance that was not published, and a restarted scan resumes at {@code nextFrame} with the appearances that
 * were still open ({@code open}) instead of from the start.
 *
 * @param status {@value #QUEUED}, {@value #RUNNING}, {@value #PAUSED}, {@value #CANCELLED}, {@value #DONE} or
 *     {@value #FAILED}
 * @param filmSeconds the film's length from ffprobe (0 when unknown)
 * @param fps frames sampled per film second
 * @param framesTotal the frames the whole film will give at {@code fps} (estimated from its length; 0 when unknown)
 * @param nextFrame the first sampled frame not yet covered by this checkpoint: frames before it are matched, merged
 *     and their closed appearances published
 * @param framesMatched frames that went to the matcher (near-identical frames take the last answer instead)
 * @param framesIdentified frames with at least one identification
 * @param appearances appearances published so far
 * @param open appearances still open at {@code nextFrame} (they may go on in the next frames)
 * @param resumedFromFrame the frame the latest run started from: 0 for a scan that never stopped
 * @param etaSeconds wall-clock seconds left at this run's pace (0 when finished or not yet known)
 * @param message why a scan failed, or what a stopped one said
 * @param segment the part of the film this checkpoint is about (its frame range), or null for a checkpoint of the
 *     whole film (written before films were cut into segments); a film's view is {@link FilmScans#combine} of its
 *     segments' latest checkpoints
 * @param lastMatch the last frame before {@code nextFrame} that went to the matcher and what it identified, so a
 *     resumed scan skips near-identical frames exactly as the uninterrupted one would have (null: none yet)
 */
public record FilmProgress(
        int schemaVersion,
        String filmId,
        String status,
        double filmSeconds,
        double fps,
        long framesTotal,
        long nextFrame,
        long framesMatched,
        long framesIdentified,
        int appearances,
        List<OpenAppearance> open,
        long resumedFromFrame,
        double etaSeconds,
        String message,
        String worker,
        Instant updatedAt,
        Segment segment,
        LastMatch lastMatch) implements Event {

    public static final int CURRENT_VERSION = 1;
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String PAUSED = "paused";
    public static final String CANCELLED = "cancelled";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    private static final Set<String> STATUSES = Set.of(QUEUED, RUNNING, PAUSED, CANCELLED, DONE, FAILED);

    public FilmProgress {
        Ids.require(filmId, "filmId");
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + STATUSES + ", got " + status);
        }
        if (nextFrame < 0 || framesMatched < 0 || framesIdentified < 0 || appearances < 0 || resumedFromFrame < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        open = open == null ? List.of() : List.copyOf(open);
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A checkpoint of a whole film (no segment, no last match): as written before films were cut into segments. */
    public FilmProgress(int schemaVersion, String filmId, String status, double filmSeconds, double fps,
            long framesTotal, long nextFrame, long framesMatched, long framesIdentified, int appearances,
            List<OpenAppearance> open, long resumedFromFrame, double etaSeconds, String message, String worker,
            Instant updatedAt) {
        this(schemaVersion, filmId, status, filmSeconds, fps, framesTotal, nextFrame, framesMatched, framesIdentified,
                appearances, open, resumedFromFrame, etaSeconds, message, worker, updatedAt, null, null);
    }

    /** The same checkpoint with another status (a scan let go as paused, cancelled or failed before it ran). */
    public FilmProgress withStatus(String newStatus, String newMessage, String byWorker, Instant at) {
        return new FilmProgress(schemaVersion, filmId, newStatus, filmSeconds, fps, framesTotal, nextFrame,
                framesMatched, framesIdentified, appearances, open, resumedFromFrame, 0, newMessage, byWorker, at,
                segment, lastMatch);
    }

    /** Whether the scan has ended for good (a paused one has not). */
    @JsonIgnore
    public boolean finished() {
        return status.equals(DONE) || status.equals(CANCELLED) || status.equals(FAILED);
    }

    /** Share of the film's frames covered, 0..100 (100 once done). */
    @JsonIgnore
    public double percent() {
        if (status.equals(DONE)) {
            return 100;
        }
        return framesTotal <= 0 ? 0 : Math.min(100, 100.0 * nextFrame / framesTotal);
    }

    /**
     * An appearance not yet closed at a checkpoint: what the merger needs to go on with it.
     *
     * @param start the first supporting frame's time in film seconds
     * @param last the latest supporting frame's time
     * @param best the time of its highest-scoring frame (the evidence reviewers see)
     */
    public record OpenAppearance(String label, double start, double last, int frames, double score, double best) {
    }

    /**
     * One of the {@code count} parts a film is cut into so that several identify instances scan it at once: the
     * sampled frames {@code startFrame} (inclusive) to {@code endFrame} (exclusive). The last segment goes on to the
     * film's end whatever {@code endFrame} says (the planned length is an estimate from ffprobe).
     */
    public record Segment(int index, int count, long startFrame, long endFrame) {
        public Segment {
            if (count < 1 || index < 0 || index >= count || startFrame < 0 || endFrame < startFrame) {
                throw new IllegalArgumentException("segment " + index + " of " + count + " with frames " + startFrame
                        + ".." + endFrame + " is impossible");
            }
        }

        @JsonIgnore
        public boolean last() {
            return index == count - 1;
        }
    }

    /** The last frame that went to the matcher, and the labels it identified with their confidence. */
    public record LastMatch(long frame, Map<String, Double> labels) {
        public LastMatch {
            if (frame < 0) {
                throw new IllegalArgumentException("frame must not be negative");
            }
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }

    /** The compacted topic's key: the film's id, and the segment's number for a segment's checkpoint. */
    public static String key(String filmId, Segment segment) {
        return segment == null ? filmId : filmId + "#" + segment.index();
    }

    @Override
    public String key() {
        return key(filmId, segment);
    }
}
