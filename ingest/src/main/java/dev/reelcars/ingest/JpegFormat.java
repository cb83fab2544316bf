package dev.reelcars.ingest;

import dev.reelcars.platform.image.ImageFormat;

/**
 * JPEG structure: SOI, marker segments (each {@code FF xx} with a 2-byte length), a frame header (SOFn) with the
 * size, one or more scans of entropy-coded data, and EOI. OpenCV decodes a truncated file partly (grey bottom rows)
 * without complaint, so completeness is checked here: the walk must reach EOI, and nothing may follow it.
 */
final class JpegFormat {
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int TEM = 0x01;
    private static final int APP1 = 0xE1;
    /**
     * Progressive files have about ten scans; thousands of tiny scans make a decoder redo its work per scan (a known
     * denial of service), so more than this is refused before decoding.
     */
    static final int MAX_SCANS = 100;

    private JpegFormat() {
    }

    static ImageHeader header(byte[] b) {
        int pos = 2;
        int orientation = 1;
        while (true) {
            int marker = nextMarker(b, pos);
            pos = markerEnd(b, pos);
            if (marker == SOS || marker == EOI) {
                throw ImageRejected.corrupt("JPEG has no frame header (SOFn) before its first scan");
            }
            if (isStandalone(marker)) {
                continue;
            }
            int length = segmentLength(b, pos, marker);
            if (marker == APP1) {
                orientation = ExifOrientation.read(b, pos + 2, pos + length, orientation);
            }
            if (isFrameHeader(marker)) {
                if (length < 8) {
                    throw ImageRejected.corrupt("JPEG frame header is too short");
                }
                int height = Bytes.u16be(b, pos + 3);
                int width = Bytes.u16be(b, pos + 5);
                if (width == 0 || height == 0) {
                    // Height 0 means "defined later by DNL": legal in theory, unused in practice; refuse it.
                    throw ImageRejected.corrupt("JPEG frame header has size " + width + "x" + height);
                }
                return new ImageHeader(ImageFormat.JPEG, width, height, orientation);
            }
            pos += length;
        }
    }

    /** The walk reaches EOI through every scan; returns where the image ends (just after EOI). */
    static int checkComplete(byte[] b) {
        int pos = 2;
        int scans = 0;
        while (true) {
            int marker = nextMarker(b, pos);
            pos = markerEnd(b, pos);
            if (marker == EOI) {
                break;
            }
            if (isStandalone(marker)) {
                continue;
            }
            int length = segmentLength(b, pos, marker);
            pos += length;
            if (marker == SOS) {
                if (++scans > MAX_SCANS) {
                    throw ImageRejected.corrupt("JPEG has more than " + MAX_SCANS + " scans");
                }
                pos = skipEntropyData(b, pos);
            }
        }
        if (scans == 0) {
            throw ImageRejected.corrupt("JPEG has no scan data");
        }
        return pos;
    }

    /** The marker code at {@code pos} (after any fill bytes), or a rejection when the data ends first. */
    private static int nextMarker(byte[] b, int pos) {
        if (pos >= b.length) {
            throw ImageRejected.truncated("JPEG ends at byte " + pos + " before its end-of-image marker");
        }
        if (Bytes.u8(b, pos) != 0xFF) {
            throw ImageRejected.corrupt("JPEG has no marker at byte " + pos);
        }
        int p = pos;
        while (p < b.length && Bytes.u8(b, p) == 0xFF) {
            p++;
        }
        if (p >= b.length) {
            throw ImageRejected.truncated("JPEG ends inside a marker at byte " + pos);
        }
        int marker = Bytes.u8(b, p);
        if (marker == 0 || marker == SOI) {
            throw ImageRejected.corrupt("JPEG has an invalid marker FF" + Integer.toHexString(marker) + " at " + p);
        }
        return marker;
    }

    private static int markerEnd(byte[] b, int pos) {
        int p = pos;
        while (Bytes.u8(b, p) == 0xFF) {
            p++;
        }
        return p + 1;
    }

    private static int segmentLength(byte[] b, int pos, int marker) {
        if (pos + 2 > b.length) {
            throw ImageRejected.truncated("JPEG ends inside the length of marker FF" + Integer.toHexString(marker));
        }
        int length = Bytes.u16be(b, pos);
        if (length < 2) {
            throw ImageRejected.corrupt("JPEG segment FF" + Integer.toHexString(marker) + " has length " + length);
        }
        if (pos + length > b.length) {
            throw ImageRejected.truncated("JPEG segment FF" + Integer.toHexString(marker) + " at byte " + pos
                    + " runs past the end of the file");
        }
        return length;
    }

    /** Skips entropy-coded bytes: stops at an {@code FF} that is neither stuffing ({@code FF00}) nor a restart. */
    private static int skipEntropyData(byte[] b, int pos) {
        int p = pos;
        while (p + 1 < b.length) {
            if (Bytes.u8(b, p) == 0xFF) {
                int next = Bytes.u8(b, p + 1);
                if (next != 0 && next != 0xFF && !(next >= 0xD0 && next <= 0xD7)) {
                    return p;
                }
            }
            p++;
        }
        throw ImageRejected.truncated("JPEG scan data is cut off (no end-of-image marker)");
    }

    private static boolean isStandalone(int marker) {
        return marker == TEM || (marker >= 0xD0 && marker <= 0xD7);
    }

    /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }
}
