package dev.reelcars.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.reelcars.contracts.ImageFormat;
import dev.reelcars.contracts.Point;
import java.awt.Color;
import java.util.List;
import org.junit.jupiter.api.Test;

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
    void sniffsImageTypesFromTheirBytes() {
        assertEquals(ImageFormat.PNG, ImageFormat.sniff(Fixtures.png(8, 8, Color.RED)));
        assertEquals(ImageFormat.JPEG, ImageFormat.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}));
        assertNull(ImageFormat.sniff("<script>".getBytes()));
        assertNull(ImageFormat.sniff("BM".getBytes()), "two letters of text are not a bitmap");
    }
}
