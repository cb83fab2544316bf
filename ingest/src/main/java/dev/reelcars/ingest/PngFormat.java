package dev.reelcars.ingest;

import dev.reelcars.platform.image.ImageFormat;
import java.util.zip.CRC32;

/**
 * PNG structure: an 8-byte signature, then chunks of {@code length, type, data, crc}; IHDR first, IEND last.
 * Reading the size needs only IHDR; checking completeness walks every chunk (no inflating), so a decompression bomb
 * costs the time to CRC its compressed bytes.
 */
final class PngFormat {
    private static final int SIGNATURE = 8;
    private static final int IEND = 0x49454E44;
    private static final int IHDR = 0x49484452;

    private PngFormat() {
    }

    static ImageHeader header(byte[] b) {
        if (b.length < SIGNATURE + 8 + 13 + 4) {
            throw ImageRejected.truncated("PNG ends before its IHDR header (" + b.length + " bytes)");
        }
        if (Bytes.int32be(b, SIGNATURE) != 13 || Bytes.int32be(b, SIGNATURE + 4) != IHDR) {
            throw ImageRejected.corrupt("PNG does not start with an IHDR chunk");
        }
        long width = Bytes.uint32be(b, SIGNATURE + 8);
        long height = Bytes.uint32be(b, SIGNATURE + 12);
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw ImageRejected.corrupt("PNG IHDR has impossible size " + width + "x" + height);
        }
        return new ImageHeader(ImageFormat.PNG, (int) width, (int) height);
    }

    /** Every chunk present with a valid CRC and IEND reached; returns where the image ends. */
    static int checkComplete(byte[] b) {
        int pos = SIGNATURE;
        CRC32 crc = new CRC32();
        while (true) {
            if (pos + 8 > b.length) {
                throw ImageRejected.truncated("PNG ends inside a chunk header at byte " + pos + " (no IEND)");
            }
            long length = Bytes.uint32be(b, pos);
            int type = Bytes.int32be(b, pos + 4);
            long end = pos + 8 + length + 4;
            if (end > b.length) {
                throw ImageRejected.truncated("PNG chunk " + Bytes.fourCc(b, pos + 4) + " at byte " + pos
                        + " needs " + (end - b.length) + " more bytes (no IEND)");
            }
            crc.reset();
            crc.update(b, pos + 4, 4 + (int) length);
            if (crc.getValue() != Bytes.uint32be(b, (int) end - 4)) {
                throw ImageRejected.corrupt("PNG chunk " + Bytes.fourCc(b, pos + 4) + " at byte " + pos
                        + " has a bad CRC");
            }
            pos = (int) end;
            if (type == IEND) {
                break;
            }
        }
        return pos;
    }
}
