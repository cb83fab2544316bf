package dev.reelcars.identify.matcher;

import dev.reelcars.events.Candidate.PointPair;
import dev.reelcars.events.Point;
import java.util.List;

/** The geometric evidence that one reference view appears in a still (before calibration and acceptance). */
record Verification(ReferenceView view, int inliers, double inlierRatio, double spread, int cells,
                    List<Point> outline, List<PointPair> inlierPairs) {}
