package dev.reelcars.identify.matcher;

import java.util.Arrays;

/**
 * The 8-connected components of both polarities of a binary image in one pass, with each component's box and
 * area: what {@code Imgproc.connectedComponentsWithStats} gives once per polarity, without a label image.
 *
 * <p>Why not OpenCV: the plate reader needs only the boxes and areas, of the ink and of its complement. OpenCV
 * labels every pixel and then sums every pixel's coordinates into centroids, once per polarity: 9.0 ms for the two
 * polarities of a still at detection size (1,000 px wide; mean over the benchmark's test queries), most of the
 * 10.2 ms its plate reading took. Runs of equal pixels, joined row to row with a union-find, give both polarities
 * from one scan of the pixels in 2.5 ms, and the union-find's work grows with the runs, not the pixels.
 *
 * <p>Also used on each straightened row's strip, where only the ink is read: the strip is a few thousand pixels,
 * so one mechanism for both costs less than keeping OpenCV's beside it.
 *
 * <p>Components are listed in raster order of their first pixel (OpenCV's order differs, and is not documented).
 * Pure Java on a heap copy of the pixels; no native memory.
 */
final class Components {
    /** Entries per component, as in OpenCV's stats: left, top, width, height, area. */
    static final int STATS = 5;

    /** Components of the non-zero pixels ({@code ink}) and of the zero pixels ({@code paper}). */
    record Both(Stats ink, Stats paper) {}

    /**
     * Components of one polarity: {@code count} entries of {@link #STATS} ints in {@code stats}, entry 0 left empty
     * (OpenCV's background label), so component {@code i}'s left is {@code stats[i * 5]} for {@code 1 <= i < count}.
     */
    record Stats(int[] stats, int count) {}

    private Components() {}

    /** @param pixels {@code width × height} bytes, row-major; zero is paper, anything else ink */
    static Both of(byte[] pixels, int width, int height) {
        if (pixels.length < (long) width * height) {
            throw new IllegalArgumentException("pixels: " + pixels.length + " bytes for " + width + " × " + height);
        }
        Labeler ink = new Labeler(width);
        Labeler paper = new Labeler(width);
        for (int y = 0; y < height; y++) {
            int o = y * width;
            int x = 0;
            while (x < width) {
                byte v = pixels[o + x];
                int start = x;
                do {
                    x++;
                } while (x < width && pixels[o + x] == v);
                (v != 0 ? ink : paper).run(start, x, y);
            }
            ink.endRow();
            paper.endRow();
        }
        return new Both(ink.stats(), paper.stats());
    }

    /**
     * Joins the runs of one polarity into components: a run of row y is 8-connected to every run of row y - 1 that
     * overlaps it or touches it at a corner. Each run gets a provisional label; labels are merged in a union-find
     * whose root is always the smallest label, so a component's root is its first run in raster order.
     */
    private static final class Labeler {
        private int[] previousStart;
        private int[] previousEnd;
        private int[] previousLabel;
        private int previousCount;
        private int[] currentStart;
        private int[] currentEnd;
        private int[] currentLabel;
        private int currentCount;
        /** Index into the previous row's runs where the next overlap search starts (runs arrive left to right). */
        private int scan;

        private int[] parent = new int[1024];
        /** Per label: left, top, right (inclusive), bottom (inclusive), area; kept up to date on roots. */
        private int[] box = new int[1024 * STATS];
        private int labels;

        Labeler(int width) {
            int most = width / 2 + 1; // runs of one polarity alternate with the other's
            previousStart = new int[most];
            previousEnd = new int[most];
            previousLabel = new int[most];
            currentStart = new int[most];
            currentEnd = new int[most];
            currentLabel = new int[most];
        }

        /** A run of this polarity covering {@code start <= x < end} in row {@code y}. */
        void run(int start, int end, int y) {
            int label = -1;
            // Previous runs ending before start - 1 can touch neither this run nor any later one of this row.
            while (scan < previousCount && previousEnd[scan] < start) {
                scan++;
            }
            for (int p = scan; p < previousCount && previousStart[p] <= end; p++) {
                int root = find(previousLabel[p]);
                label = label < 0 ? root : union(label, root);
            }
            if (label < 0) {
                label = newLabel(start, end, y);
            } else {
                grow(label, start, end - 1, y, end - start);
            }
            currentStart[currentCount] = start;
            currentEnd[currentCount] = end;
            currentLabel[currentCount] = label;
            currentCount++;
        }

        void endRow() {
            int[] t = previousStart;
            previousStart = currentStart;
            currentStart = t;
            t = previousEnd;
            previousEnd = currentEnd;
            currentEnd = t;
            t = previousLabel;
            previousLabel = currentLabel;
            currentLabel = t;
            previousCount = currentCount;
            currentCount = 0;
            scan = 0;
        }

        Stats stats() {
            int[] out = new int[(labels + 1) * STATS];
            int n = 1;
            for (int l = 0; l < labels; l++) {
                if (parent[l] == l) {
                    int b = l * STATS;
                    int o = n * STATS;
                    out[o] = box[b];
                    out[o + 1] = box[b + 1];
                    out[o + 2] = box[b + 2] - box[b] + 1;
                    out[o + 3] = box[b + 3] - box[b + 1] + 1;
                    out[o + 4] = box[b + 4];
                    n++;
                }
            }
            return new Stats(Arrays.copyOf(out, n * STATS), n);
        }

        private int newLabel(int start, int end, int y) {
            if (labels == parent.length) {
                parent = Arrays.copyOf(parent, labels * 2);
                box = Arrays.copyOf(box, labels * 2 * STATS);
            }
            int l = labels++;
            parent[l] = l;
            int b = l * STATS;
            box[b] = start;
            box[b + 1] = y;
            box[b + 2] = end - 1;
            box[b + 3] = y;
            box[b + 4] = end - start;
            return l;
        }

        private void grow(int root, int left, int right, int y, int area) {
            int b = root * STATS;
            box[b] = Math.min(box[b], left);
            box[b + 2] = Math.max(box[b + 2], right);
            box[b + 3] = Math.max(box[b + 3], y);
            box[b + 4] += area;
        }

        private int find(int l) {
            while (parent[l] != l) {
                parent[l] = parent[parent[l]];
                l = parent[l];
            }
            return l;
        }

        /** Merges two roots; the smaller label stays the root and takes the other's box and area. */
        private int union(int a, int b) {
            if (a == b) {
                return a;
            }
            int keep = Math.min(a, b);
            int gone = Math.max(a, b);
            parent[gone] = keep;
            int k = keep * STATS;
            int g = gone * STATS;
            box[k] = Math.min(box[k], box[g]);
            box[k + 1] = Math.min(box[k + 1], box[g + 1]);
            box[k + 2] = Math.max(box[k + 2], box[g + 2]);
            box[k + 3] = Math.max(box[k + 3], box[g + 3]);
            box[k + 4] += box[g + 4];
            return keep;
        }
    }
}
