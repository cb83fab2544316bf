package dev.reelcars.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one view of a film's scan made from its segments' checkpoints. */
class FilmScansTest {
    private static final Instant T = Instant.parse("2026-12-05T12:00:00Z");

    private static FilmProgress segment(int index, String status, long next, long matched, int appearances,
            double eta, long resumedFrom) {
        // A 3-segment film of 300 sampled frames: 0-100, 100-200, 200-300.
        FilmProgress.Segment s = new FilmProgress.Segment(index, 3, index * 100L, index * 100L + 100);
        return new FilmProgress(1, "film-1", status, 150, 2, 300, next, matched, matched / 2, appearances, List.of(),
                resumedFrom, eta, null, "w" + index, T.plusSeconds(index), s, null);
    }

    @Test
    void sumsTheSegmentsFramesAndAppearancesAndTakesTheSlowestSegmentsTimeLeft() {
        FilmProgress view = FilmScans.combine(List.of(
                segment(0, FilmProgress.DONE, 104, 60, 2, 0, 0),       // read 4 frames past its end: not counted
                segment(1, FilmProgress.RUNNING, 150, 40, 1, 30, 0),
                segment(2, FilmProgress.RUNNING, 230, 20, 0, 45, 220))).orElseThrow();

        assertEquals(FilmProgress.RUNNING, view.status());
        assertEquals(100 + 50 + 30, view.nextFrame(), "frames covered within each segment's own range");
        assertEquals(120, view.framesMatched());
        assertEquals(3, view.appearances());
        assertEquals(45, view.etaSeconds(), "the slowest segment's");
        assertEquals(20, view.resumedFromFrame(), "segment 3 resumed 20 frames into its range");
        assertEquals(60.0, view.percent());
        assertEquals("w1,w2", view.worker());
        assertEquals(T.plusSeconds(2), view.updatedAt());
    }

    @Test
    void isDoneOnlyWhenEverySegmentIsDoneAndThenCountsTheFilmsRealLength() {
        FilmProgress twoDone = FilmScans.combine(List.of(segment(0, FilmProgress.DONE, 100, 1, 0, 0, 0),
                segment(2, FilmProgress.DONE, 296, 1, 0, 0, 0))).orElseThrow();
        assertEquals(FilmProgress.RUNNING, twoDone.status(), "segment 2 has no checkpoint yet: it waits");

        FilmProgress done = FilmScans.combine(List.of(segment(0, FilmProgress.DONE, 100, 1, 0, 0, 0),
                segment(1, FilmProgress.DONE, 205, 1, 0, 0, 0),
                segment(2, FilmProgress.DONE, 296, 1, 0, 0, 0))).orElseThrow();
        assertEquals(FilmProgress.DONE, done.status());
        assertEquals(296, done.nextFrame(), "the last segment ran to the film's real end");
        assertEquals(296, done.framesTotal());
        assertEquals(100.0, done.percent());
        assertTrue(done.finished());
    }

    @Test
    void aFilmIsQueuedUntilASegmentStartsAndPausedOnlyWhenNoSegmentRunsOrWaits() {
        assertEquals(FilmProgress.QUEUED, FilmScans.combine(List.of(segment(0, FilmProgress.QUEUED, 0, 0, 0, 0, 0),
                segment(1, FilmProgress.QUEUED, 100, 0, 0, 0, 0), segment(2, FilmProgress.QUEUED, 200, 0, 0, 0, 0)))
                .orElseThrow().status());
        assertEquals(FilmProgress.RUNNING, FilmScans.combine(List.of(segment(0, FilmProgress.PAUSED, 40, 0, 0, 0, 0),
                segment(1, FilmProgress.QUEUED, 100, 0, 0, 0, 0), segment(2, FilmProgress.PAUSED, 230, 0, 0, 0, 0)))
                .orElseThrow().status(), "segment 2 is still to be let go");
        assertEquals(FilmProgress.PAUSED, FilmScans.combine(List.of(segment(0, FilmProgress.PAUSED, 40, 0, 0, 0, 0),
                segment(1, FilmProgress.DONE, 200, 0, 0, 0, 0), segment(2, FilmProgress.PAUSED, 230, 0, 0, 0, 0)))
                .orElseThrow().status());
        assertEquals(FilmProgress.CANCELLED, FilmScans.combine(List.of(
                segment(0, FilmProgress.CANCELLED, 40, 0, 0, 0, 0), segment(1, FilmProgress.DONE, 200, 0, 0, 0, 0),
                segment(2, FilmProgress.CANCELLED, 230, 0, 0, 0, 0))).orElseThrow().status());
        FilmProgress failed = FilmScans.combine(List.of(
                segment(0, FilmProgress.FAILED, 0, 0, 0, 0, 0).withStatus(FilmProgress.FAILED, "unreadable", "w", T),
                segment(1, FilmProgress.CANCELLED, 100, 0, 0, 0, 0),
                segment(2, FilmProgress.DONE, 300, 0, 0, 0, 0))).orElseThrow();
        assertEquals(FilmProgress.FAILED, failed.status());
        assertEquals("segment 1: unreadable", failed.message());
        assertEquals(0, failed.etaSeconds());
    }

    @Test
    void aWholeFilmCheckpointWrittenBeforeSegmentsIsTheViewItself() {
        FilmProgress old = new FilmProgress(1, "film-1", FilmProgress.DONE, 8, 2, 16, 16, 9, 6, 1, List.of(), 0, 0,
                null, "w", T);
        assertEquals(old, FilmScans.combine(List.of(old)).orElseThrow());
        assertNull(old.segment());
        assertEquals("film-1", old.key());
        assertTrue(FilmScans.combine(List.of()).isEmpty());
    }

    @Test
    void segmentRequestsAndCheckpointsRoundTripAndAreKeyedBySegment() {
        FilmSubmitted film = new FilmSubmitted(1, "film-1", "a".repeat(64), 10, "x.film", "Chase", 1968, null, null,
                "ana", T);
        FilmProgress.Segment s = new FilmProgress.Segment(1, 3, 100, 200);
        FilmSegment request = new FilmSegment(1, "film-1", s, 2, film, T);
        assertEquals(request, EventCodec.decode(EventCodec.encode(request), FilmSegment.class));
        assertEquals("film-1#1", request.key());
        FilmProgress p = new FilmProgress(1, "film-1", FilmProgress.RUNNING, 150, 2, 300, 130, 20, 10, 0, List.of(),
                100, 12, null, "w", T, s, new FilmProgress.LastMatch(127, Map.of("bus", 0.9)));
        assertEquals(p, EventCodec.decode(EventCodec.encode(p), FilmProgress.class));
        assertEquals("film-1#1", p.key());
    }
}
