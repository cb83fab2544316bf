package dev.reelcars.events;

import java.util.List;

/**
 * One proposed identification of a still.
 *
 * @param confidence calibrated probability in 0..1 that the still shows this reference's vehicle
 * @param outline the reference image's four corners mapped into still pixel coordinates, clockwise from top-left
 * @param inliers verified keypoint pairs, or for {@link #PLATE} evidence the number plate's matched characters
 * @param inlierPairs a sample of the geometrically verified keypoint pairs, still point then reference point (for
 *     {@link #PLATE} evidence: the plate's character centres)
 * @param evidence what the identification rests on: {@link #FEATURES} (local features, verified by a homography) or
 *     {@link #PLATE} (the number plate's characters alone: the same plate, which in a film may also be a prop moved
 *     between cars). Optional in schema version 1: an event written without it reads as {@link #FEATURES}
 */
public record Candidate(
        String referenceId,
        String label,
        String referenceBlobKey,
        double confidence,
        int inliers,
        List<Point> outline,
        List<PointPair> inlierPairs,
        String evidence) {

    public static final String FEATURES = "features";
    public static final String PLATE = "plate";

    /** A candidate found by local features. */
    public Candidate(String referenceId, String label, String referenceBlobKey, double confidence, int inliers,
                     List<Point> outline, List<PointPair> inlierPairs) {
        this(referenceId, label, referenceBlobKey, confidence, inliers, outline, inlierPairs, FEATURES);
    }

    public Candidate {
        evidence = evidence == null ? FEATURES : evidence;
        if (!evidence.equals(FEATURES) && !evidence.equals(PLATE)) {
            throw new IllegalArgumentException("evidence must be " + FEATURES + " or " + PLATE + ", got " + evidence);
        }
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
