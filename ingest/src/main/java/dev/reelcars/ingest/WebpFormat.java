package dev.reelcars.ingest;

import dev.reelcars.platform.image.ImageFormat;

/**
 * WebP: a RIFF container ({@code RIFF size WEBP}) holding a VP8 (lossy), VP8L (lossless) or VP8X (extended)
 * chunk, each of which states the canvas size in its first bytes.
 */
final class WebpFormat {
    private WebpFormat() {
    }

    static ImageHeader header(byte[] b) {
        if (b.length < 30) {
            throw ImageRejected.truncated("WebP ends before its first chunk header (" + b.length + " bytes)");
        }
        String chunk = Bytes.fourCc(b, 12);
        int data = 20;
        int width;
        int height;
        switch (chunk) {
            case "VP8 " -> {
                if (Bytes.u8(b, data + 3) != 0x9D || Bytes.u8(b, data + 4) != 0x01 || Bytes.u8(b, data + 5) != 0x2A) {
                    throw ImageRejected.corrupt("WebP VP8 frame has no start code");
                }
                width = Bytes.u16le(b, data + 6) & 0x3FFF;
                height = Bytes.u16le(b, data + 8) & 0x3FFF;
            }
            case "VP8L" -> {
                if (Bytes.u8(b, data) != 0x2F) {
                    throw ImageRejected.corrupt("WebP VP8L chunk has no signature");
                }
                long bits = Bytes.uint32le(b, data + 1);
                width = (int) (bits & 0x3FFF) + 1;
                height = (int) ((bits >> 14) & 0x3FFF) + 1;
            }
            case "VP8X" -> {
                width = Bytes.u24le(b, data + 4) + 1;
                height = Bytes.u24le(b, data + 7) + 1;
            }
            default -> throw ImageRejected.corrupt("WebP has an unknown first chunk '" + chunk + "'");
        }
        if (width <= 0 || height <= 0) {
            throw ImageRejected.corrupt("WebP states size " + width + "x" + height);
        }
        return new ImageHeader(ImageFormat.WEBP, width, height);
    }

    /** The RIFF size covers the file exactly (padding byte allowed by RIFF included). */
    static int checkComplete(byte[] b) {
        long declared = Bytes.uint32le(b, 4) + 8;
        if (declared > b.length) {
            throw ImageRejected.truncated("WebP declares " + declared + " bytes but has " + b.length);
        }
        return (int) declared;
    }
}
