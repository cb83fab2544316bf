package dev.reelcars.identify.matcher;

import dev.reelcars.events.Candidate.PointPair;
import dev.reelcars.events.Point;
import java.util.List;

/**
 * The geometric evidence that one reference view appears in a still (before calibration and acceptance).
 *
 * @param firstInliers distinct inliers of the first fit, over the ratio-test matches, before guided matching adds the
 *     twins found near where the fit puts them; {@code inliers} when there was no guided pass
 */
record Verification(ReferenceView view, int inliers, double inlierRatio, double spread, int cells,
                    List<Point> outline, List<PointPair> inlierPairs, int firstInliers) {

    /** A verification from a single fit: its inliers are the first fit's. */
    Verification(ReferenceView view, int inliers, double inlierRatio, double spread, int cells, List<Point> outline,
                 List<PointPair> inlierPairs) {
        this(view, inliers, inlierRatio, spread, cells, outline, inlierPairs, inliers);
    }

    /**
     * The same evidence about {@code stored}, the engine's own copy of this view: a view loaded from the descriptor
     * file for verification carries 30 KB of descriptors that a kept outcome need not hold.
     */
    Verification withView(ReferenceView stored) {
        return new Verification(stored, inliers, inlierRatio, spread, cells, outline, inlierPairs, firstInliers);
    }

    /** This guided fit's verification, remembering the first fit's inliers. */
    Verification afterFirst(Verification first) {
        return new Verification(view, inliers, inlierRatio, spread, cells, outline, inlierPairs, first.firstInliers());
    }
}
