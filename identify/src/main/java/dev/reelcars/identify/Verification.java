package dev.reelcars.identify;

import java.util.List;

/** The geometric evidence that one reference view appears in a still (before calibration and acceptance). */
record Verification(ReferenceView view, int inliers, int tentative, double spread, List<Point2> outline,
                    List<Correspondence> inlierPairs) {

  double inlierRatio() {
    return tentative == 0 ? 0 : inliers / (double) tentative;
  }
}
