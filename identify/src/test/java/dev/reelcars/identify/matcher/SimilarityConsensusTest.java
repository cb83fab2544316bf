package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opencv.core.Point;

class SimilarityConsensusTest {
    /** The engine's: 3 RANSAC thresholds of 5 px. */
    private static final double TOLERANCE = 15;
    private static final int NEEDED = 8;

    private final List<Point> src = new ArrayList<>();
    private final List<Point> dst = new ArrayList<>();

    private boolean reaches() {
        return SimilarityConsensus.reaches(src.toArray(new Point[0]), dst.toArray(new Point[0]), src.size(), TOLERANCE,
                NEEDED);
    }

    private void chanceMatches(Random random, int count) {
        for (int i = 0; i < count; i++) {
            src.add(new Point(random.nextDouble() * 640, random.nextDouble() * 480));
            dst.add(new Point(random.nextDouble() * 1280, random.nextDouble() * 720));
        }
    }

    /** Reference point (x, y) through homography h (row-major, 3×3), with up to a pixel of detector noise. */
    private void match(double[] h, double x, double y, Random random) {
        double z = h[6] * x + h[7] * y + h[8];
        src.add(new Point(x, y));
        dst.add(new Point((h[0] * x + h[1] * y + h[2]) / z + random.nextGaussian() * 0.5,
                (h[3] * x + h[4] * y + h[5]) / z + random.nextGaussian() * 0.5));
    }

    private static double[] similarity(double scale, double degrees, double tx, double ty) {
        double c = scale * Math.cos(Math.toRadians(degrees));
        double s = scale * Math.sin(Math.toRadians(degrees));
        return new double[] {c, -s, tx, s, c, ty, 0, 0, 1};
    }

    @Test
    void aCarSeenAgainRotatedAndScaledAmongChanceMatchesHasAConsensus() {
        Random random = new Random(1);
        chanceMatches(random, 20);
        double[] h = similarity(0.6, 25, 300, 100);
        for (int i = 0; i < NEEDED; i++) {
            match(h, random.nextDouble() * 640, random.nextDouble() * 480, random);
        }
        assertTrue(reaches(), "8 matches under one similarity agree with the pair of any two of them");
    }

    @Test
    void chanceMatchesHaveNoConsensus() {
        for (int seed = 0; seed < 50; seed++) {
            src.clear();
            dst.clear();
            chanceMatches(new Random(seed), 40);
            assertFalse(reaches(),
                    "40 scattered matches put 8 in one place only by a chance too small to see, seed " + seed);
        }
    }

    @Test
    void oneCornerFoundAtSeveralPyramidLevelsCountsOnce() {
        Random random = new Random(2);
        double[] h = similarity(1.2, -10, 50, 40);
        for (int i = 0; i < NEEDED / 2; i++) {
            double x = 100 + 100 * i;
            double y = 80 + 60 * i * i % 300;
            match(h, x, y, random);
            // The same corner again, half a pixel off: one still location, not a second inlier.
            src.add(new Point(x + 0.3, y - 0.3));
            dst.add(new Point(dst.get(dst.size() - 1).x + 0.2, dst.get(dst.size() - 1).y));
        }
        assertFalse(reaches(), "8 matches at 4 still locations are 4 inliers, short of 8");

        for (int i = 0; i < NEEDED / 2; i++) {
            match(h, 150 + 90 * i, 400 - 50 * i, random);
        }
        assertTrue(reaches(), "4 more distinct locations make 8");
    }

    @Test
    void aPatchOfAKeystonedViewHasAConsensus() {
        // Perspective the verifier accepts (about 1.4x between opposite sides): a similarity is exact only at a point,
        // but across a patch of the car it stays within the tolerance.
        for (int seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            src.clear();
            dst.clear();
            double[] h = {0.9, 0.05, 200, 0.02, 0.8, 100, 0.0006, 0.0001, 1};
            chanceMatches(random, 15);
            double px = random.nextDouble() * 480;
            double py = random.nextDouble() * 360;
            for (int i = 0; i < NEEDED; i++) {
                match(h, px + random.nextDouble() * 160, py + random.nextDouble() * 120, random);
            }
            assertTrue(reaches(), "8 inliers within a quarter of a keystoned reference, seed " + seed);
        }
    }

    @Test
    void largeSetsAreLeftToRansac() {
        chanceMatches(new Random(3), SimilarityConsensus.MAX_MATCHES + 1);
        assertTrue(reaches(), "above the cap the cubic test is not run, and the set goes on to RANSAC");
    }
}
