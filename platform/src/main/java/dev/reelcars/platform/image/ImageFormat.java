package dev.reelcars.platform.image;

/**
 * The image formats reelcars accepts, recognised by their magic bytes (never by file name or declared type). One
 * place for every service: ingest validates uploads by it, identify picks its decoder flags by it, notify labels
 * the images it serves by it.
 */
public enum ImageFormat {
    JPEG("image/jpeg"),
    PNG("image/png"),
    WEBP("image/webp"),
    BMP("image/bmp");

    /**
     * Most pixels of an image that has no reduced decode (PNG, WebP, BMP): a 1920×1080 frame. OpenCV decodes JPEGs at
     * 1/2, 1/4 or 1/8 size, so a JPEG costs little whatever its size; the others are decoded whole: a 160 KB
     * 7000×7000 PNG took identify 0.5 s, a 3840×2160 PNG photo 4.3 times a 1280×720 still (bench/GiantStills.java).
     * ingest refuses larger ones (413), identify never decodes them.
     */
    public static final long MAX_FULL_DECODE_PIXELS = 1920L * 1080;

    private final String mediaType;

    ImageFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** Whether OpenCV can decode this format at a reduced size (so its pixel count barely matters). */
    public boolean decodesReduced() {
        return this == JPEG;
    }

    /** The format whose signature starts {@code bytes}, or null when none does (text, SVG, GIF, TIFF, ...). */
    public static ImageFormat sniff(byte[] bytes) {
        if (startsWith(bytes, 0, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(bytes, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(bytes, 0, 'R', 'I', 'F', 'F') && startsWith(bytes, 8, 'W', 'E', 'B', 'P')) {
            return WEBP;
        }
        // "BM" alone is two letters of text: a bitmap's file and info headers take 26 bytes at least.
        if (startsWith(bytes, 0, 'B', 'M') && bytes.length >= 26) {
            return BMP;
        }
        return null;
    }

    /** Whether {@code bytes} hold {@code signature} (unsigned byte values) at {@code offset}. */
    public static boolean startsWith(byte[] bytes, int offset, int... signature) {
        if (bytes.length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((bytes[offset + i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
