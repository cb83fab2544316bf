package dev.reelcars.ingest;

/** What an image's header says, read without decoding a single pixel. */
record ImageHeader(ImageType type, int width, int height) {
    ImageHeader {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("width and height must be positive, got " + width + "x" + height);
        }
    }

    long pixels() {
        return (long) width * height;
    }
}
