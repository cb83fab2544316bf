package dev.reelcars.identify.service;

import dev.reelcars.events.FilmProgress;
import dev.reelcars.identify.film.FilmVideo;
import java.util.Collection;

/**
 * Where a film's segments overlap, and which appearances each one publishes (see {@link FilmJob}). An appearance
 * belongs to the segment its first frame is in. A segment starts reading {@link #lookbackFrames} before its range, so
 * it sees an appearance that is still open at its first frame and can tell that it started before (and drop it);
 * it reads past its end until every appearance that started inside its range has closed.
 */
final class SegmentEdges {
    private SegmentEdges() {
    }

    /**
     * Frames a segment reads before its range: an appearance still open at a frame was last seen at most
     * {@code maxGap} seconds plus one sample period before it.
     */
    static long lookbackFrames(double fps) {
        return (long) Math.ceil(FilmVideo.DEFAULT_MAX_GAP * fps - 1e-9) + 1;
    }

    /** The first frame a segment's scan reads: its start less the lookback (none for the film's first segment). */
    static long firstFrame(FilmProgress.Segment segment, double fps) {
        return segment.index() == 0 ? segment.startFrame()
                : Math.max(0, segment.startFrame() - lookbackFrames(fps));
    }

    /**
     * Where the next segment's scan starts reading (-1 for the last segment): this segment's skipping of
     * near-identical frames starts afresh there too, so both see the same answers from there on.
     */
    static long freshAt(FilmProgress.Segment segment, double fps) {
        return segment.last() ? -1 : Math.max(0, segment.endFrame() - lookbackFrames(fps));
    }

    /** Whether an appearance whose first frame is {@code firstFrame} is this segment's to publish. */
    static boolean keeps(FilmProgress.Segment segment, long firstFrame) {
        return firstFrame >= segment.startFrame() && (segment.last() || firstFrame < segment.endFrame());
    }

    /**
     * Whether a segment that has read every frame before {@code next} has all it needs: past its range (the last
     * segment never is: it reads to the film's end) with no appearance open that started inside it.
     */
    static boolean reachedItsEnd(FilmProgress.Segment segment, long next, Collection<Long> openFirstFrames) {
        return !segment.last() && next >= segment.endFrame()
                && openFirstFrames.stream().noneMatch(f -> f < segment.endFrame());
    }

    /** The sampled frame at this film time. */
    static long frameOf(double seconds, double fps) {
        return Math.round(seconds * fps);
    }
}
