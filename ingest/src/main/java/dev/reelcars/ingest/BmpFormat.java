package dev.reelcars.ingest;

import dev.reelcars.platform.image.ImageFormat;

/** BMP: a 14-byte file header (with the file size) and a DIB header with width and signed height. */
final class BmpFormat {
    private BmpFormat() {
    }

    static ImageHeader header(byte[] b) {
        int dibSize = Bytes.int32le(b, 14);
        int width;
        int height;
        if (dibSize == 12) {
            width = Bytes.u16le(b, 18);
            height = Bytes.u16le(b, 20);
        } else if (dibSize >= 40 && b.length >= 26) {
            width = Bytes.int32le(b, 18);
            // Negative height means rows are stored top-down; the size is its magnitude.
            height = Math.abs(Bytes.int32le(b, 22));
        } else {
            throw ImageRejected.corrupt("BMP has an unknown header size " + dibSize);
        }
        if (width <= 0 || height <= 0) {
            throw ImageRejected.corrupt("BMP states size " + width + "x" + height);
        }
        return new ImageHeader(ImageFormat.BMP, width, height);
    }

    static int checkComplete(byte[] b) {
        long declared = Bytes.uint32le(b, 2);
        if (declared > b.length) {
            throw ImageRejected.truncated("BMP declares " + declared + " bytes but has " + b.length);
        }
        return (int) declared;
    }
}
