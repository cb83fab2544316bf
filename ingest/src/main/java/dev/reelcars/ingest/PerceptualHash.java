package dev.reelcars.ingest;

import java.util.Arrays;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The 64-bit DCT perceptual hash: shrink to 32x32 grey, take the 8x8 lowest-frequency DCT coefficients, and set a
 * bit for each one above their median. Re-encoding, resizing and light cropping move few bits (Hamming distance
 * typically under 8 of 64), unrelated images about 32.
 */
final class PerceptualHash {
    private static final int SIDE = 32;
    private static final int LOW = 8;

    private PerceptualHash() {
    }

    /** Hash of a single-channel 8-bit image (the caller owns and releases {@code gray}). */
    static long of(Mat gray) {
        Mat small = new Mat();
        Mat floats = new Mat();
        Mat dct = new Mat();
        try {
            Imgproc.resize(gray, small, new Size(SIDE, SIDE), 0, 0, Imgproc.INTER_AREA);
            small.convertTo(floats, CvType.CV_32F);
            Core.dct(floats, dct);
            float[] all = new float[SIDE * SIDE];
            dct.get(0, 0, all);
            double[] low = new double[LOW * LOW];
            for (int y = 0; y < LOW; y++) {
                for (int x = 0; x < LOW; x++) {
                    low[y * LOW + x] = all[y * SIDE + x];
                }
            }
            // The DC term is the mean brightness: leave it out of the median so exposure does not skew the bits.
            double[] ac = Arrays.copyOfRange(low, 1, low.length);
            Arrays.sort(ac);
            double median = (ac[ac.length / 2 - 1] + ac[ac.length / 2]) / 2;
            long hash = 0;
            for (int i = 0; i < low.length; i++) {
                if (low[i] > median) {
                    hash |= 1L << i;
                }
            }
            return hash;
        } finally {
            small.release();
            floats.release();
            dct.release();
        }
    }

    static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }

    static String toHex(long hash) {
        return String.format("%016x", hash);
    }

    static long fromHex(String hex) {
        return Long.parseUnsignedLong(hex, 16);
    }
}
