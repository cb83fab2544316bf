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
  final int width;
  final int height;

  FeatureSet(int count, long[] descriptors, float[] xs, float[] ys, int width, int height) {
    this.count = count;
    this.descriptors = descriptors;
    this.xs = xs;
    this.ys = ys;
    this.width = width;
    this.height = height;
  }

  static int hamming(long[] a, int i, long[] b, int j) {
    int ai = i << 2;
    int bj = j << 2;
    return Long.bitCount(a[ai] ^ b[bj]) + Long.bitCount(a[ai + 1] ^ b[bj + 1])
        + Long.bitCount(a[ai + 2] ^ b[bj + 2]) + Long.bitCount(a[ai + 3] ^ b[bj + 3]);
  }

  /** Heap bytes held by this set, for the memory-per-reference figure. */
  long heapBytes() {
    return 16L + descriptors.length * 8L + xs.length * 4L + ys.length * 4L + 48;
  }
}
