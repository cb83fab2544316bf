package dev.reelcars.identify.matcher;

import dev.reelcars.events.Candidate.PointPair;
import dev.reelcars.events.Point;
import java.util.List;
import java.util.Objects;

/**
 * A reference accepted as present in the still.
 *
 * @param confidence calibrated probability (0..1) that the identification is right
 * @param inliers RANSAC inliers of the homography reference → still
 * @param outline the reference image's four corners mapped into still pixels, clockwise from top-left
 * @param inlierPairs a sample (at most about 60) of the inlier correspondences, for the reviewer page
 * @param byPlate accepted on the number plate's characters alone ({@code inliers} and {@code inlierPairs} are then
 *     the matched characters), not on verified local features
 * @param answer what an accepted candidate claims, {@link MatchKind#VEHICLE} or {@link MatchKind#MODEL}; null for a
 *     near miss and before the engine has classified it
 */
public record Detection(String referenceId, String label, double confidence, int inliers,
                        List<Point> outline, List<PointPair> inlierPairs, boolean byPlate, MatchKind answer) {
    /** A candidate found by local features. */
    public Detection(String referenceId, String label, double confidence, int inliers, List<Point> outline,
                     List<PointPair> inlierPairs) {
        this(referenceId, label, confidence, inliers, outline, inlierPairs, false, null);
    }

    /** A candidate not yet classified. */
    public Detection(String referenceId, String label, double confidence, int inliers, List<Point> outline,
                     List<PointPair> inlierPairs, boolean byPlate) {
        this(referenceId, label, confidence, inliers, outline, inlierPairs, byPlate, null);
    }

    public Detection {
        Objects.requireNonNull(referenceId, "referenceId");
        Objects.requireNonNull(label, "label");
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be within 0..1, was " + confidence);
        }
        if (outline.size() != 4) {
            throw new IllegalArgumentException("outline must have 4 corners, had " + outline.size());
        }
        if (answer == MatchKind.NONE) {
            throw new IllegalArgumentException("a candidate's answer is vehicle, model or not yet given, never none");
        }
        outline = List.copyOf(outline);
        inlierPairs = List.copyOf(inlierPairs);
    }

    /** This candidate with the kind of answer it gives. */
    public Detection withAnswer(MatchKind kind) {
        return new Detection(referenceId, label, confidence, inliers, outline, inlierPairs, byPlate, kind);
    }
}
