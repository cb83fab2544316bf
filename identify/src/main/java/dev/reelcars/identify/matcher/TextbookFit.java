package dev.reelcars.identify.matcher;

import java.util.HashSet;
import java.util.Set;
import org.opencv.calib3d.Calib3d;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;

/**
 * A second, independent count of a verified reference's inliers, the way the textbook matcher counts them
 * ({@code bench/reid-textbook.py}): every still feature's nearest reference feature must pass Lowe's ratio test
 * against the second nearest over the <em>whole</em> reference, not only its vocabulary bucket, and a RANSAC
 * homography over those matches counts the distinct still locations that agree. No Hough filter, no guided matching:
 * on real pairs this count told the right vehicle from same-model look-alikes more often than the engine's
 * (README-matcher, "Sixteenth round"), because a look-alike's grille or lamp wins the ratio test against every
 * feature of the reference less often than against its bucket.
 *
 * <p>Costs one brute-force 2-NN per verified reference (still features x reference features Hamming distances).
 */
final class TextbookFit {
    private static final int RANSAC_ITERATIONS = 2000;
    private static final double RANSAC_CONFIDENCE = 0.999;

    /** Where the second-nearest distance of the ratio test comes from. */
    enum Mode {
        /** Nearest and second nearest over every reference feature (the textbook). */
        WHOLE,
        /** Nearest within the still feature's vocabulary bucket, second nearest over every reference feature. */
        BUCKET_NEAREST,
        /**
         * As {@link #WHOLE}, but the second nearest is the nearest reference feature away from the nearest one's
         * location ({@link #DISTINCT_SHARE} of the reference's longer side): a reference holds each corner at its
         * own size and again in its half-size and detail views, whose near-twin descriptors would fail the ratio
         * test of a true match.
         */
        DISTINCT
    }

    /** How far apart, as a share of the reference's longer side, two reference features are other locations. */
    static final double DISTINCT_SHARE = 0.02;

    private TextbookFit() {}

    /**
     * @param queryBuckets the still features' level-1 buckets (read only by {@link Mode#BUCKET_NEAREST})
     * @param thresholdPx RANSAC reprojection threshold in still pixels
     * @return distinct still locations among the RANSAC inliers; 0 when fewer than 4 matches or no homography
     */
    static int inliers(FeatureSet query, int[] queryBuckets, ReferenceView view, double ratio, double thresholdPx,
                       Mode mode) {
        Matches matches = ratioMatches(query, queryBuckets, view, ratio, mode);
        int n = matches.count();
        if (n < 4) {
            return 0;
        }
        FeatureSet ref = view.features();
        Point[] src = new Point[n];
        Point[] dst = new Point[n];
        for (int i = 0; i < n; i++) {
            src[i] = new Point(ref.x(matches.refIdx()[i]), ref.y(matches.refIdx()[i]));
            dst[i] = new Point(query.x(matches.queryIdx()[i]), query.y(matches.queryIdx()[i]));
        }
        MatOfPoint2f srcMat = new MatOfPoint2f(src);
        MatOfPoint2f dstMat = new MatOfPoint2f(dst);
        Mat mask = new Mat();
        Mat h = null;
        try {
            h = Calib3d.findHomography(srcMat, dstMat, Calib3d.RANSAC, thresholdPx, mask, RANSAC_ITERATIONS,
                    RANSAC_CONFIDENCE);
            if (h.empty()) {
                return 0;
            }
            byte[] inlier = new byte[n];
            mask.get(0, 0, inlier);
            // Distinct still locations, as the engine counts its own inliers (ORB repeats a corner across levels).
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < n; i++) {
                if (inlier[i] != 0) {
                    seen.add(SimilarityConsensus.locationKey(dst[i]));
                }
            }
            return seen.size();
        } finally {
            srcMat.release();
            dstMat.release();
            mask.release();
            if (h != null) {
                h.release();
            }
        }
    }

    /** Every still feature whose nearest reference feature passes the ratio test (many-to-one allowed). */
    static Matches ratioMatches(FeatureSet query, int[] queryBuckets, ReferenceView view, double ratio, Mode mode) {
        FeatureSet ref = view.features();
        int[] start = view.bucketStart();
        long[] q = query.descriptors;
        long[] r = ref.descriptors;
        int[] queryIdx = new int[query.count];
        int[] refIdx = new int[query.count];
        int count = 0;
        boolean bucketNearest = mode == Mode.BUCKET_NEAREST && start != null;
        for (int i = 0; i < query.count; i++) {
            long q0 = q[i << 2];
            long q1 = q[(i << 2) + 1];
            long q2 = q[(i << 2) + 2];
            long q3 = q[(i << 2) + 3];
            int d1 = Integer.MAX_VALUE;
            int d2 = Integer.MAX_VALUE;
            int j1 = -1;
            int from = bucketNearest ? start[queryBuckets[i]] : 0;
            int to = bucketNearest ? start[queryBuckets[i] + 1] : 0;
            int bucketBest = Integer.MAX_VALUE;
            int bucketJ = -1;
            for (int j = 0; j < ref.count; j++) {
                int o = j << 2;
                int d = Long.bitCount(q0 ^ r[o]) + Long.bitCount(q1 ^ r[o + 1]) + Long.bitCount(q2 ^ r[o + 2])
                        + Long.bitCount(q3 ^ r[o + 3]);
                if (d < d1) {
                    d2 = d1;
                    d1 = d;
                    j1 = j;
                } else if (d < d2) {
                    d2 = d;
                }
                if (j >= from && j < to && d < bucketBest) {
                    bucketBest = d;
                    bucketJ = j;
                }
            }
            if (mode == Mode.DISTINCT && j1 >= 0) {
                d2 = distinctSecond(q0, q1, q2, q3, ref, j1);
            }
            if (bucketNearest) {
                // The bucket's nearest must beat the whole reference's second nearest (or be the overall nearest).
                int second = bucketJ == j1 ? d2 : d1;
                if (bucketJ >= 0 && bucketBest < ratio * second) {
                    queryIdx[count] = i;
                    refIdx[count] = bucketJ;
                    count++;
                }
            } else if (j1 >= 0 && d1 < ratio * d2) {
                queryIdx[count] = i;
                refIdx[count] = j1;
                count++;
            }
        }
        return new Matches(queryIdx, refIdx, count);
    }

    /** The smallest distance to a reference feature farther than {@link #DISTINCT_SHARE} from feature {@code j1}. */
    private static int distinctSecond(long q0, long q1, long q2, long q3, FeatureSet ref, int j1) {
        double away = DISTINCT_SHARE * Math.max(ref.width, ref.height);
        double away2 = away * away;
        float x1 = ref.x(j1);
        float y1 = ref.y(j1);
        long[] r = ref.descriptors;
        int best = Integer.MAX_VALUE;
        for (int j = 0; j < ref.count; j++) {
            double dx = ref.x(j) - x1;
            double dy = ref.y(j) - y1;
            if (dx * dx + dy * dy <= away2) {
                continue;
            }
            int o = j << 2;
            int d = Long.bitCount(q0 ^ r[o]) + Long.bitCount(q1 ^ r[o + 1]) + Long.bitCount(q2 ^ r[o + 2])
                    + Long.bitCount(q3 ^ r[o + 3]);
            if (d < best) {
                best = d;
            }
        }
        return best;
    }
}
