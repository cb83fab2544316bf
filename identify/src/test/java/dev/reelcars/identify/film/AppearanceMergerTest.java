package dev.reelcars.identify.film;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppearanceMergerTest {
    private static final double PERIOD = 0.5;

    @Test
    void consecutiveFramesOfOneLabelBecomeOneAppearanceEndingOnePeriodAfterTheLastFrame() {
        // Given frames at 2 per second: nothing, then the bus from 1.0 to 2.5 s, then nothing
        AppearanceMerger merger = new AppearanceMerger(PERIOD, 2.0, 0.9, 0);
        merger.offer(0.0, Map.of());
        merger.offer(0.5, Map.of());
        for (double t = 1.0; t <= 2.5; t += PERIOD) {
            merger.offer(t, Map.of("bus", t == 2.0 ? 0.95 : 0.8));
        }
        merger.offer(3.0, Map.of());

        // When the film ends
        List<AppearanceMerger.Appearance> appearances = merger.finish();

        // Then one appearance covers 1.0..3.0 with 4 frames and the best frame's confidence
        assertEquals(List.of(new AppearanceMerger.Appearance("bus", 1.0, 3.0, 4, 0.95)), appearances);
    }

    @Test
    void aGapUpToTheLimitIsBridgedAndALongerOneSplitsTheAppearance() {
        // Given the bus at 0 and 0.5 s, missed for 2 s (4 frames), seen at 3.0, then missed for 2.5 s, seen at 6.0
        AppearanceMerger merger = new AppearanceMerger(PERIOD, 2.0, 0.9, 0);
        merger.offer(0.0, Map.of("bus", 0.8));
        merger.offer(0.5, Map.of("bus", 0.8));
        for (double t = 1.0; t < 3.0; t += PERIOD) {
            merger.offer(t, Map.of());
        }
        merger.offer(3.0, Map.of("bus", 0.8));
        for (double t = 3.5; t < 6.0; t += PERIOD) {
            merger.offer(t, Map.of());
        }
        merger.offer(6.0, Map.of("bus", 0.8));
        merger.offer(6.5, Map.of("bus", 0.8));

        // Then the 2 s gap is bridged, the 2.5 s one is not
        assertEquals(List.of(new AppearanceMerger.Appearance("bus", 0.0, 3.5, 3, 0.8),
                new AppearanceMerger.Appearance("bus", 6.0, 7.0, 2, 0.8)), merger.finish());
    }

    @Test
    void aWeakSingleFrameIsDroppedAndAConfidentOneKept() {
        AppearanceMerger merger = new AppearanceMerger(PERIOD, 2.0, 0.9, 0);
        merger.offer(0.0, Map.of("car", 0.80));
        merger.offer(10.0, Map.of("bus", 0.93));
        merger.offer(20.0, Map.of());

        assertEquals(List.of(new AppearanceMerger.Appearance("bus", 10.0, 10.5, 1, 0.93)), merger.finish(),
                "the 0.80 single frame is dropped, the 0.93 one kept");
    }

    @Test
    void anAppearanceThatNeverReachesTheLeastScoreIsDroppedHoweverLong() {
        // Given a least score of 0.83 (the vehicle threshold): four frames of "the same model" and two of the vehicle
        AppearanceMerger merger = new AppearanceMerger(PERIOD, 2.0, 0.9, 0.83);
        for (double t = 0; t < 2; t += PERIOD) {
            merger.offer(t, Map.of("taxi", 0.82));
        }
        merger.offer(10.0, Map.of("bus", 0.80));
        merger.offer(10.5, Map.of("bus", 0.86));
        merger.offer(20.0, Map.of());

        assertEquals(List.of(new AppearanceMerger.Appearance("bus", 10.0, 11.0, 2, 0.86)), merger.finish(),
                "the taxi's four model-only frames are no appearance; the bus, once over 0.83, is one");
    }

    @Test
    void twoLabelsOnScreenTogetherAreTwoAppearancesInStartOrder() {
        AppearanceMerger merger = new AppearanceMerger(PERIOD, 2.0, 0.9, 0);
        merger.offer(0.0, Map.of("car", 0.8));
        merger.offer(0.5, Map.of("car", 0.8, "bus", 0.85));
        merger.offer(1.0, Map.of("car", 0.8, "bus", 0.75));
        merger.offer(1.5, Map.of("bus", 0.8));

        assertEquals(List.of(new AppearanceMerger.Appearance("car", 0.0, 1.5, 3, 0.8),
                new AppearanceMerger.Appearance("bus", 0.5, 2.0, 3, 0.85)), merger.finish());
    }

    @Test
    void framesOutOfTimeOrderAreRefused() {
        AppearanceMerger merger = new AppearanceMerger(PERIOD, 2.0, 0.9, 0);
        merger.offer(1.0, Map.of());
        assertThrows(IllegalArgumentException.class, () -> merger.offer(0.5, Map.of()));
    }
}
