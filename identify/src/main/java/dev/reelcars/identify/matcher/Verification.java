package dev.reelcars.identify.matcher;

import dev.reelcars.events.Candidate.PointPair;
import dev.reelcars.events.Point;
import java.util.List;

/**
 * The geometric evidence that one reference view appears in a still (before calibration and acceptance).
 *
 * @param firstInliers distinct inliers of the first fit, over the ratio-test matches, before guided matching adds the
 *     twins found near where the fit puts them; {@code inliers} when there was no guided pass
 * @param textbookInliers distinct inliers of an independent fit over ratio-test matches against the whole reference
 *     ({@link TextbookFit}); -1 when not counted
 * @param textbookRival the largest textbook count of a reference of another label in the same shortlist, verified
 *     or not; -1 when not counted
 */
record Verification(ReferenceView view, int inliers, double inlierRatio, double spread, int cells,
                    List<Point> outline, List<PointPair> inlierPairs, int firstInliers, int textbookInliers,
                    int textbookRival) {

    /** A verification from a single fit: its inliers are the first fit's. */
    Verification(ReferenceView view, int inliers, double inlierRatio, double spread, int cells, List<Point> outline,
                 List<PointPair> inlierPairs) {
        this(view, inliers, inlierRatio, spread, cells, outline, inlierPairs, inliers, -1, -1);
    }

    /**
     * The same evidence about {@code stored}, the engine's own copy of this view: a view loaded from the descriptor
     * file for verification carries 30 KB of descriptors that a kept outcome need not hold.
     */
    Verification withView(ReferenceView stored) {
        return stored == view ? this : new Verification(stored, inliers, inlierRatio, spread, cells, outline, inlierPairs, firstInliers,
                textbookInliers, textbookRival);
    }

    /** This guided fit's verification, remembering the first fit's inliers. */
    Verification afterFirst(Verification first) {
        return new Verification(view, inliers, inlierRatio, spread, cells, outline, inlierPairs, first.firstInliers(),
                textbookInliers, textbookRival);
    }

    /** This verification with its textbook count ({@link TextbookFit}). */
    Verification withTextbookInliers(int count) {
        return new Verification(view, inliers, inlierRatio, spread, cells, outline, inlierPairs, firstInliers, count,
                textbookRival);
    }

    /** This verification with the best other label's textbook count in its shortlist. */
    Verification withTextbookRival(int count) {
        return new Verification(view, inliers, inlierRatio, spread, cells, outline, inlierPairs, firstInliers,
                textbookInliers, count);
    }
}
