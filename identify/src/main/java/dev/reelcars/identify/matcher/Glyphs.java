package dev.reelcars.identify.matcher;

/**
 * A plate character's glyph, the unit both {@link PlateReader} (which cuts glyphs and drops rows of one repeated
 * shape) and {@link PlateComparer} (which compares rows) work in: its size, and the similarity of two glyphs. Knows
 * neither the reader nor the comparer, so they do not depend on each other both ways.
 */
final class Glyphs {
    static final int GLYPH_W = 12;
    static final int GLYPH_H = 20;
    static final int GLYPH_PX = GLYPH_W * GLYPH_H;
    /** The narrowest a row may look against the same row seen square on: a plate seen at about 50 degrees. */
    static final double MIN_STRETCH = 0.6;

    private Glyphs() {}

    /**
     * Normalised cross-correlation of glyph {@code i} of {@code a} with glyph {@code j} of {@code b} (one-pixel shifts
     * allowed), given each glyph's box aspect (width / height) and each row's {@link Sums}; 0 when their proportions
     * differ by more than {@link #MIN_STRETCH}.
     */
    static double similarity(byte[] a, int i, float aspectA, Sums sa, byte[] b, int j, float aspectB, Sums sb) {
        double ar = aspectA / aspectB;
        if (ar > 1 / MIN_STRETCH || ar < MIN_STRETCH) {
            return 0;
        }
        double best = correlation(a, i, sa, b, j, sb, 0, 0);
        if (best < 0.45) {
            return best; // unlike: shifting by a pixel has not been seen to lift such a pair above 0.65 (and costs 8×)
        }
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                if (dx != 0 || dy != 0) {
                    best = Math.max(best, correlation(a, i, sa, b, j, sb, dx, dy));
                }
            }
        }
        return best;
    }

    /**
     * Summed-area tables of a run of equal blocks (glyphs, or re-cut windows), values and squares: a correlation then
     * sums only the products. The comparison's correlations were nine tenths of the plate scan's time.
     */
    static final class Sums {
        final int w;
        final int h;
        final int[] sum;
        final int[] squares;

        private Sums(int w, int h, int blocks) {
            this.w = w;
            this.h = h;
            this.sum = new int[blocks * (w + 1) * (h + 1)];
            this.squares = new int[blocks * (w + 1) * (h + 1)];
        }

        /** The tables of a row's glyphs ({@link #GLYPH_W} × {@link #GLYPH_H} each). */
        static Sums of(byte[] cells) {
            return of(cells, GLYPH_W, GLYPH_H);
        }

        static Sums of(byte[] cells, int w, int h) {
            int blocks = cells.length / (w * h);
            Sums s = new Sums(w, h, blocks);
            s.fill(cells, blocks);
            return s;
        }

        /** Recomputes the tables for new contents of the same shape. */
        void fill(byte[] cells, int blocks) {
            int stride = w + 1;
            for (int g = 0; g < blocks; g++) {
                int t = g * stride * (h + 1);
                int o = g * w * h;
                for (int y = 0; y < h; y++) {
                    int row = 0;
                    int rowSq = 0;
                    for (int x = 0; x < w; x++) {
                        int v = cells[o + y * w + x];
                        row += v;
                        rowSq += v * v;
                        sum[t + (y + 1) * stride + x + 1] = sum[t + y * stride + x + 1] + row;
                        squares[t + (y + 1) * stride + x + 1] = squares[t + y * stride + x + 1] + rowSq;
                    }
                }
            }
        }

        /** Sum over block {@code g}'s pixels x0 <= x < x1, y0 <= y < y1, of values or of squares. */
        long over(int[] table, int g, int x0, int y0, int x1, int y1) {
            int stride = w + 1;
            int t = g * stride * (h + 1);
            return table[t + y1 * stride + x1] - table[t + y0 * stride + x1] - table[t + y1 * stride + x0]
                    + table[t + y0 * stride + x0];
        }
    }

    /**
     * Correlation of glyph {@code ga} of {@code a} with block {@code gb} of {@code b} (a glyph, or a window
     * {@code 2 · margin} larger each way) offset by (dx, dy) from its centre, over their overlap.
     */
    static double correlation(byte[] a, int ga, Sums sa, byte[] b, int gb, Sums sb, int dx, int dy) {
        int bw = sb.w;
        int margin = (bw - GLYPH_W) / 2;
        int bh = GLYPH_H + 2 * margin;
        int y0 = Math.max(0, -dy - margin);
        int y1 = Math.min(GLYPH_H, bh - dy - margin);
        int x0 = Math.max(0, -dx - margin);
        int x1 = Math.min(GLYPH_W, bw - dx - margin);
        int count = Math.max(0, y1 - y0) * Math.max(0, x1 - x0);
        if (count == 0) {
            return 0;
        }
        int oa = ga * GLYPH_PX;
        int ob = gb * bw * bh;
        long suv = 0;
        for (int y = y0; y < y1; y++) {
            int ra = oa + y * GLYPH_W;
            int rb = ob + (y + dy + margin) * bw + dx + margin;
            for (int x = x0; x < x1; x++) {
                suv += a[ra + x] * b[rb + x];
            }
        }
        int bx = dx + margin;
        int by = dy + margin;
        long su = sa.over(sa.sum, ga, x0, y0, x1, y1);
        long suu = sa.over(sa.squares, ga, x0, y0, x1, y1);
        long sv = sb.over(sb.sum, gb, x0 + bx, y0 + by, x1 + bx, y1 + by);
        long svv = sb.over(sb.squares, gb, x0 + bx, y0 + by, x1 + bx, y1 + by);
        double cov = suv - su * (double) sv / count;
        double varU = suu - su * (double) su / count;
        double varV = svv - sv * (double) sv / count;
        return varU <= 0 || varV <= 0 ? 0 : cov / Math.sqrt(varU * varV);
    }
}
