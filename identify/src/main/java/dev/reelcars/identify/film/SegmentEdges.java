package dev.reelcars.identify.film;

import dev.reelcars.events.FilmProgress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Where a film's segments overlap, and which appearances each one publishes: the service's film jobs (one segment
 * each, on any instance) and {@code scan} (a film's parts decoded at once) follow the same rule. An appearance
 * belongs to the segment its first frame is in. A segment starts reading {@link #lookbackFrames} before its range, so
 * it sees an appearance that is still open at its first frame and can tell that it started before (and drop it);
 * it reads past its end until every appearance that started inside its range has closed.
 */
public final class SegmentEdges {
    private SegmentEdges() {
    }

    /**
     * Frames a segment reads before its range: an appearance still open at a frame was last seen at most
     * {@code maxGap} seconds (the merger's) plus one sample period before it.
     */
    public static long lookbackFrames(double fps, double maxGap) {
        return (long) Math.ceil(maxGap * fps - 1e-9) + 1;
    }

    /** The first frame a segment's scan reads: its start less the lookback (none for the film's first segment). */
    public static long firstFrame(FilmProgress.Segment segment, double fps, double maxGap) {
        return segment.index() == 0 ? segment.startFrame()
                : Math.max(0, segment.startFrame() - lookbackFrames(fps, maxGap));
    }

    /**
     * Where the next segment's scan starts reading (-1 for the last segment): this segment's skipping of
     * near-identical frames starts afresh there too, so both see the same answers from there on.
     */
    public static long freshAt(FilmProgress.Segment segment, double fps, double maxGap) {
        return segment.last() ? -1 : Math.max(0, segment.endFrame() - lookbackFrames(fps, maxGap));
    }

    /** Whether an appearance whose first frame is {@code firstFrame} is this segment's to publish. */
    public static boolean keeps(FilmProgress.Segment segment, long firstFrame) {
        return firstFrame >= segment.startFrame() && (segment.last() || firstFrame < segment.endFrame());
    }

    /**
     * Whether a segment that has read every frame before {@code next} has all it needs: past its range (the last
     * segment never is: it reads to the film's end) with no appearance open that started inside it.
     */
    public static boolean reachedItsEnd(FilmProgress.Segment segment, long next, Collection<Long> openFirstFrames) {
        return !segment.last() && next >= segment.endFrame()
                && openFirstFrames.stream().noneMatch(f -> f < segment.endFrame());
    }

    /** {@code count} segments of (nearly) equal length covering frames 0 to {@code framesTotal}. */
    public static List<FilmProgress.Segment> split(long framesTotal, int count) {
        List<FilmProgress.Segment> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            segments.add(new FilmProgress.Segment(i, count, framesTotal * i / count, framesTotal * (i + 1) / count));
        }
        return segments;
    }

    /** The sampled frame at this film time. */
    public static long frameOf(double seconds, double fps) {
        return Math.round(seconds * fps);
    }
}
