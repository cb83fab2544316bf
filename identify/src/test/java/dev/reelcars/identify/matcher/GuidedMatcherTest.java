package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GuidedMatcherTest {
    private static final double[] SHIFT_AND_ENLARGE = {1.5, 0, 300, 0, 1.5, 100, 0, 0, 1}; // reference -> still

    @Test
    void findsTwinsWhereTheHomographySendsThemAndNowhereElse() {
        // Given 50 reference features, their twins in the still where the homography puts them (1-3 bits flipped),
        // 10 more twins placed 40 px away from their projection, and 300 unrelated still features
        Random random = new Random(7);
        int n = 50;
        long[] refDescriptors = randomDescriptors(random, n + 10);
        float[] rx = new float[n + 10];
        float[] ry = new float[n + 10];
        for (int i = 0; i < n + 10; i++) {
            rx[i] = 20 + random.nextInt(400);
            ry[i] = 20 + random.nextInt(250);
        }
        FeatureSet ref = features(refDescriptors, rx, ry, 450, 300);

        int m = n + 10 + 300;
        long[] qd = randomDescriptors(random, m);
        float[] qx = new float[m];
        float[] qy = new float[m];
        for (int i = 0; i < n + 10; i++) {
            System.arraycopy(refDescriptors, i * 4, qd, i * 4, 4);
            qd[i * 4 + random.nextInt(4)] ^= 1L << random.nextInt(64); // a little descriptor noise
            double offset = i < n ? 2 : 40;
            qx[i] = (float) (1.5 * rx[i] + 300 + offset);
            qy[i] = (float) (1.5 * ry[i] + 100);
        }
        for (int i = n + 10; i < m; i++) {
            qx[i] = random.nextInt(1280);
            qy[i] = random.nextInt(720);
        }
        FeatureSet still = features(qd, qx, qy, 1280, 720);

        // When guided matching runs with a 7.5 px radius
        Matches found = GuidedMatcher.match(still, ref, SHIFT_AND_ENLARGE, 7.5, 60);

        // Then exactly the 50 twins near their projection are paired, each with its own reference feature
        Map<Integer, Integer> pairs = new HashMap<>();
        for (int k = 0; k < found.count(); k++) {
            pairs.put(found.queryIdx()[k], found.refIdx()[k]);
        }
        assertEquals(n, pairs.size(), "twins found: " + pairs);
        for (int i = 0; i < n; i++) {
            assertEquals(i, pairs.get(i), "still feature " + i + " pairs with its twin");
        }
    }

    @Test
    void ignoresReferenceFeaturesProjectedOutsideTheStill() {
        Random random = new Random(11);
        long[] d = randomDescriptors(random, 1);
        FeatureSet ref = features(d, new float[] {10}, new float[] {10}, 100, 100);
        FeatureSet still = features(d.clone(), new float[] {5}, new float[] {5}, 640, 480);
        double[] farAway = {1, 0, 5000, 0, 1, 5000, 0, 0, 1};
        assertTrue(GuidedMatcher.match(still, ref, farAway, 8, 60).count() == 0, "nothing to find off the frame");
    }

    private static long[] randomDescriptors(Random random, int n) {
        long[] d = new long[n * 4];
        for (int i = 0; i < d.length; i++) {
            d[i] = random.nextLong();
        }
        return d;
    }

    private static FeatureSet features(long[] descriptors, float[] xs, float[] ys, int width, int height) {
        int n = xs.length;
        return new FeatureSet(n, descriptors, xs, ys, new byte[n], new byte[n], width, height);
    }
}
