package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CalibratorTest {
    /** p = inliers / (1 + inliers): 4 inliers -> 0.80, 9 -> 0.90, 19 -> 0.95. */
    private static final ConfidenceModel P_FROM_INLIERS = new ConfidenceModel(0, 1, 0, 0, 0, 0);

    private static Calibrator.Sample sample(int inliers, boolean correct, int query) {
        return new Calibrator.Sample(new ConfidenceModel.Evidence(inliers, 0, 0, 0, 1), correct, query);
    }

    @Test
    void thresholdKeepsFalsePositivesWithinTheLimitOnEveryGalleryNotJustOnAverage() {
        // Given the same two queries (a car, a negative) matched against two galleries: in the first the negative gets
        // 0.50, in the second (fewer rival labels) 0.90; the car gets 0.95 and 0.80
        List<String> labels = List.of("car", "none", "car", "none");
        List<Calibrator.Sample> samples = List.of(
                sample(19, true, 0), sample(1, false, 1),
                sample(4, true, 2), sample(9, false, 3));

        // When the threshold is chosen with a 50 % limit: pooled, one negative of two would pass at 0.80
        double threshold = Calibrator.chooseThreshold(P_FROM_INLIERS, samples, labels, 2, 0.5);

        // Then it is set above the second gallery's negative instead (the highest threshold with the most hits: 0.95)
        assertEquals(0.95, threshold, 1e-9);
    }
}
