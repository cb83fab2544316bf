package dev.reelcars.identify.matcher;

import dev.reelcars.events.Candidate.PointPair;
import dev.reelcars.events.Point;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Where the vehicles already found lie in a still, so that the still can be searched again for another one: per
 * vehicle, the convex hull of its inliers' still points, widened about its centre by {@link #GROW} (the inliers
 * cover the car's textured parts; its plain panels and wheels lie just beyond them).
 */
final class VehicleMask {
    /** How much each hull is widened about its centroid. */
    static final double GROW = 1.3;
    private final List<double[][]> hulls = new ArrayList<>();

    /** Sets aside the region of a vehicle given by its inlier pairs (fewer than 3 points: nothing). */
    void add(List<PointPair> inliers) {
        if (inliers.size() < 3) {
            return;
        }
        double[][] points = new double[inliers.size()][];
        for (int i = 0; i < points.length; i++) {
            Point p = inliers.get(i).still();
            points[i] = new double[] {p.x(), p.y()};
        }
        double[][] hull = convexHull(points);
        if (hull.length < 3) {
            return;
        }
        double cx = 0;
        double cy = 0;
        for (double[] p : hull) {
            cx += p[0] / hull.length;
            cy += p[1] / hull.length;
        }
        for (double[] p : hull) {
            p[0] = cx + (p[0] - cx) * GROW;
            p[1] = cy + (p[1] - cy) * GROW;
        }
        hulls.add(hull);
    }

    /** Per feature of {@code features}, whether it lies outside every vehicle set aside. */
    boolean[] outside(FeatureSet features) {
        boolean[] keep = new boolean[features.count];
        for (int i = 0; i < features.count; i++) {
            keep[i] = true;
            for (double[][] hull : hulls) {
                if (inside(hull, features.x(i), features.y(i))) {
                    keep[i] = false;
                    break;
                }
            }
        }
        return keep;
    }

    /** The vehicles of these candidates set aside, each by its inlier pairs (see {@link #add}). */
    static VehicleMask of(List<Detection> candidates) {
        VehicleMask mask = new VehicleMask();
        candidates.forEach(c -> mask.add(c.inlierPairs()));
        return mask;
    }

    /**
     * Whether the centre of these pairs' still points (a number plate's characters, say) lies on a vehicle set aside;
     * no pairs: false.
     */
    boolean covers(List<PointPair> pairs) {
        if (pairs.isEmpty()) {
            return false;
        }
        double x = 0;
        double y = 0;
        for (PointPair p : pairs) {
            x += p.still().x() / pairs.size();
            y += p.still().y() / pairs.size();
        }
        return covers(new Point(x, y));
    }

    /** Whether a still point lies on a vehicle set aside. */
    boolean covers(Point p) {
        for (double[][] hull : hulls) {
            if (inside(hull, p.x(), p.y())) {
                return true;
            }
        }
        return false;
    }

    /** Inside a convex polygon given counter-clockwise (in y-down pixels: as {@link #convexHull} returns it). */
    static boolean inside(double[][] hull, double x, double y) {
        for (int i = 0; i < hull.length; i++) {
            double[] a = hull[i];
            double[] b = hull[(i + 1) % hull.length];
            if ((b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Andrew's monotone chain; collinear points dropped; the result turns left (positive cross products). */
    static double[][] convexHull(double[][] points) {
        double[][] p = points.clone();
        Arrays.sort(p, Comparator.<double[]>comparingDouble(q -> q[0]).thenComparingDouble(q -> q[1]));
        int n = p.length;
        double[][] hull = new double[2 * n][];
        int k = 0;
        for (int i = 0; i < n; i++) {
            while (k >= 2 && cross(hull[k - 2], hull[k - 1], p[i]) <= 0) {
                k--;
            }
            hull[k++] = p[i];
        }
        for (int i = n - 2, lower = k + 1; i >= 0; i--) {
            while (k >= lower && cross(hull[k - 2], hull[k - 1], p[i]) <= 0) {
                k--;
            }
            hull[k++] = p[i];
        }
        double[][] out = new double[Math.max(0, k - 1)][];
        for (int i = 0; i < out.length; i++) {
            out[i] = hull[i].clone();
        }
        return out;
    }

    private static double cross(double[] o, double[] a, double[] b) {
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    }
}
