package dev.reelcars.identify.matcher;

import java.util.HashSet;
import java.util.Set;
import org.opencv.calib3d.Calib3d;
import org.opencv.core.Point;

/**
 * A second, independent count of a reference's inliers, the way the textbook matcher counts them
 * ({@code bench/reid-textbook.py}): every still feature's nearest reference feature must pass Lowe's ratio test
 * against the second nearest over the <em>whole</em> reference, not only its vocabulary bucket, and a robust
 * homography over those matches (USAC, below) counts the distinct still locations that agree. No Hough filter, no
 * plausibility check, no guided matching. The {@code lead} term reads it ({@link EngineConfig#textbookRivals()}): a
 * same-model look-alike's grille or lamp wins the ratio test against every feature of the reference less often than
 * against its bucket, and an unknown car's count is seldom far above the next reference's (README-matcher,
 * "Nineteenth round").
 *
 * <p>Costs one brute-force 2-NN (still features x reference features Hamming distances, about 2.6 million for a
 * 1280x720 still and a full-profile view, 3.4 ms) and one robust homography per counted reference. The homography is
 * OpenCV's USAC ({@code USAC_DEFAULT}: LO-RANSAC with SPRT verification), not its classic RANSAC: a rival's or an
 * unknown car's ratio-test matches are mostly outliers, so classic RANSAC ran all its 2,000 iterations and took 13 ms
 * a count on average; USAC takes 0.35 ms and finds the same counts within 10 % for 619 of 681 (the composites at
 * 1,000 views; README-matcher, "Twentieth round").
 */
final class TextbookFit {
    private static final int RANSAC_ITERATIONS = 2000;
    private static final double RANSAC_CONFIDENCE = 0.999;

    private TextbookFit() {}

    /**
     * @param thresholdPx RANSAC reprojection threshold in still pixels
     * @return distinct still locations among the RANSAC inliers; 0 when fewer than 4 matches or no homography
     */
    static int inliers(FeatureSet query, ReferenceView view, double ratio, double thresholdPx) {
        Matches matches = ratioMatches(query, view.features(), ratio);
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
        byte[] inlier = GeometricVerifier.homography(Calib3d.USAC_DEFAULT, src, dst, n, thresholdPx,
                RANSAC_ITERATIONS, RANSAC_CONFIDENCE, new double[9]);
        if (inlier == null) {
            return 0;
        }
        // Distinct still locations, as the engine counts its own inliers (ORB repeats a corner across levels).
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (inlier[i] != 0) {
                seen.add(SimilarityConsensus.locationKey(dst[i]));
            }
        }
        return seen.size();
    }

    /**
     * Every still feature whose nearest reference feature is nearer than {@code ratio} times the second nearest, over
     * all of the reference's features (several still features may pick one reference feature, as in the textbook).
     */
    static Matches ratioMatches(FeatureSet query, FeatureSet ref, double ratio) {
        long[] q = query.descriptors;
        long[] r = ref.descriptors;
        int[] queryIdx = new int[query.count];
        int[] refIdx = new int[query.count];
        int count = 0;
        for (int i = 0; i < query.count; i++) {
            long nearest = FeatureSet.nearestTwo(q, i, r, 0, ref.count);
            int j1 = FeatureSet.nearestIndex(nearest);
            if (j1 >= 0 && FeatureSet.nearestDistance(nearest) < ratio * FeatureSet.secondDistance(nearest)) {
                queryIdx[count] = i;
                refIdx[count] = j1;
                count++;
            }
        }
        return new Matches(queryIdx, refIdx, count);
    }
}
