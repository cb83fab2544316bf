package dev.reelcars.identify.matcher;

/**
 * ORB features of one image held on the Java heap (no native memory): 256-bit descriptors as four longs each (null in
 * a reference view whose descriptors the engine keeps in a {@link DescriptorFile}), and
 * keypoint positions in the original image's pixel coordinates, kept as 16-bit fixed point: a step of at most
 * 1/16 px up to 4,096 px (the image's longer side / 65,535 in general), far below RANSAC's threshold of 5 px, for
 * 4 bytes per keypoint instead of 8 (a reference view holds about 700 keypoints; at 100,000 views that is 280 MB).
 */
final class FeatureSet {
    final int count;
    final long[] descriptors; // count × 4
    private final char[] xs;
    private final char[] ys;
    /** Pixels per fixed-point unit of {@link #xs} and {@link #ys}. */
    private final float step;
    /** Keypoint orientation, 256 steps per turn. */
    final byte[] angles;
    /** ORB pyramid level of the keypoint (scale 1.2^octave). */
    final byte[] octaves;
    final int width;
    final int height;
    /** Rows of characters (number plates) found in a reference; empty for stills and when plates are off. */
    final java.util.List<PlateReader.Row> plates;
    /** A still's prepared grey pixels, kept so its plates can be read if the features find nothing; else null. */
    final Prepared prepared;

    /**
     * Grey pixels as the extractor prepared them, and how they map to the original image:
     * {@code original = prepared · toOriginal + offset}.
     */
    record Prepared(byte[] pixels, int width, int height, double toOriginal, double offsetX, double offsetY) {}

    FeatureSet(int count, long[] descriptors, float[] xs, float[] ys, byte[] angles, byte[] octaves, int width,
               int height) {
        this(count, descriptors, xs, ys, angles, octaves, width, height, java.util.List.of(), null);
    }

    FeatureSet(int count, long[] descriptors, float[] xs, float[] ys, byte[] angles, byte[] octaves, int width,
               int height, java.util.List<PlateReader.Row> plates, Prepared prepared) {
        this(count, descriptors, fixed(xs, stepFor(width, height)), fixed(ys, stepFor(width, height)),
                stepFor(width, height), angles, octaves, width, height, plates, prepared);
    }

    private FeatureSet(int count, long[] descriptors, char[] xs, char[] ys, float step, byte[] angles, byte[] octaves,
                       int width, int height, java.util.List<PlateReader.Row> plates, Prepared prepared) {
        this.count = count;
        this.descriptors = descriptors;
        this.xs = xs;
        this.ys = ys;
        this.step = step;
        this.angles = angles;
        this.octaves = octaves;
        this.width = width;
        this.height = height;
        this.plates = java.util.List.copyOf(plates);
        this.prepared = prepared;
    }

    /** Keypoint {@code i}'s x in the original image's pixels. */
    float x(int i) {
        return xs[i] * step;
    }

    /** Keypoint {@code i}'s y in the original image's pixels. */
    float y(int i) {
        return ys[i] * step;
    }

    /**
     * The fixed-point step for an image of this size: its longer side (with a pixel's margin) spread over 16 bits, so
     * every keypoint inside it is representable.
     */
    private static float stepFor(int width, int height) {
        return (Math.max(Math.max(width, height), 1) + 1) / 65535f;
    }

    private static char[] fixed(float[] values, float step) {
        char[] out = new char[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (char) Math.max(0, Math.min(65535, Math.round(values[i] / step)));
        }
        return out;
    }

    FeatureSet with(java.util.List<PlateReader.Row> plates, Prepared prepared) {
        return new FeatureSet(count, descriptors, xs, ys, step, angles, octaves, width, height, plates, prepared);
    }

    /** A copy with other descriptors (same count) and its own keypoint arrays: a benchmark's synthetic view. */
    FeatureSet withDescriptors(long[] otherDescriptors) {
        return withDescriptors(otherDescriptors, true);
    }

    /**
     * These features with other descriptors (same count, or null: none held).
     *
     * @param ownKeypoints copy the keypoint arrays (a synthetic view of its own) rather than share them (the same view,
     *     its descriptors moved to or from a {@link DescriptorFile}; plates and prepared pixels are then kept)
     */
    FeatureSet withDescriptors(long[] otherDescriptors, boolean ownKeypoints) {
        if (ownKeypoints) {
            return new FeatureSet(count, otherDescriptors, xs.clone(), ys.clone(), step, angles.clone(),
                    octaves.clone(), width, height, java.util.List.of(), null);
        }
        return new FeatureSet(count, otherDescriptors, xs, ys, step, angles, octaves, width, height, plates, prepared);
    }

    /** These features without their descriptors (kept elsewhere). */
    FeatureSet withoutDescriptors() {
        return withDescriptors(null, false);
    }

    /**
     * The same features in another order: feature {@code i} of the result is feature {@code order[i]} of this set
     * (the indexed views sort theirs by vocabulary bucket).
     */
    FeatureSet reordered(int[] order) {
        long[] d = new long[count * 4];
        char[] x = new char[count];
        char[] y = new char[count];
        byte[] an = new byte[count];
        byte[] o = new byte[count];
        for (int i = 0; i < count; i++) {
            int j = order[i];
            System.arraycopy(descriptors, j * 4, d, i * 4, 4);
            x[i] = xs[j];
            y[i] = ys[j];
            an[i] = angles[j];
            o[i] = octaves[j];
        }
        return new FeatureSet(count, d, x, y, step, an, o, width, height, plates, prepared);
    }

    /** The features whose {@code keep} flag is set, in order; same size, no plates, no prepared pixels. */
    FeatureSet subset(boolean[] keep) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            n += keep[i] ? 1 : 0;
        }
        long[] d = new long[n * 4];
        char[] x = new char[n];
        char[] y = new char[n];
        byte[] an = new byte[n];
        byte[] o = new byte[n];
        int j = 0;
        for (int i = 0; i < count; i++) {
            if (keep[i]) {
                System.arraycopy(descriptors, i * 4, d, j * 4, 4);
                x[j] = xs[i];
                y[j] = ys[i];
                an[j] = angles[i];
                o[j] = octaves[i];
                j++;
            }
        }
        return new FeatureSet(n, d, x, y, step, an, o, width, height, java.util.List.of(), null);
    }

    /** {@code a} followed by {@code b}; the size is {@code a}'s. */
    static FeatureSet concat(FeatureSet a, FeatureSet b) {
        int n = a.count + b.count;
        long[] d = java.util.Arrays.copyOf(a.descriptors, n * 4);
        System.arraycopy(b.descriptors, 0, d, a.count * 4, b.count * 4);
        // b may have been made with another fixed-point step (a rescaled view is built without the image's size).
        char[] x = java.util.Arrays.copyOf(a.xs, n);
        char[] y = java.util.Arrays.copyOf(a.ys, n);
        for (int i = 0; i < b.count; i++) {
            x[a.count + i] = (char) Math.max(0, Math.min(65535, Math.round(b.x(i) / a.step)));
            y[a.count + i] = (char) Math.max(0, Math.min(65535, Math.round(b.y(i) / a.step)));
        }
        byte[] an = java.util.Arrays.copyOf(a.angles, n);
        System.arraycopy(b.angles, 0, an, a.count, b.count);
        byte[] o = java.util.Arrays.copyOf(a.octaves, n);
        System.arraycopy(b.octaves, 0, o, a.count, b.count);
        return new FeatureSet(n, d, x, y, a.step, an, o, a.width, a.height, a.plates, a.prepared);
    }

    static int hamming(long[] a, int i, long[] b, int j) {
        int ai = i << 2;
        int bj = j << 2;
        return Long.bitCount(a[ai] ^ b[bj]) + Long.bitCount(a[ai + 1] ^ b[bj + 1])
                + Long.bitCount(a[ai + 2] ^ b[bj + 2]) + Long.bitCount(a[ai + 3] ^ b[bj + 3]);
    }

    /**
     * The nearest and the second-nearest of reference features {@code [from, to)} of {@code r} to still feature
     * {@code i} of {@code q} by Hamming distance (the first of equals is the nearest), packed into one long so that
     * the matchers' inner loop allocates nothing: read it with {@link #nearestIndex}, {@link #nearestDistance} and
     * {@link #secondDistance}. Distances of features not found are {@link #NONE}.
     */
    static long nearestTwo(long[] q, int i, long[] r, int from, int to) {
        // The still descriptor's four words in locals: this loop is most of a still's matching time.
        long q0 = q[i << 2];
        long q1 = q[(i << 2) + 1];
        long q2 = q[(i << 2) + 2];
        long q3 = q[(i << 2) + 3];
        int d1 = NONE;
        int d2 = NONE;
        int j1 = -1;
        for (int j = from; j < to; j++) {
            int o = j << 2;
            int d = Long.bitCount(q0 ^ r[o]) + Long.bitCount(q1 ^ r[o + 1]) + Long.bitCount(q2 ^ r[o + 2])
                    + Long.bitCount(q3 ^ r[o + 3]);
            if (d < d1) {
                d2 = d1;
                d1 = d;
                j1 = j;
            } else if (d < d2) {
                d2 = d;
            }
        }
        return (long) (j1 + 1) << 32 | (long) d1 << 16 | d2;
    }

    /** The distance {@link #nearestTwo} gives a feature it did not find: above any of 256 bits. */
    static final int NONE = 0xffff;

    /** The nearest reference feature's index, -1 when there was none. */
    static int nearestIndex(long nearestTwo) {
        return (int) (nearestTwo >>> 32) - 1;
    }

    static int nearestDistance(long nearestTwo) {
        return (int) (nearestTwo >>> 16) & 0xffff;
    }

    static int secondDistance(long nearestTwo) {
        return (int) nearestTwo & 0xffff;
    }

    /** Heap bytes held by this set, for the memory-per-reference figure. */
    long heapBytes() {
        long bytes = 16L * 5 + (descriptors == null ? 0 : descriptors.length * 8L) + xs.length * 2L + ys.length * 2L
                + angles.length + octaves.length + 48 + 24;
        for (PlateReader.Row row : plates) {
            bytes += row.heapBytes();
        }
        return bytes;
    }
}
