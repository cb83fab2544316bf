package dev.reelcars.identify.matcher;

import dev.reelcars.events.Candidate.PointPair;
import dev.reelcars.events.Point;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.opencv.calib3d.Calib3d;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;

/**
 * RANSAC homography from reference to still over tentative matches, then rejection of geometrically implausible
 * results: a car seen again is a convex, non-mirrored quadrilateral of sensible size and shape.
 */
final class GeometricVerifier {
    private static final int MAX_PAIRS_REPORTED = 60;
    private static final int RANSAC_ITERATIONS = 500;
    private static final double RANSAC_CONFIDENCE = 0.995;
    /** Smallest outline area in still pixels: below ~24×24 nobody can review it and chance fits abound. */
    private static final double MIN_OUTLINE_AREA = 576;
    private static final double MIN_SCALE = 0.04;
    private static final double MAX_SCALE = 25;
    /** Opposite sides may differ this much under perspective; more is a collapsed or exploding fit. */
    private static final double MAX_SIDE_RATIO = 5;
    private static final double MIN_CORNER_ANGLE_DEG = 20;
    private static final double MAX_ASPECT_CHANGE = 4;

    /** Largest Hamming distance (of 256 bits) a guided match may have: chance pairs of ORB descriptors sit near 128. */
    private static final int GUIDED_MAX_DISTANCE = 60;
    /**
     * Matches must have a similarity consensus ({@link SimilarityConsensus}) within this many RANSAC thresholds before
     * RANSAC runs: 1 to 6 thresholds all turned away only fits RANSAC would not have verified (gallery-1000); 3 leaves
     * room for perspective across the agreeing patch.
     */
    private static final double CONSENSUS_TOLERANCE = 3;
    private final int minInliers;
    private final boolean robust;

    private final double guidedRadius;

    /**
     * @param robust reject implausible outlines, and skip RANSAC on matches without a similarity consensus (both off
     *     for the textbook matcher)
     * @param guidedRadius guided matching radius in RANSAC thresholds after the first fit (0: off)
     */
    GeometricVerifier(int minInliers, boolean robust, double guidedRadius) {
        this.minInliers = minInliers;
        this.robust = robust;
        this.guidedRadius = guidedRadius;
    }

    /**
     * @param matches the matches to fit (possibly pre-filtered)
     * @param tentative how many tentative matches there were before any filtering (for the inlier ratio)
     * @return the verification, or null when there is no plausible homography with enough inliers
     */
    Verification verify(FeatureSet query, ReferenceView view, Matches matches, int tentative, double thresholdPx) {
        double[] h = new double[9];
        Verification first = fit(view, query, matches, tentative, thresholdPx, h, -1);
        if (first == null || guidedRadius <= 0) {
            return first;
        }
        // The first fit says where the reference lies; guided matching then finds the twins the ratio test lost.
        Matches guided = GuidedMatcher.match(query, view.features(), h, guidedRadius * thresholdPx,
                GUIDED_MAX_DISTANCE);
        if (guided.count() <= first.inliers()) {
            return first;
        }
        Verification second = fit(view, query, guided, tentative, thresholdPx, new double[9], first.inlierRatio());
        return second == null || second.inliers() < first.inliers() ? first : second.afterFirst(first);
    }

    /**
     * RANSAC homography on the matches; {@code h} receives it. A negative {@code inlierRatio} means inliers /
     * tentative.
     */
    private Verification fit(ReferenceView view, FeatureSet query, Matches matches, int tentative, double thresholdPx,
                             double[] h, double inlierRatio) {
        int count = matches.count();
        int[] queryIdx = matches.queryIdx();
        int[] refIdx = matches.refIdx();
        if (count < Math.max(minInliers, 4)) {
            return null;
        }
        FeatureSet ref = view.features();
        org.opencv.core.Point[] src = new org.opencv.core.Point[count];
        org.opencv.core.Point[] dst = new org.opencv.core.Point[count];
        for (int i = 0; i < count; i++) {
            src[i] = new org.opencv.core.Point(ref.x(refIdx[i]), ref.y(refIdx[i]));
            dst[i] = new org.opencv.core.Point(query.x(queryIdx[i]), query.y(queryIdx[i]));
        }
        if (robust && !SimilarityConsensus.reaches(src, dst, count, CONSENSUS_TOLERANCE * thresholdPx, minInliers)) {
            return null;
        }
        byte[] inlierMask = homography(Calib3d.RANSAC, src, dst, count, thresholdPx, RANSAC_ITERATIONS,
                RANSAC_CONFIDENCE, h);
        return inlierMask == null ? null : evaluate(view, src, dst, inlierMask, count, tentative, h, inlierRatio);
    }

    /**
     * OpenCV's robust homography from {@code src} to {@code dst} (their first {@code count} points); {@code h}
     * receives it.
     *
     * @param method {@code Calib3d.RANSAC} (the verifier's) or one of OpenCV's USAC estimators ({@link TextbookFit})
     * @return the inlier mask (non-zero: inlier), or null when no homography was found
     */
    static byte[] homography(int method, org.opencv.core.Point[] src, org.opencv.core.Point[] dst, int count,
                             double thresholdPx, int iterations, double confidence, double[] h) {
        MatOfPoint2f srcMat = new MatOfPoint2f(src);
        MatOfPoint2f dstMat = new MatOfPoint2f(dst);
        Mat mask = new Mat();
        Mat hMat = null;
        try {
            hMat = Calib3d.findHomography(srcMat, dstMat, method, thresholdPx, mask, iterations, confidence);
            if (hMat.empty()) {
                return null;
            }
            hMat.get(0, 0, h);
            byte[] inlierMask = new byte[count];
            mask.get(0, 0, inlierMask);
            return inlierMask;
        } finally {
            srcMat.release();
            dstMat.release();
            mask.release();
            if (hMat != null) {
                hMat.release();
            }
        }
    }

    private Verification evaluate(ReferenceView view, org.opencv.core.Point[] src, org.opencv.core.Point[] dst,
            byte[] inlierMask, int count,
                                  int tentative, double[] m, double inlierRatio) {
        FeatureSet ref = view.features();
        // Distinct inliers: ORB finds the same corner at several pyramid levels; count each still location once.
        Set<Long> seen = new HashSet<>();
        long occupied = 0; // cells of an 8×8 grid over the reference holding an inlier
        List<PointPair> pairs = new ArrayList<>();
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            if (inlierMask[i] == 0) {
                continue;
            }
            if (!seen.add(SimilarityConsensus.locationKey(dst[i]))) {
                continue;
            }
            int cx = (int) Math.min(7, Math.max(0, src[i].x * 8 / ref.width));
            int cy = (int) Math.min(7, Math.max(0, src[i].y * 8 / ref.height));
            occupied |= 1L << (cy * 8 + cx);
            minX = Math.min(minX, src[i].x);
            maxX = Math.max(maxX, src[i].x);
            minY = Math.min(minY, src[i].y);
            maxY = Math.max(maxY, src[i].y);
            if (pairs.size() < MAX_PAIRS_REPORTED) {
                pairs.add(new PointPair(new Point(dst[i].x, dst[i].y), new Point(src[i].x, src[i].y)));
            }
        }
        int inliers = seen.size();
        if (inliers < minInliers) {
            return null;
        }
        double w = ref.width;
        double hgt = ref.height;
        List<Point> outline = new ArrayList<>(4);
        for (double[] c : new double[][] {{0, 0}, {w, 0}, {w, hgt}, {0, hgt}}) {
            double z = m[6] * c[0] + m[7] * c[1] + m[8];
            if (z <= 1e-9) {
                return null; // a corner maps behind the camera: not a view of a flat-ish object
            }
            outline.add(new Point((m[0] * c[0] + m[1] * c[1] + m[2]) / z, (m[3] * c[0] + m[4] * c[1] + m[5]) / z));
        }
        if (robust && !plausible(outline, w, hgt)) {
            return null;
        }
        double spread = Math.max(0, (maxX - minX) * (maxY - minY)) / (w * hgt);
        double ratio = inlierRatio >= 0 ? inlierRatio : tentative == 0 ? 0 : inliers / (double) tentative;
        return new Verification(view, inliers, ratio, Math.min(1, spread), Long.bitCount(occupied), outline, pairs);
    }

    /** Convex, clockwise (not mirrored), not collapsed, not exploded, no extreme shear or squash. */
    static boolean plausible(List<Point> q, double referenceWidth, double referenceHeight) {
        double referenceArea = referenceWidth * referenceHeight;
        double area = 0;
        for (int i = 0; i < 4; i++) {
            Point a = q.get(i);
            Point b = q.get((i + 1) % 4);
            Point c = q.get((i + 2) % 4);
            double cross = (b.x() - a.x()) * (c.y() - b.y()) - (b.y() - a.y()) * (c.x() - b.x());
            if (cross <= 0) {
                return false; // self-crossing, concave or mirrored
            }
            double e1x = a.x() - b.x();
            double e1y = a.y() - b.y();
            double e2x = c.x() - b.x();
            double e2y = c.y() - b.y();
            double cos = (e1x * e2x + e1y * e2y) / (Math.hypot(e1x, e1y) * Math.hypot(e2x, e2y));
            double angle = Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
            if (angle < MIN_CORNER_ANGLE_DEG || angle > 180 - MIN_CORNER_ANGLE_DEG) {
                return false;
            }
            area += a.x() * b.y() - b.x() * a.y();
        }
        area = Math.abs(area) / 2;
        if (area < MIN_OUTLINE_AREA) {
            return false;
        }
        double scale = Math.sqrt(area / referenceArea);
        if (scale < MIN_SCALE || scale > MAX_SCALE) {
            return false;
        }
        double top = dist(q.get(0), q.get(1));
        double right = dist(q.get(1), q.get(2));
        double bottom = dist(q.get(2), q.get(3));
        double left = dist(q.get(3), q.get(0));
        // The outline's aspect against the reference's: foreshortening squashes a car, but not by more than this.
        double aspectChange = ((top + bottom) / (left + right)) / (referenceWidth / referenceHeight);
        return ratio(top, bottom) <= MAX_SIDE_RATIO && ratio(left, right) <= MAX_SIDE_RATIO
                && ratio(aspectChange, 1) <= MAX_ASPECT_CHANGE;
    }

    private static double dist(Point a, Point b) {
        return Math.hypot(a.x() - b.x(), a.y() - b.y());
    }

    private static double ratio(double a, double b) {
        return Math.max(a, b) / Math.max(1e-9, Math.min(a, b));
    }
}
