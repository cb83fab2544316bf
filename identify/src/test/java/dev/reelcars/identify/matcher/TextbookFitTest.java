package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.platform.image.OpenCvNatives;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lead term's textbook count: ratio test against every reference feature, then RANSAC (eighteenth round). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TextbookFitTest {
    private static final int UNIQUE = 20;
    private static final int DUPLICATED = 10;

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    @Test
    void aStillFeatureWhoseNearestHasATwinElsewhereInTheReferenceFailsTheRatioTest() {
        // Given a reference whose features 20-29 appear twice (30-39 are copies), and a still holding a slightly
        // noisy twin of each of the reference's first 30 features
        Random random = new Random(5);
        FeatureSet ref = reference(random);
        FeatureSet still = still(random, ref, 0, 0);

        // When the still is matched against every feature of the reference
        Matches matches = TextbookFit.ratioMatches(still, ref, 0.8);

        // Then only the twins of the unique features pass, each with its own reference feature
        Set<Integer> matched = new HashSet<>();
        for (int k = 0; k < matches.count(); k++) {
            assertEquals(matches.queryIdx()[k], matches.refIdx()[k], "still feature pairs with its twin");
            matched.add(matches.queryIdx()[k]);
        }
        Set<Integer> unique = new HashSet<>();
        for (int i = 0; i < UNIQUE; i++) {
            unique.add(i);
        }
        assertEquals(unique, matched, "the duplicated features' twins are ambiguous, the unique ones are not");
    }

    @Test
    void countsTheDistinctStillLocationsOfOneHomography() {
        // Given the still's twins placed where a 1.5x enlargement and a shift put the reference, among 300 others
        Random random = new Random(9);
        FeatureSet ref = reference(random);
        FeatureSet still = still(random, ref, 300, 300);
        FeatureSet unrelated = still(random, reference(new Random(77)), 0, 300);

        // When the textbook count is taken
        ReferenceView view = new ReferenceView("r", "car", ref, null);
        int count = TextbookFit.inliers(still, view, 0.8, 5);
        int chance = TextbookFit.inliers(unrelated, view, 0.8, 5);

        // Then the unique twins agree on the homography, and an unrelated still finds no homography worth a candidate
        assertEquals(UNIQUE, count, "inliers of the twins");
        assertTrue(chance < 8, "an unrelated still's count stays below the engine's 8 inliers: " + chance);
    }

    /** 40 reference features at random places; 30-39 carry the descriptors of 20-29 (a corner seen at two scales). */
    private static FeatureSet reference(Random random) {
        int n = UNIQUE + 2 * DUPLICATED;
        long[] d = new long[n * 4];
        for (int i = 0; i < (UNIQUE + DUPLICATED) * 4; i++) {
            d[i] = random.nextLong();
        }
        System.arraycopy(d, UNIQUE * 4, d, (UNIQUE + DUPLICATED) * 4, DUPLICATED * 4);
        float[] xs = new float[n];
        float[] ys = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = 10 + random.nextInt(380);
            ys[i] = 10 + random.nextInt(230);
        }
        return new FeatureSet(n, d, xs, ys, new byte[n], new byte[n], 400, 250);
    }

    /**
     * A still with a one-bit-noisy twin of each of the reference's first 30 features, where x' = 1.5 x + shift,
     * y' = 1.5 y + 100, and {@code others} random features.
     */
    private static FeatureSet still(Random random, FeatureSet ref, int shift, int others) {
        int twins = UNIQUE + DUPLICATED;
        int n = twins + others;
        long[] d = new long[n * 4];
        float[] xs = new float[n];
        float[] ys = new float[n];
        for (int i = 0; i < twins; i++) {
            System.arraycopy(ref.descriptors, i * 4, d, i * 4, 4);
            d[i * 4 + random.nextInt(4)] ^= 1L << random.nextInt(64);
            xs[i] = 1.5f * ref.x(i) + shift;
            ys[i] = 1.5f * ref.y(i) + 100;
        }
        for (int i = twins; i < n; i++) {
            for (int w = 0; w < 4; w++) {
                d[i * 4 + w] = random.nextLong();
            }
            xs[i] = random.nextInt(1280);
            ys[i] = random.nextInt(720);
        }
        return new FeatureSet(n, d, xs, ys, new byte[n], new byte[n], 1280, 720);
    }
}
