package dev.reelcars.ingest;

import dev.reelcars.platform.http.ApiException;

/** The stable reasons an upload is refused, each with its HTTP status; messages say what was found. */
final class ImageRejected {
    static final String EMPTY_FILE = "empty-file";
    static final String FILE_TOO_LARGE = "file-too-large";
    static final String TOO_MANY_PIXELS = "too-many-pixels";
    static final String TOO_SMALL = "image-too-small";
    static final String UNSUPPORTED_TYPE = "unsupported-type";
    static final String CORRUPT_IMAGE = "corrupt-image";
    static final String TRUNCATED_IMAGE = "truncated-image";
    static final String TRAILING_DATA = "trailing-data";
    static final String UNDECODABLE_IMAGE = "undecodable-image";

    private ImageRejected() {
    }

    static ApiException corrupt(String message) {
        return new ApiException(422, CORRUPT_IMAGE, message);
    }

    static ApiException truncated(String message) {
        return new ApiException(422, TRUNCATED_IMAGE, message);
    }

    static ApiException trailing(String message) {
        return new ApiException(422, TRAILING_DATA, message);
    }
}
