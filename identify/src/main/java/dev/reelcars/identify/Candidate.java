package dev.reelcars.identify;

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
 */
public record Candidate(String referenceId, String label, double confidence, int inliers,
                        List<Point2> outline, List<Correspondence> inlierPairs, boolean byPlate) {
  /** A candidate found by local features. */
  public Candidate(String referenceId, String label, double confidence, int inliers, List<Point2> outline,
                   List<Correspondence> inlierPairs) {
    this(referenceId, label, confidence, inliers, outline, inlierPairs, false);
  }

  public Candidate {
    Objects.requireNonNull(referenceId, "referenceId");
    Objects.requireNonNull(label, "label");
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be within 0..1, was " + confidence);
    }
    if (outline.size() != 4) {
      throw new IllegalArgumentException("outline must have 4 corners, had " + outline.size());
    }
    outline = List.copyOf(outline);
    inlierPairs = List.copyOf(inlierPairs);
  }
}
