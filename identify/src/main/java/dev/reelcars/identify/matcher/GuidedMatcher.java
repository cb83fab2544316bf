package dev.reelcars.identify.matcher;

import java.util.Arrays;

/**
 * Guided matching: once RANSAC has found where the reference lies in the still, every reference feature looks for its
 * twin only near the spot the homography sends it to. Without the whole still to choose from, a true twin no longer
 * loses the ratio test to grain or to a look-alike elsewhere in the frame, so a real match gains many inliers across
 * the car, while a chance homography (a shared number plate, a logo) gains only near the few points that made it.
 */
final class GuidedMatcher {
    private static final int CELL = 16; // grid cell in still pixels

    private GuidedMatcher() {}

    /**
     * @param h reference -> still homography, row-major
     * @param radius how far from the projected point a still feature may lie, in still pixels
     * @param maxDistance largest Hamming distance accepted
     * @return for each still feature at most one reference feature (the closest in Hamming distance)
     */
    static Matches match(FeatureSet query, FeatureSet ref, double[] h, double radius, int maxDistance) {
        int cols = (int) Math.ceil(query.width / (double) CELL) + 1;
        int rows = (int) Math.ceil(query.height / (double) CELL) + 1;
        int[] cellStart = new int[cols * rows + 1];
        int[] cellOf = new int[query.count];
        for (int q = 0; q < query.count; q++) {
            int cx = clamp((int) (query.x(q) / CELL), cols);
            int cy = clamp((int) (query.y(q) / CELL), rows);
            cellOf[q] = cy * cols + cx;
            cellStart[cellOf[q] + 1]++;
        }
        for (int c = 0; c < cols * rows; c++) {
            cellStart[c + 1] += cellStart[c];
        }
        int[] fill = Arrays.copyOf(cellStart, cellStart.length);
        int[] sorted = new int[query.count];
        for (int q = 0; q < query.count; q++) {
            sorted[fill[cellOf[q]]++] = q;
        }

        int[] bestRef = new int[query.count];
        int[] bestDistance = new int[query.count];
        Arrays.fill(bestRef, -1);
        double r2 = radius * radius;
        int reach = (int) Math.ceil(radius / CELL);
        for (int r = 0; r < ref.count; r++) {
            double x = ref.x(r);
            double y = ref.y(r);
            double z = h[6] * x + h[7] * y + h[8];
            if (z <= 1e-9) {
                continue;
            }
            double px = (h[0] * x + h[1] * y + h[2]) / z;
            double py = (h[3] * x + h[4] * y + h[5]) / z;
            if (px < -radius || py < -radius || px > query.width + radius || py > query.height + radius) {
                continue;
            }
            int cx = (int) (px / CELL);
            int cy = (int) (py / CELL);
            int best = -1;
            int bestD = maxDistance + 1;
            for (int gy = Math.max(0, cy - reach); gy <= Math.min(rows - 1, cy + reach); gy++) {
                for (int gx = Math.max(0, cx - reach); gx <= Math.min(cols - 1, cx + reach); gx++) {
                    int cell = gy * cols + gx;
                    for (int k = cellStart[cell]; k < cellStart[cell + 1]; k++) {
                        int q = sorted[k];
                        double dx = query.x(q) - px;
                        double dy = query.y(q) - py;
                        if (dx * dx + dy * dy > r2) {
                            continue;
                        }
                        int d = hamming(query.descriptors, q, ref.descriptors, r);
                        if (d < bestD) {
                            bestD = d;
                            best = q;
                        }
                    }
                }
            }
            if (best >= 0 && (bestRef[best] < 0 || bestD < bestDistance[best])) {
                bestRef[best] = r;
                bestDistance[best] = bestD;
            }
        }
        int n = 0;
        for (int q = 0; q < query.count; q++) {
            if (bestRef[q] >= 0) {
                n++;
            }
        }
        int[] qi = new int[n];
        int[] ri = new int[n];
        int k = 0;
        for (int q = 0; q < query.count; q++) {
            if (bestRef[q] >= 0) {
                qi[k] = q;
                ri[k] = bestRef[q];
                k++;
            }
        }
        return new Matches(qi, ri, n);
    }

    private static int clamp(int v, int n) {
        return Math.max(0, Math.min(n - 1, v));
    }

    private static int hamming(long[] a, int i, long[] b, int j) {
        return Long.bitCount(a[i * 4] ^ b[j * 4]) + Long.bitCount(a[i * 4 + 1] ^ b[j * 4 + 1])
                + Long.bitCount(a[i * 4 + 2] ^ b[j * 4 + 2]) + Long.bitCount(a[i * 4 + 3] ^ b[j * 4 + 3]);
    }
}
