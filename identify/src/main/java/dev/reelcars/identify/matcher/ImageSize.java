package dev.reelcars.identify.matcher;

import dev.reelcars.platform.image.ImageFormat;

/**
 * An image's format and stored size, read from its header without decoding a pixel, so the decoder can be told how
 * much to decode before it starts (ingest validates the same headers at upload; this is the decoder's own look).
 * The size is as stored: identify decodes with EXIF orientation ignored.
 */
record ImageSize(ImageFormat format, int width, int height) {
    long pixels() {
        return (long) width * height;
    }

    /** The header's size, or null when the bytes are no image this reader knows or their header is cut short. */
    static ImageSize read(byte[] b) {
        ImageFormat format = ImageFormat.sniff(b);
        if (format == null) {
            return null;
        }
        try {
            int[] size = switch (format) {
                case JPEG -> jpeg(b);
                case PNG -> b.length >= 24 && fourCc(b, 12).equals("IHDR") ? new int[] {s32be(b, 16), s32be(b,
                        20)} : null;
                case WEBP -> webp(b);
                case BMP -> bmp(b);
            };
            if (size == null || size[0] <= 0 || size[1] <= 0) {
                return null;
            }
            return new ImageSize(format, size[0], size[1]);
        } catch (IndexOutOfBoundsException e) {
            return null; // a header cut off: let the decoder say what is wrong
        }
    }

    /** Walks the marker segments to the frame header (SOFn), which holds the size. */
    private static int[] jpeg(byte[] b) {
        int pos = 2;
        while (pos < b.length) {
            if (u8(b, pos) != 0xFF) {
                return null;
            }
            while (u8(b, pos) == 0xFF) {
                pos++;
            }
            int marker = u8(b, pos++);
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // standalone markers carry no length
            }
            if (marker == 0xDA || marker == 0xD9) {
                return null; // a scan or the end before any frame header
            }
            int length = u16be(b, pos);
            // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return new int[] {u16be(b, pos + 5), u16be(b, pos + 3)};
            }
            if (length < 2) {
                return null;
            }
            pos += length;
        }
        return null;
    }

    private static int[] webp(byte[] b) {
        int data = 20;
        return switch (fourCc(b, 12)) {
            case "VP8 " -> new int[] {u16le(b, data + 6) & 0x3FFF, u16le(b, data + 8) & 0x3FFF};
            case "VP8L" -> {
                long bits = u16le(b, data + 1) | ((long) u16le(b, data + 3) << 16);
                yield new int[] {(int) (bits & 0x3FFF) + 1, (int) ((bits >> 14) & 0x3FFF) + 1};
            }
            case "VP8X" -> new int[] {u24le(b, data + 4) + 1, u24le(b, data + 7) + 1};
            default -> null;
        };
    }

    private static int[] bmp(byte[] b) {
        int dib = s32le(b, 14);
        if (dib == 12) {
            return new int[] {u16le(b, 18), u16le(b, 20)};
        }
        // A negative height means rows stored top-down; the size is its magnitude.
        return dib >= 40 ? new int[] {s32le(b, 18), Math.abs(s32le(b, 22))} : null;
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int u16be(byte[] b, int i) {
        return u8(b, i) << 8 | u8(b, i + 1);
    }

    private static int u16le(byte[] b, int i) {
        return u8(b, i) | u8(b, i + 1) << 8;
    }

    private static int u24le(byte[] b, int i) {
        return u16le(b, i) | u8(b, i + 2) << 16;
    }

    private static int s32be(byte[] b, int i) {
        return u16be(b, i) << 16 | u16be(b, i + 2);
    }

    private static int s32le(byte[] b, int i) {
        return u16le(b, i) | u16le(b, i + 2) << 16;
    }

    private static String fourCc(byte[] b, int i) {
        return new String(b, i, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
