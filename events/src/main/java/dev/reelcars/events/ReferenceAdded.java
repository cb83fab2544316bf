package dev.reelcars.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A reference view of a known vehicle, keyed by {@code referenceId} on the compacted references topic, which is
 * the gallery's source of truth. A tombstone (null value) for the key removes the view.
 *
 * <p>{@code source} says where the view came from: {@code upload}, {@code demo}, or {@code review} (a still a
 * reviewer confirmed, cropped to the matched outline; then {@code derivedFromStill} names it).
 */
public record ReferenceAdded(
        int schemaVersion,
        String referenceId,
        String label,
        String make,
        String model,
        Integer year,
        String blobKey,
        String contentType,
        int width,
        int height,
        String source,
        String derivedFromStill,
        Instant addedAt) implements Event {

    public static final int CURRENT_VERSION = 1;

    public ReferenceAdded {
        Ids.require(referenceId, "referenceId");
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("label must not be blank");
        }
        BlobKeys.require(blobKey);
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(addedAt, "addedAt");
        source = source == null ? "upload" : source;
    }

    @Override
    public String key() {
        return referenceId;
    }
}
