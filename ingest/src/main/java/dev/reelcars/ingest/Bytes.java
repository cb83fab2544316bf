package dev.reelcars.ingest;

import java.nio.charset.StandardCharsets;

/** Bounds-checked reads of big- and little-endian integers from a byte array. */
final class Bytes {
    private Bytes() {
    }

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16be(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    static int u16le(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8);
    }

    static int u24le(byte[] b, int i) {
        return u16le(b, i) | (u8(b, i + 2) << 16);
    }

    static int int32be(byte[] b, int i) {
        return (u8(b, i) << 24) | (u8(b, i + 1) << 16) | (u8(b, i + 2) << 8) | u8(b, i + 3);
    }

    static long uint32be(byte[] b, int i) {
        return int32be(b, i) & 0xFFFFFFFFL;
    }

    static int int32le(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8) | (u8(b, i + 2) << 16) | (u8(b, i + 3) << 24);
    }

    static long uint32le(byte[] b, int i) {
        return int32le(b, i) & 0xFFFFFFFFL;
    }

    /** A chunk type for messages: printable ASCII or '?'. */
    static String fourCc(byte[] b, int i) {
        byte[] out = new byte[4];
        for (int k = 0; k < 4; k++) {
            int c = i + k < b.length ? u8(b, i + k) : '?';
            out[k] = (byte) (c >= 0x20 && c < 0x7F ? c : '?');
        }
        return new String(out, StandardCharsets.US_ASCII);
    }
}
