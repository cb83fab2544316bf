package dev.reelcars.identify.matcher;

import static dev.reelcars.identify.matcher.Glyphs.GLYPH_H;
import static dev.reelcars.identify.matcher.Glyphs.GLYPH_PX;
import static dev.reelcars.identify.matcher.Glyphs.GLYPH_W;
import static dev.reelcars.identify.matcher.Glyphs.MIN_STRETCH;
import static dev.reelcars.identify.matcher.PlateReader.ROW_HEIGHT;
import static dev.reelcars.identify.matcher.PlateReader.STRIP_H;

import dev.reelcars.identify.matcher.Glyphs.Sums;
import dev.reelcars.identify.matcher.PlateReader.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares rows of characters read by {@link PlateReader}: glyph against glyph (normalised cross-correlation), and a
 * reference's row against a still's, character by character at the places a 1-D line fit predicts. Pure Java on the
 * rows' heap arrays; no native memory.
 */
final class PlateComparer {
    /** Glyphs are compared at shifts of up to this many glyph pixels: box edges wander by a pixel or two. */
    private static final int SHIFT = 2;
    /**
     * A character correlating less than this ends the comparison (the rest score 0): such a plate can never be
     * accepted ({@link PlateModel#MIN_GLYPH}), and most plates of one design differ early in the row.
     */
    private static final double GIVE_UP = 0.35;
    /**
     * A comparison goes on only when this many of the reference's characters have a like glyph in the still's row and
     * that many like pairs agree on where the row lies: a same plate has all of them, a row of unrelated lettering
     * rarely three.
     */
    private static final int MIN_LIKE_GLYPHS = 3;
    /** Rows whose lengths differ more are not one plate (a character or two may be lost or merged). */
    private static final int MAX_LENGTH_DIFFERENCE = 3;
    /** At most this many like glyph pairs enter the line search. */
    private static final int MAX_LIKE_PAIRS = 24;
    /**
     * Blur, in glyph pixels (a glyph is 12 × 20), of the second, softened reading of a reference: on the film copy of
     * RK 878AC, 0.6 / 0.8 / 1.0 / 1.3 lift its lowest character from 0.61 to 0.65 / 0.66 / 0.66 / 0.66, while its photo
     * scores best unsoftened.
     */
    static final double SOFTEN_SIGMA = 0.8;
    private static final double[] SOFTEN_KERNEL = gaussian(SOFTEN_SIGMA);
    /**
     * The softened reading is made only when the first one's lowest character reached this, 0.10 under
     * {@link PlateModel#MIN_GLYPH}: softening lifts a character by a few hundredths, so a reading further off rarely
     * passes with it (on the calibration split, softening every comparison gave 92 plate identifications instead of
     * 90, for 4× the plate scan's time).
     */
    static final double SOFTEN_WITHIN = PlateModel.MIN_GLYPH - 0.10;

    private PlateComparer() {}

    /** Normalised cross-correlation of two glyphs (one-pixel shifts allowed); 0 when their proportions differ. */
    static double similarity(Row a, int i, Row b, int j) {
        return similarity(a, i, Sums.of(a.cells()), b, j, Sums.of(b.cells()));
    }

    /** As above, with the rows' {@link Sums} computed once by the caller. */
    static double similarity(Row a, int i, Sums sa, Row b, int j, Sums sb) {
        return Glyphs.similarity(a.cells(), i, a.aspect(i), sa, b.cells(), j, b.aspect(j), sb);
    }

    /**
     * How alike the reference's row is to the still's, character by character (0..1): the mean, over every glyph of
     * the reference's row, of its best correlation with the still's strip at the place the alignment of the two rows
     * predicts. Glyphs are re-cut from the still's strip at the reference's boxes, so a character the still's own
     * segmentation merged or missed is still compared, and a different character in the same place counts against.
     *
     * @param still a row with its strip (from a still)
     * @return the score, and the aligned glyph pairs {@code [reference glyph, still glyph]}
     */
    static Comparison compare(Row reference, Row still) {
        if (still.strip() == null) {
            return Comparison.NONE;
        }
        // A film still's characters are softer than a photo's: a sharp reference glyph then correlates less with its
        // own
        // character than the two photos' glyphs do (RK 878AC: lowest character 0.70 photo to photo, 0.61 photo to film
        // copy). Such a reference is compared a second time softened to about a film still's blur, and the closer of
        // the
        // two readings counts; on a sharp still the sharp reference stays the closer one. Only a reading near the floor
        // is made again (SOFTEN_WITHIN), which keeps the scan's cost.
        Comparison sharp = compareOnce(reference, still);
        if (sharp.min() < SOFTEN_WITHIN) {
            return sharp;
        }
        Comparison soft = compareOnce(softened(reference), still);
        return soft.mean() + soft.min() > sharp.mean() + sharp.min() ? soft : sharp;
    }

    /** A reference row whose glyphs are blurred by {@link #SOFTEN_SIGMA} glyph pixels (each glyph re-normalised). */
    static Row softened(Row reference) {
        return new Row(blurGlyphs(reference.cells()), reference.sx(), reference.boxW(), reference.boxH(),
                reference.xs(), reference.ys(), reference.toImage(), reference.charHeight(), reference.strip(),
                reference.stripW());
    }

    /**
     * Separable Gaussian blur ({@link #SOFTEN_SIGMA}) of each {@code GLYPH_W × GLYPH_H} glyph, edges clamped, each
     * glyph re-quantised ({@link PlateReader#quantise}).
     */
    private static byte[] blurGlyphs(byte[] cells) {
        double[] k = SOFTEN_KERNEL;
        int r = k.length / 2;
        byte[] out = new byte[cells.length];
        double[] across = new double[GLYPH_PX];
        double[] v = new double[GLYPH_PX];
        for (int o = 0; o + GLYPH_PX <= cells.length; o += GLYPH_PX) {
            for (int y = 0; y < GLYPH_H; y++) {
                for (int x = 0; x < GLYPH_W; x++) {
                    double acc = 0;
                    for (int i = -r; i <= r; i++) {
                        acc += k[i + r] * cells[o + y * GLYPH_W + Math.max(0, Math.min(GLYPH_W - 1, x + i))];
                    }
                    across[y * GLYPH_W + x] = acc;
                }
            }
            for (int y = 0; y < GLYPH_H; y++) {
                for (int x = 0; x < GLYPH_W; x++) {
                    double acc = 0;
                    for (int i = -r; i <= r; i++) {
                        acc += k[i + r] * across[Math.max(0, Math.min(GLYPH_H - 1, y + i)) * GLYPH_W + x];
                    }
                    v[y * GLYPH_W + x] = acc;
                }
            }
            PlateReader.quantise(v, out, o);
        }
        return out;
    }

    private static double[] gaussian(double sigma) {
        int r = (int) Math.ceil(2.5 * sigma);
        double[] k = new double[2 * r + 1];
        double total = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            total += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= total;
        }
        return k;
    }

    /** One reading: the reference row as given against the still's row. */
    static Comparison compareOnce(Row reference, Row still) {
        // Where the reference's row lies along the still's strip, x' = a·x + b: each two pairs of like glyphs
        // propose a line (1-D RANSAC, exhaustively); the one most other like pairs agree with wins and is refitted on
        // them. Both strips have the same character height, so a stays near 1. A single alignment of the rows goes
        // wrong on rows with repeated characters ("878").
        if (Math.abs(reference.size() - still.size()) > MAX_LENGTH_DIFFERENCE) {
            return Comparison.NONE;
        }
        List<int[]> like = new ArrayList<>();
        List<Double> likeness = new ArrayList<>();
        int likeGlyphs = 0;
        Sums referenceSums = Sums.of(reference.cells());
        Sums stillSums = Sums.of(still.cells());
        for (int i = 0; i < reference.size(); i++) {
            boolean found = false;
            for (int j = 0; j < still.size(); j++) {
                double sim = similarity(reference, i, referenceSums, still, j, stillSums);
                if (sim >= 0.65) {
                    like.add(new int[] {i, j});
                    likeness.add(sim);
                    found = true;
                }
            }
            likeGlyphs += found ? 1 : 0;
        }
        if (likeGlyphs < MIN_LIKE_GLYPHS) {
            return Comparison.NONE; // too few characters alike to place the row, and to be worth the full comparison
        }
        if (like.size() > MAX_LIKE_PAIRS) {
            // The line search below is cubic in the pairs: rows of alike shapes would make it the whole cost. The most
            // alike pairs are the ones a true line runs through.
            Integer[] order = new Integer[like.size()];
            for (int k = 0; k < order.length; k++) {
                order[k] = k;
            }
            Arrays.sort(order, (x, y) -> Double.compare(likeness.get(y), likeness.get(x)));
            List<int[]> kept = new ArrayList<>();
            for (int k = 0; k < MAX_LIKE_PAIRS; k++) {
                kept.add(like.get(order[k]));
            }
            like = kept;
        }
        double[] line = null;
        int support = 0;
        for (int p = 0; p < like.size(); p++) {
            for (int q = p + 1; q < like.size(); q++) {
                int[] u = like.get(p);
                int[] v = like.get(q);
                float dr = reference.sx()[v[0]] - reference.sx()[u[0]];
                if (u[0] == v[0] || u[1] == v[1] || Math.abs(dr) < 1e-3) {
                    continue;
                }
                double a = (still.sx()[v[1]] - still.sx()[u[1]]) / dr;
                if (a < MIN_STRETCH || a > 1 / MIN_STRETCH) {
                    continue;
                }
                double b = still.sx()[u[1]] - a * reference.sx()[u[0]];
                int agree = 0;
                for (int[] w : like) {
                    agree += Math.abs(a * reference.sx()[w[0]] + b - still.sx()[w[1]]) < 0.15 * ROW_HEIGHT ? 1 : 0;
                }
                if (agree > support) {
                    support = agree;
                    line = new double[] {a, b};
                }
            }
        }
        if (line == null || support < MIN_LIKE_GLYPHS) {
            return Comparison.NONE;
        }
        double[] ab = refit(reference, still, like, line);
        int gw = GLYPH_W + 2 * SHIFT;
        byte[] window = new byte[gw * (GLYPH_H + 2 * SHIFT)];
        Sums windowSums = Sums.of(window, gw, GLYPH_H + 2 * SHIFT);
        float[] glyphScores = new float[reference.size()];
        for (int g = 0; g < reference.size(); g++) {
            float x = (float) (ab[0] * reference.sx()[g] + ab[1]);
            if (x < 0 || x >= still.stripW()) {
                continue; // off the still's strip: no likeness
            }
            // Heights agree by construction; widths scale with the line (a plate seen at an angle is narrower).
            PlateReader.sample(still.strip(), still.stripW(), x, STRIP_H / 2f, (float) (reference.boxW()[g] * ab[0]),
                    reference.boxH()[g], SHIFT, window, 0);
            windowSums.fill(window, 1);
            double top = 0;
            for (int dy = -SHIFT; dy <= SHIFT; dy++) {
                for (int dx = -SHIFT; dx <= SHIFT; dx++) {
                    top = Math.max(top, Glyphs.correlation(reference.cells(), g, referenceSums, window, 0,
                            windowSums, dx, dy));
                }
            }
            glyphScores[g] = (float) top;
            if (top < GIVE_UP) {
                break; // one character this unlike settles it (the rest stay 0): the plate model needs every one alike
            }
        }
        return Comparison.of(glyphScores, ab[0], ab[1]);
    }

    /** Least squares refit of the line on the like pairs within reach of it. */
    private static double[] refit(Row reference, Row still, List<int[]> like, double[] line) {
        double sr = 0;
        double ss = 0;
        double srr = 0;
        double srs = 0;
        int n = 0;
        for (int[] w : like) {
            double r = reference.sx()[w[0]];
            double t = still.sx()[w[1]];
            if (Math.abs(line[0] * r + line[1] - t) < 0.15 * ROW_HEIGHT) {
                sr += r;
                ss += t;
                srr += r * r;
                srs += r * t;
                n++;
            }
        }
        double var = srr - sr * sr / n;
        if (n < 2 || var <= 0) {
            return line;
        }
        double a = (srs - sr * ss / n) / var;
        if (a < MIN_STRETCH || a > 1 / MIN_STRETCH) {
            return line;
        }
        return new double[] {a, (ss - a * sr) / n};
    }

    /**
     * The outcome of {@link #compare}: each reference glyph's best correlation with the still at the chosen place,
     * their mean and minimum, and the line {@code still strip x = a · reference strip x + b}.
     */
    record Comparison(double mean, double min, float[] glyphScores, double a, double b) {
        static final Comparison NONE = new Comparison(0, 0, new float[0], 1, 0);

        static Comparison of(float[] glyphScores, double a, double b) {
            double sum = 0;
            double min = 1;
            for (float v : glyphScores) {
                sum += v;
                min = Math.min(min, v);
            }
            return new Comparison(sum / glyphScores.length, Math.max(0, min), glyphScores, a, b);
        }
    }
}
