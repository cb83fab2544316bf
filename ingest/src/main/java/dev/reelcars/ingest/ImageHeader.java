package dev.reelcars.ingest;

import dev.reelcars.platform.image.ImageFormat;

/**
 * What an image's header says, read without decoding a single pixel: its type, its stored size, and its EXIF
 * orientation (1 = as stored; 5 to 8 = turned a quarter, so it is displayed, and decoded by OpenCV, with width and
 * height swapped).
 */
record ImageHeader(ImageFormat type, int width, int height, int orientation) {
    ImageHeader {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("width and height must be positive, got " + width + "x" + height);
        }
        if (orientation < 1 || orientation > 8) {
            orientation = 1;
        }
    }

    ImageHeader(ImageFormat type, int width, int height) {
        this(type, width, height, 1);
    }

    long pixels() {
        return (long) width * height;
    }

    /** Width as shown (and as OpenCV decodes it by default), after the EXIF orientation. */
    int displayWidth() {
        return orientation >= 5 ? height : width;
    }

    int displayHeight() {
        return orientation >= 5 ? width : height;
    }
}
