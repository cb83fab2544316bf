package dev.reelcars.events;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param answer what an accepted candidate claims: {@link #VEHICLE} (the evidence shows the same physical vehicle:
 *     its plate's characters, or local features strong enough that a look-alike of the same model does not reach
 *     them on real cross-camera pairs) or {@link #MODEL} (the same model, perhaps the same vehicle: the label names a
 *     model, or the evidence is design every car of the model shares). Optional in schema version 1 and absent
 *     (null) on near misses and on events written before it existed: a reader then shows the candidate as before,
 *     without either claim
 */
public record Candidate(
        String referenceId,
        String label,
        String referenceBlobKey,
        double confidence,
        int inliers,
        List<Point> outline,
        List<PointPair> inlierPairs,
        String evidence,
        @JsonInclude(JsonInclude.Include.NON_NULL) String answer) {

    public static final String FEATURES = "features";
    public static final String PLATE = "plate";
    public static final String VEHICLE = "vehicle";
    public static final String MODEL = "model";

    /** A candidate found by local features. */
    public Candidate(String referenceId, String label, String referenceBlobKey, double confidence, int inliers,
                     List<Point> outline, List<PointPair> inlierPairs) {
        this(referenceId, label, referenceBlobKey, confidence, inliers, outline, inlierPairs, FEATURES);
    }

    /** A candidate that makes no claim of kind (a near miss, or one written before {@code answer} existed). */
    public Candidate(String referenceId, String label, String referenceBlobKey, double confidence, int inliers,
                     List<Point> outline, List<PointPair> inlierPairs, String evidence) {
        this(referenceId, label, referenceBlobKey, confidence, inliers, outline, inlierPairs, evidence, null);
    }

    public Candidate {
        evidence = evidence == null ? FEATURES : evidence;
        if (!evidence.equals(FEATURES) && !evidence.equals(PLATE)) {
            throw new IllegalArgumentException("evidence must be " + FEATURES + " or " + PLATE + ", got " + evidence);
        }
        if (answer != null && !answer.equals(VEHICLE) && !answer.equals(MODEL)) {
            throw new IllegalArgumentException("answer must be " + VEHICLE + ", " + MODEL + " or absent, got " + answer);
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
