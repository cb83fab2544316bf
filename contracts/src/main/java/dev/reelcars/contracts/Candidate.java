package dev.reelcars.contracts;

import java.util.List;

/**
 * One proposed identification of a still.
 *
 * @param confidence calibrated probability in 0..1 that the still shows this reference's vehicle
 * @param outline the reference image's four corners mapped into still pixel coordinates, clockwise from top-left
 * @param inlierPairs a sample of the geometrically verified keypoint pairs, still point then reference point
 */
public record Candidate(
        String referenceId,
        String label,
        String referenceBlobKey,
        double confidence,
        int inliers,
        List<Point> outline,
        List<PointPair> inlierPairs) {

    public Candidate {
        Ids.require(referenceId, "referenceId");
        if (confidence < 0 || confidence > 1 || Double.isNaN(confidence)) {
            throw new IllegalArgumentException("confidence must be in 0..1, got " + confidence);
        }
        outline = outline == null ? List.of() : List.copyOf(outline);
        inlierPairs = inlierPairs == null ? List.of() : List.copyOf(inlierPairs);
    }

    /** A still point and the reference point it matched. */
    public record PointPair(Point still, Point reference) {
    }
}
