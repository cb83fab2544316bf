package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.platform.image.OpenCvNatives;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ComponentsTest {
    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    /** OpenCV's components of the non-zero pixels, each as "left top width height area", sorted. */
    private static List<String> openCv(byte[] pixels, int width, int height) {
        Mat binary = new Mat(height, width, CvType.CV_8U);
        Mat labels = new Mat();
        Mat stats = new Mat();
        Mat centroids = new Mat();
        try {
            binary.put(0, 0, pixels);
            int n = Imgproc.connectedComponentsWithStats(binary, labels, stats, centroids, 8, CvType.CV_32S);
            int[] s = new int[n * Components.STATS];
            stats.get(0, 0, s);
            return sorted(s, n);
        } finally {
            binary.release();
            labels.release();
            stats.release();
            centroids.release();
        }
    }

    private static List<String> sorted(int[] s, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            int o = i * Components.STATS;
            out.add(s[o] + " " + s[o + 1] + " " + s[o + 2] + " " + s[o + 3] + " " + s[o + 4]);
        }
        out.sort(null);
        return out;
    }

    private static List<String> sorted(Components.Stats stats) {
        return sorted(stats.stats(), stats.count());
    }

    private static byte[] inverted(byte[] pixels) {
        byte[] out = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = (byte) (pixels[i] == 0 ? 255 : 0);
        }
        return out;
    }

    private static void assertSameAsOpenCv(byte[] pixels, int width, int height) {
        Components.Both both = Components.of(pixels, width, height);
        assertEquals(openCv(pixels, width, height), sorted(both.ink()), "ink, " + width + " × " + height);
        assertEquals(openCv(inverted(pixels), width, height), sorted(both.paper()),
                "paper, " + width + " × " + height);
    }

    @Test
    void findsTheSameComponentsAsOpenCvInBothPolaritiesOfRandomImages() {
        // Given random binary images from nearly empty to nearly full, including one pixel wide or high
        Random random = new Random(7);
        int[][] sizes = {{1, 1}, {1, 37}, {41, 1}, {2, 2}, {17, 13}, {64, 48}, {203, 97}};
        for (int[] size : sizes) {
            for (double density : new double[] {0.02, 0.3, 0.5, 0.7, 0.98}) {
                byte[] pixels = new byte[size[0] * size[1]];
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (byte) (random.nextDouble() < density ? 255 : 0);
                }
                // Then every component, its box and its area, is OpenCV's (8-connected), ink and paper alike
                assertSameAsOpenCv(pixels, size[0], size[1]);
            }
        }
    }

    @Test
    void findsTheSameComponentsAsOpenCvOnAPhotoThresholdedAsThePlateReaderDoes() {
        // Given a real photo, blurred and locally thresholded like a still searched for characters
        Mat grey = Imgcodecs.imdecode(new MatOfByte(Fixtures.bytes("bus.jpg")), Imgcodecs.IMREAD_GRAYSCALE);
        Mat smooth = new Mat();
        Mat binary = new Mat();
        try {
            Imgproc.GaussianBlur(grey, smooth, new Size(3, 3), 0);
            Imgproc.adaptiveThreshold(smooth, binary, 255, Imgproc.ADAPTIVE_THRESH_MEAN_C, Imgproc.THRESH_BINARY_INV,
                    25, 4);
            byte[] pixels = new byte[binary.cols() * binary.rows()];
            binary.get(0, 0, pixels);
            // Then its components (hundreds) are OpenCV's in both polarities
            assertSameAsOpenCv(pixels, binary.cols(), binary.rows());
            assertTrue(Components.of(pixels, binary.cols(), binary.rows()).ink().count() > 100, "components found");
        } finally {
            grey.release();
            smooth.release();
            binary.release();
        }
    }

    @Test
    void joinsPixelsThatTouchOnlyAtACornerAndListsComponentsInRasterOrderOfTheirFirstPixel() {
        // Given a U whose arms join only in its last row, and a diagonal of single pixels from the top right corner
        String[] picture = {
                "#.#...#",
                "#.#..#.",
                "###.#..",
                ".......",
        };
        int width = picture[0].length();
        byte[] pixels = new byte[width * picture.length];
        for (int y = 0; y < picture.length; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = (byte) (picture[y].charAt(x) == '#' ? 255 : 0);
            }
        }
        Components.Stats ink = Components.of(pixels, width, picture.length).ink();
        // Then the U is one component, listed first (its first pixel is the top left), and the diagonal is another
        assertEquals(3, ink.count());
        int s = Components.STATS;
        assertArrayEquals(new int[] {0, 0, 3, 3, 7}, Arrays.copyOfRange(ink.stats(), s, 2 * s));
        assertArrayEquals(new int[] {4, 0, 3, 3, 3}, Arrays.copyOfRange(ink.stats(), 2 * s, 3 * s));
    }

    @Test
    void refusesFewerPixelsThanTheSizeSays() {
        assertThrows(IllegalArgumentException.class, () -> Components.of(new byte[5], 3, 2));
    }
}
