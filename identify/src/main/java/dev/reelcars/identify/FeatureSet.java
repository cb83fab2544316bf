package dev.reelcars.identify;

/**
 * ORB features of one image held on the Java heap (no native memory): 256-bit descriptors as four longs each, and
 * keypoint positions in the original image's pixel coordinates.
 */
final class FeatureSet {
  final int count;
  final long[] descriptors; // count × 4
  final float[] xs;
  final float[] ys;
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
    this.count = count;
    this.descriptors = descriptors;
    this.xs = xs;
    this.ys = ys;
    this.angles = angles;
    this.octaves = octaves;
    this.width = width;
    this.height = height;
    this.plates = java.util.List.copyOf(plates);
    this.prepared = prepared;
  }

  FeatureSet with(java.util.List<PlateReader.Row> plates, Prepared prepared) {
    return new FeatureSet(count, descriptors, xs, ys, angles, octaves, width, height, plates, prepared);
  }

  /** The features whose {@code keep} flag is set, in order; same size, no plates, no prepared pixels. */
  FeatureSet subset(boolean[] keep) {
    int n = 0;
    for (int i = 0; i < count; i++) {
      n += keep[i] ? 1 : 0;
    }
    long[] d = new long[n * 4];
    float[] x = new float[n];
    float[] y = new float[n];
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
    return new FeatureSet(n, d, x, y, an, o, width, height);
  }

  /** {@code a} followed by {@code b}; the size is {@code a}'s. */
  static FeatureSet concat(FeatureSet a, FeatureSet b) {
    int n = a.count + b.count;
    long[] d = java.util.Arrays.copyOf(a.descriptors, n * 4);
    System.arraycopy(b.descriptors, 0, d, a.count * 4, b.count * 4);
    float[] x = java.util.Arrays.copyOf(a.xs, n);
    System.arraycopy(b.xs, 0, x, a.count, b.count);
    float[] y = java.util.Arrays.copyOf(a.ys, n);
    System.arraycopy(b.ys, 0, y, a.count, b.count);
    byte[] an = java.util.Arrays.copyOf(a.angles, n);
    System.arraycopy(b.angles, 0, an, a.count, b.count);
    byte[] o = java.util.Arrays.copyOf(a.octaves, n);
    System.arraycopy(b.octaves, 0, o, a.count, b.count);
    return new FeatureSet(n, d, x, y, an, o, a.width, a.height, a.plates, a.prepared);
  }

  static int hamming(long[] a, int i, long[] b, int j) {
    int ai = i << 2;
    int bj = j << 2;
    return Long.bitCount(a[ai] ^ b[bj]) + Long.bitCount(a[ai + 1] ^ b[bj + 1])
        + Long.bitCount(a[ai + 2] ^ b[bj + 2]) + Long.bitCount(a[ai + 3] ^ b[bj + 3]);
  }

  /** Heap bytes held by this set, for the memory-per-reference figure. */
  long heapBytes() {
    long bytes = 16L * 5 + descriptors.length * 8L + xs.length * 4L + ys.length * 4L + angles.length + octaves.length
        + 48 + 24;
    for (PlateReader.Row row : plates) {
      bytes += row.heapBytes();
    }
    return bytes;
  }
}
