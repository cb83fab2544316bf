package dev.reelcars.identify.film;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/** A decoded frame's colour, as a reviewer gets it: full-range I420 in, the same colours out of the JPEG. */
class FilmPictureTest {

    @Test
    void fullRangeYuvBecomesTheColoursItEncodes() {
        // Given a 64x32 frame: left half pure red, right half mid grey, in full-range BT.601 (JPEG's YCbCr)
        int w = 64;
        int h = 32;
        byte[] i420 = new byte[w * h * 3 / 2];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                i420[y * w + x] = (byte) (x < w / 2 ? 76 : 128);
            }
        }
        int u = w * h;
        int v = u + w * h / 4;
        for (int y = 0; y < h / 2; y++) {
            for (int x = 0; x < w / 2; x++) {
                boolean red = x < w / 4;
                i420[u + y * (w / 2) + x] = (byte) (red ? 85 : 128);
                i420[v + y * (w / 2) + x] = (byte) (red ? 255 : 128);
            }
        }

        // When it becomes a JPEG and is read back
        byte[] jpeg = new FilmFrames.Picture(w, h, i420).jpeg();
        Mat back = Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR);

        // Then the red is red and the grey is grey (B, G, R within JPEG's rounding)
        try {
            assertEquals(w, back.cols());
            assertEquals(h, back.rows());
            assertNear(new int[] {0, 0, 255}, pixel(back, 8, 16), "red half");
            assertNear(new int[] {128, 128, 128}, pixel(back, 56, 16), "grey half");
        } finally {
            back.release();
        }
    }

    private static int[] pixel(Mat image, int x, int y) {
        double[] bgr = image.get(y, x);
        return new int[] {(int) bgr[0], (int) bgr[1], (int) bgr[2]};
    }

    private static void assertNear(int[] expected, int[] actual, String what) {
        int[] clipped = new int[3];
        for (int i = 0; i < 3; i++) {
            clipped[i] = Math.abs(expected[i] - actual[i]) <= 6 ? expected[i] : actual[i];
        }
        assertArrayEquals(expected, clipped, what + ": " + Arrays.toString(actual));
    }
}
