package dev.reelcars.identify.matcher;

import java.util.Arrays;
import org.opencv.core.Point;

/**
 * A cheap test run before RANSAC: can any similarity transform (rotation, scale, shift) defined by two of the matches
 * carry {@code needed} distinct still locations within a tolerance? A homography that verifies a car has a patch of
 * inliers that a similarity explains locally, so a set of matches without such a consensus is not worth 500 RANSAC
 * iterations. Most shortlisted references are wrong: their 10-30 Hough-filtered matches never verify, yet RANSAC runs
 * its full budget on them (about 3 ms each, measured; 88 % of the first fits at 1,000 views), where a true match
 * stops early. Measured at gallery-1000 over the 406 test queries: of 2,214 first fits, the test (tolerance 3
 * RANSAC thresholds) turns away 1,791, none of which RANSAC would have verified.
 */
final class SimilarityConsensus {
    /**
     * Above this many matches the test is not run (RANSAC is): its worst case is cubic, and sets this large are
     * usually true matches, where RANSAC stops after a few iterations.
     */
    static final int MAX_MATCHES = 100;

    private SimilarityConsensus() {}

    /**
     * @param src reference points
     * @param dst still points, pairwise with {@code src}
     * @param tolerance how far (still pixels) a match may land from where the similarity puts it
     * @param needed how many distinct still locations ({@link #locationKey}) must agree
     * @return true when some two matches define a similarity that at least {@code needed} distinct still locations
     *     agree with, or when the set is too large to test
     */
    static boolean reaches(Point[] src, Point[] dst, int n, double tolerance, int needed) {
        if (n > MAX_MATCHES) {
            return true;
        }
        double tol2 = tolerance * tolerance;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double sx = src[j].x - src[i].x;
                double sy = src[j].y - src[i].y;
                double dx = dst[j].x - dst[i].x;
                double dy = dst[j].y - dst[i].y;
                double ss = sx * sx + sy * sy;
                if (ss < 1 || dx * dx + dy * dy < 1) {
                    continue; // one point seen twice (two pyramid levels): no direction to take a rotation from
                }
                // As complex numbers: dst - dst_i = (a + ib)(src - src_i).
                double a = (dx * sx + dy * sy) / ss;
                double b = (dy * sx - dx * sy) / ss;
                int agree = 0;
                for (int m = 0; m < n; m++) {
                    double ux = src[m].x - src[i].x;
                    double uy = src[m].y - src[i].y;
                    double ex = dst[i].x + a * ux - b * uy - dst[m].x;
                    double ey = dst[i].y + b * ux + a * uy - dst[m].y;
                    if (ex * ex + ey * ey <= tol2) {
                        keys[agree++] = locationKey(dst[m]);
                    }
                }
                if (agree >= needed && distinct(keys, agree) >= needed) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * One still location per 2×2 pixel cell: ORB finds the same corner at several pyramid levels, and inliers are
     * counted once per location ({@link GeometricVerifier}).
     */
    static long locationKey(Point p) {
        return (Math.round(p.x / 2) << 32) ^ Math.round(p.y / 2);
    }

    private static int distinct(long[] keys, int count) {
        Arrays.sort(keys, 0, count);
        int distinct = 1;
        for (int i = 1; i < count; i++) {
            distinct += keys[i] != keys[i - 1] ? 1 : 0;
        }
        return distinct;
    }
}
