package dev.reelcars.platform.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageFormatTest {
    private static byte[] bytes(int length, int... start) {
        byte[] b = new byte[length];
        for (int i = 0; i < start.length; i++) {
            b[i] = (byte) start[i];
        }
        return b;
    }

    @Test
    void eachAcceptedFormatIsKnownByItsSignature() {
        assertEquals(ImageFormat.JPEG, ImageFormat.sniff(bytes(4, 0xFF, 0xD8, 0xFF, 0xE0)));
        assertEquals(ImageFormat.PNG, ImageFormat.sniff(bytes(16, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)));
        assertEquals(ImageFormat.WEBP, ImageFormat.sniff(bytes(16, 'R', 'I', 'F', 'F', 1, 2, 3, 4, 'W', 'E', 'B', 'P')));
        assertEquals(ImageFormat.BMP, ImageFormat.sniff(bytes(26, 'B', 'M')));
        assertEquals("image/webp", ImageFormat.WEBP.mediaType());
    }

    @Test
    void anythingElseIsNoFormat() {
        for (String text : new String[] {"<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "GIF89a......", "II*\0....",
                "<script>alert(1)</script>", "BM but only text", ""}) {
            assertNull(ImageFormat.sniff(text.getBytes(StandardCharsets.ISO_8859_1)), text);
        }
        assertNull(ImageFormat.sniff(bytes(2, 0xFF, 0xD8)), "two bytes of a JPEG signature are not a JPEG");
        assertNull(ImageFormat.sniff(bytes(12, 'R', 'I', 'F', 'F', 0, 0, 0, 0, 'A', 'V', 'I', ' ')),
                "a RIFF container of video is not WebP");
    }

    @Test
    void signaturesAreComparedAsUnsignedBytesAtAnOffset() {
        byte[] b = bytes(6, 0, 0, 0xFF, 0xD8);
        assertTrue(ImageFormat.startsWith(b, 2, 0xFF, 0xD8));
        assertFalse(ImageFormat.startsWith(b, 5, 0xFF, 0xD8), "runs past the end");
        assertFalse(ImageFormat.startsWith(Arrays.copyOf(b, 3), 2, 0xFF, 0xD8));
    }
}
