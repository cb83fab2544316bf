package dev.reelcars.notify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.Point;
import dev.reelcars.platform.image.ImageFormat;
import dev.reelcars.platform.image.OpenCvNatives;
import java.awt.Color;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

class StillCropperTest {

    @Test
    void cropsToTheOutlinesBoundingBoxClippedToTheImage() throws Exception {
        byte[] png = Fixtures.png(320, 200, Color.RED);
        var crop = StillCropper.crop(png, List.of(new Point(40, 30), new Point(400, 20), new Point(200, 150),
                new Point(-10, 160)));
        assertEquals(320, crop.width(), "x from -10 to 400 is clipped to 0..320");
        assertEquals(140, crop.height());
        assertEquals(ImageFormat.PNG, ImageFormat.sniff(crop.png()));
    }

    @Test
    void keepsTheWholeStillWithoutAnOutline() throws Exception {
        var crop = StillCropper.crop(Fixtures.png(64, 48, Color.BLUE), List.of());
        assertEquals(64, crop.width());
        assertEquals(48, crop.height());
    }

    @Test
    void cropsAWebpStillAsIngestAcceptsIt() throws Exception {
        // Given a WebP still (lossless, so the colours survive), the red car at 40..240 x 33..153
        byte[] webp = webp(Fixtures.png(320, 200, Color.RED));
        assertEquals(ImageFormat.WEBP, ImageFormat.sniff(webp));

        // When it is cropped to an outline inside the car
        var crop = StillCropper.crop(webp, List.of(new Point(60, 50), new Point(220, 50), new Point(220, 140),
                new Point(60, 140)));

        // Then the crop is a PNG of the outline's box, and the car's red
        assertEquals(160, crop.width());
        assertEquals(90, crop.height());
        assertEquals(ImageFormat.PNG, ImageFormat.sniff(crop.png()));
        Mat decoded = Imgcodecs.imdecode(new MatOfByte(crop.png()), Imgcodecs.IMREAD_COLOR);
        try {
            assertArrayEquals(new double[] {0, 0, 255}, decoded.get(45, 80), "BGR of the crop's centre");
        } finally {
            decoded.release();
        }
    }

    @Test
    void refusesBytesThatAreNoImage() {
        var e = assertThrows(IOException.class, () -> StillCropper.crop("<html>".getBytes(), List.of()));
        assertTrue(e.getMessage().contains("not an image"), e.getMessage());
    }

    @Test
    void sniffsImageTypesFromTheirBytes() {
        assertEquals(ImageFormat.PNG, ImageFormat.sniff(Fixtures.png(8, 8, Color.RED)));
        assertEquals(ImageFormat.JPEG, ImageFormat.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}));
        assertNull(ImageFormat.sniff("<script>".getBytes()));
        assertNull(ImageFormat.sniff("BM".getBytes()), "two letters of text are not a bitmap");
    }

    /** The image re-encoded as lossless WebP by OpenCV, as a contributor's WebP upload would be. */
    private static byte[] webp(byte[] image) {
        OpenCvNatives.load();
        Mat pixels = Imgcodecs.imdecode(new MatOfByte(image), Imgcodecs.IMREAD_COLOR);
        MatOfByte out = new MatOfByte();
        try {
            // Quality above 100 selects lossless WebP.
            assertTrue(Imgcodecs.imencode(".webp", pixels, out, new MatOfInt(Imgcodecs.IMWRITE_WEBP_QUALITY, 101)),
                    "OpenCV encodes WebP");
            return out.toArray();
        } finally {
            pixels.release();
            out.release();
        }
    }
}
