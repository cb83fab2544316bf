package dev.reelcars.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A small copy of a shown image, made once and kept in the blob store under its own sha-256; keyed by the
 * {@code sourceKey} on the compacted thumbnails topic, so every instance and every restart finds the one already
 * made instead of making it again.
 */
public record Thumbnail(
        int schemaVersion,
        String sourceKey,
        String thumbnailKey,
        String contentType,
        int width,
        int height,
        Instant madeAt) implements Event {

    public static final int CURRENT_VERSION = 1;

    public Thumbnail {
        BlobKeys.require(sourceKey);
        BlobKeys.require(thumbnailKey);
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(madeAt, "madeAt");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("width and height must be positive, got " + width + "x" + height);
        }
    }

    @Override
    public String key() {
        return sourceKey;
    }
}
