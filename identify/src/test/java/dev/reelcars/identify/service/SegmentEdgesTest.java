package dev.reelcars.identify.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.FilmProgress;
import dev.reelcars.identify.film.AppearanceMerger;
import dev.reelcars.identify.film.FilmVideo;
import dev.reelcars.identify.film.SegmentEdges;
import dev.reelcars.identify.matcher.EngineConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The segment edge rule against the whole film: whatever the segment length, the segments' appearances together are
 * exactly the appearances of one scan of the whole film, given the same answer for each frame (which the shared
 * fresh start of the skipping ensures where segments overlap).
 */
class SegmentEdgesTest {
    private static final double FPS = 2;

    @Test
    void segmentsTogetherFindExactlyTheWholeFilmsAppearancesWhateverTheirLength() {
        Random random = new Random(18);
        for (int film = 0; film < 200; film++) {
            List<Map<String, Double>> frames = randomFilm(random, 60 + random.nextInt(240));
            List<AppearanceMerger.Appearance> whole = sorted(scanWhole(frames));
            for (double segmentSeconds : new double[] {3, 5, 7.5, 10, 30}) {
                List<AppearanceMerger.Appearance> parts = new ArrayList<>();
                for (FilmProgress.Segment s : FilmPlanner.cut(frames.size(), FPS, segmentSeconds)) {
                    parts.addAll(scanSegment(frames, s));
                }
                assertEquals(whole, sorted(parts), "film " + film + " in segments of " + segmentSeconds + " s");
            }
        }
    }

    @Test
    void anAppearanceAcrossAnEdgeIsPublishedOnceByTheSegmentItStartsIn() {
        // Frames 6-13 show the bus, above the vehicle threshold the merger keeps; the edge is at frame 10.
        double score = (1 + EngineConfig.defaults().vehicleConfidence()) / 2;
        List<Map<String, Double>> frames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            frames.add(i >= 6 && i <= 13 ? Map.of("bus", score) : Map.of());
        }
        List<FilmProgress.Segment> segments = FilmPlanner.cut(20, FPS, 5);
        assertEquals(2, segments.size());
        assertEquals(List.of(new AppearanceMerger.Appearance("bus", 3.0, 7.0, 8, score)),
                scanSegment(frames, segments.get(0)));
        assertEquals(List.of(), scanSegment(frames, segments.get(1)), "the second segment drops what it joined");
        assertEquals(5, SegmentEdges.firstFrame(segments.get(1), FPS, FilmVideo.DEFAULT_MAX_GAP),
                "reads 5 frames before its range");
        assertEquals(5, SegmentEdges.freshAt(segments.get(0), FPS, FilmVideo.DEFAULT_MAX_GAP),
                "where the first one's skipping starts afresh");
    }

    @Test
    void aFilmIsCutIntoWholeSegmentLengthsOfEqualSizeAndAShortFilmIsOneSegment() {
        assertEquals(List.of(new FilmProgress.Segment(0, 1, 0, 16)), FilmPlanner.cut(16, FPS, 300));
        assertEquals(1, FilmPlanner.cut(2 * 449, FPS, 300).size(), "under one and a half lengths: one");
        List<FilmProgress.Segment> hour = FilmPlanner.cut(2 * 3600, FPS, 300);
        assertEquals(12, hour.size());
        for (int i = 0; i < hour.size(); i++) {
            assertEquals(600, hour.get(i).endFrame() - hour.get(i).startFrame());
            assertEquals(i == 0 ? 0 : hour.get(i - 1).endFrame(), hour.get(i).startFrame(), "no gap, no overlap");
        }
        assertEquals(List.of(new FilmProgress.Segment(0, 1, 0, 0)), FilmPlanner.cut(0, FPS, 300),
                "a film of unknown length is one segment");
    }

    private static List<AppearanceMerger.Appearance> scanWhole(List<Map<String, Double>> frames) {
        AppearanceMerger m = merger();
        for (int i = 0; i < frames.size(); i++) {
            m.offer(i / FPS, frames.get(i));
        }
        return m.finish();
    }

    /** What one segment's job publishes: FilmJob's loop, with each frame's answer given. */
    private static List<AppearanceMerger.Appearance> scanSegment(List<Map<String, Double>> frames,
            FilmProgress.Segment s) {
        AppearanceMerger m = merger();
        boolean complete = false;
        long first = SegmentEdges.firstFrame(s, FPS, FilmVideo.DEFAULT_MAX_GAP);
        for (long i = first; i < frames.size() && !complete; i++) {
            m.offer(i / FPS, frames.get((int) i));
            complete = SegmentEdges.reachedItsEnd(s, i + 1, m.open().stream()
                    .map(o -> SegmentEdges.frameOf(o.start(), FPS)).toList());
        }
        if (!complete) {
            m.finish();
        }
        return m.drain().stream().map(AppearanceMerger.Found::appearance)
                .filter(a -> SegmentEdges.keeps(s, SegmentEdges.frameOf(a.start(), FPS))).toList();
    }

    private static AppearanceMerger merger() {
        return new AppearanceMerger(1 / FPS, FilmVideo.DEFAULT_MAX_GAP, FilmVideo.DEFAULT_SINGLE_FRAME_MIN,
                EngineConfig.defaults().vehicleConfidence());
    }

    /** Runs of two labels with gaps of every length around the merger's 2 s, and single weak or strong frames. */
    private static List<Map<String, Double>> randomFilm(Random random, int length) {
        List<Map<String, Double>> frames = new ArrayList<>();
        Map<String, Integer> runLeft = new HashMap<>();
        for (int i = 0; i < length; i++) {
            Map<String, Double> labels = new HashMap<>();
            for (String label : List.of("bus", "car")) {
                int left = runLeft.getOrDefault(label, 0);
                if (left > 0) {
                    if (random.nextDouble() < 0.8) {
                        labels.put(label, 0.73 + random.nextDouble() * 0.27);
                    }
                    runLeft.put(label, left - 1);
                } else if (random.nextDouble() < 0.08) {
                    runLeft.put(label, random.nextInt(3) == 0 ? 1 : 2 + random.nextInt(30));
                }
            }
            frames.add(labels);
        }
        return frames;
    }

    private static List<AppearanceMerger.Appearance> sorted(List<AppearanceMerger.Appearance> list) {
        List<AppearanceMerger.Appearance> out = new ArrayList<>(list);
        out.sort(Comparator.comparingDouble(AppearanceMerger.Appearance::start)
                .thenComparing(AppearanceMerger.Appearance::label));
        assertTrue(out.stream().allMatch(a -> a.frames() > 0));
        return out;
    }
}
