package dev.reelcars.identify.matcher;

import dev.reelcars.events.Candidate.PointPair;
import dev.reelcars.events.Point;
import java.util.ArrayList;
import java.util.List;

/**
 * The number-plate channel: compares the rows of characters read in a still with those kept for every reference.
 * Two photos of one car share its plate even when they share no other surface (a front against a rear, a rear
 * against a rear three-quarter view), where local features find too little to verify. The comparison is per
 * character ({@link PlateComparer#compare}), so a plate of the same design with other characters does not pass.
 *
 * <p>Cost: one comparison per reference row, about 0.5 ms each on this machine; references without a readable row
 * cost nothing. A linear scan, not an index: see README-matcher.md ("Number plates") for where that stops scaling.
 */
final class PlateMatcher {
    /**
     * Below this mean correlation a comparison is not kept: no plate looks like that (unrelated rows score 0.3-0.7).
     */
    static final double MIN_MEAN = 0.6;
    /** A reference glyph correlating at least this well with the still is reported as a correspondence. */
    private static final double PAIR_SCORE = 0.6;

    private PlateMatcher() {}

    /** The best comparison of one reference's rows with the still's, and the geometry it implies. */
    record PlateMatch(ReferenceView view, PlateComparer.Comparison comparison, List<Point> outline,
                      List<PointPair> pairs) {}

    /** Every reference with a row that compares at least {@link #MIN_MEAN} with one of the still's rows. */
    static List<PlateMatch> scan(List<PlateReader.Row> stillRows, Iterable<ReferenceView> views) {
        List<PlateMatch> matches = new ArrayList<>();
        if (stillRows.isEmpty()) {
            return matches;
        }
        for (ReferenceView view : views) {
            List<PlateReader.Row> referenceRows = view.features().plates;
            PlateComparer.Comparison best = null;
            PlateReader.Row bestReference = null;
            PlateReader.Row bestStill = null;
            for (PlateReader.Row reference : referenceRows) {
                for (PlateReader.Row still : stillRows) {
                    PlateComparer.Comparison c = PlateComparer.compare(reference, still);
                    if (c.mean() >= MIN_MEAN && (best == null || c.mean() > best.mean())) {
                        best = c;
                        bestReference = reference;
                        bestStill = still;
                    }
                }
            }
            if (best != null) {
                matches.add(geometry(view, best, bestReference, bestStill));
            }
        }
        return matches;
    }

    /**
     * Character centres of the reference and where the comparison placed them in the still; the reference's outline
     * mapped by the similarity transform those pairs fit (the plate is flat, so it is exact for the plate and a rough
     * guide for the rest of the car, which may be seen from another side).
     */
    private static PlateMatch geometry(ReferenceView view, PlateComparer.Comparison c, PlateReader.Row reference,
                                       PlateReader.Row still) {
        List<PointPair> pairs = new ArrayList<>();
        float[] m = still.toImage();
        for (int g = 0; g < reference.size(); g++) {
            if (c.glyphScores()[g] < PAIR_SCORE) {
                continue;
            }
            double sx = c.a() * reference.sx()[g] + c.b();
            double sy = PlateReader.STRIP_H / 2.0;
            Point inStill = new Point(m[0] * sx + m[1] * sy + m[2], m[3] * sx + m[4] * sy + m[5]);
            pairs.add(new PointPair(inStill, new Point(reference.xs()[g], reference.ys()[g])));
        }
        double[] s = similarity(pairs);
        FeatureSet f = view.features();
        List<Point> outline = new ArrayList<>();
        for (double[] corner : new double[][] {{0, 0}, {f.width, 0}, {f.width, f.height}, {0, f.height}}) {
            outline.add(new Point(s[0] * corner[0] - s[1] * corner[1] + s[2], s[1] * corner[0]
                    + s[0] * corner[1] + s[3]));
        }
        return new PlateMatch(view, c, outline, pairs);
    }

    /**
     * Least-squares similarity reference → still, {@code x' = p x - q y + tx, y' = q x + p y + ty}, as
     * {@code {p, q, tx, ty}}; the identity shifted onto the first pair when fewer than two pairs are given.
     */
    static double[] similarity(List<PointPair> pairs) {
        int n = pairs.size();
        if (n == 0) {
            return new double[] {1, 0, 0, 0};
        }
        double mx = 0;
        double my = 0;
        double ux = 0;
        double uy = 0;
        for (PointPair c : pairs) {
            mx += c.reference().x();
            my += c.reference().y();
            ux += c.still().x();
            uy += c.still().y();
        }
        mx /= n;
        my /= n;
        ux /= n;
        uy /= n;
        double a = 0;
        double b = 0;
        double d = 0;
        for (PointPair c : pairs) {
            double x = c.reference().x() - mx;
            double y = c.reference().y() - my;
            double u = c.still().x() - ux;
            double v = c.still().y() - uy;
            a += x * u + y * v;
            b += x * v - y * u;
            d += x * x + y * y;
        }
        double p = d > 0 ? a / d : 1;
        double q = d > 0 ? b / d : 0;
        return new double[] {p, q, ux - (p * mx - q * my), uy - (q * mx + p * my)};
    }
}
