package dev.reelcars.identify.matcher;

/** The bytes given as an image could not be decoded (empty, truncated, or not an image format OpenCV reads). */
public final class ImageDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImageDecodeException(String message) {
        super(message);
    }
}
