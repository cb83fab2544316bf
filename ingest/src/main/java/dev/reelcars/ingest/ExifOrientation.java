package dev.reelcars.ingest;

import dev.reelcars.platform.image.ImageFormat;

/**
 * Reads the EXIF orientation tag (0x0112) from a JPEG APP1 segment: {@code Exif\0\0}, a TIFF header (byte order,
 * 42, offset of IFD0), then IFD0's 12-byte entries. Anything malformed leaves the orientation as it was: a broken
 * EXIF block is common and harmless, so it is ignored rather than refused.
 */
final class ExifOrientation {
    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TYPE_SHORT = 3;

    private ExifOrientation() {
    }

    /** The orientation in {@code b[start, end)} (an APP1 segment's data), or {@code fallback}. */
    static int read(byte[] b, int start, int end, int fallback) {
        if (end - start < 14 || !ImageFormat.startsWith(b, start, 'E', 'x', 'i', 'f', 0, 0)) {
            return fallback;
        }
        int tiff = start + 6;
        boolean little;
        if (ImageFormat.startsWith(b, tiff, 'I', 'I', 42, 0)) {
            little = true;
        } else if (ImageFormat.startsWith(b, tiff, 'M', 'M', 0, 42)) {
            little = false;
        } else {
            return fallback;
        }
        long ifd = tiff + u32(b, tiff + 4, little);
        if (ifd + 2 > end) {
            return fallback;
        }
        int count = u16(b, (int) ifd, little);
        for (int i = 0; i < count; i++) {
            int entry = (int) ifd + 2 + i * 12;
            if (entry + 12 > end) {
                return fallback;
            }
            if (u16(b, entry, little) == TAG_ORIENTATION && u16(b, entry + 2, little) == TYPE_SHORT) {
                int value = u16(b, entry + 8, little);
                return value >= 1 && value <= 8 ? value : fallback;
            }
        }
        return fallback;
    }

    private static int u16(byte[] b, int i, boolean little) {
        return little ? Bytes.u16le(b, i) : Bytes.u16be(b, i);
    }

    private static long u32(byte[] b, int i, boolean little) {
        return little ? Bytes.uint32le(b, i) : Bytes.uint32be(b, i);
    }
}
