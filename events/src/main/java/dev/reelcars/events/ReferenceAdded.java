package dev.reelcars.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A reference view of a known vehicle, keyed by {@code referenceId} on the compacted references topic, which is
 * the gallery's source of truth. A tombstone (null value) for the key removes the view.
 *
 * <p>{@code source} says where the view came from: {@code upload}, {@code demo}, or {@code review} (a still a
 * reviewer confirmed, cropped to the matched outline; then {@code derivedFromStill} names it).
 *
 * <p>{@code variant}, {@code yearFrom} and {@code yearTo} were added within schema version 1 as optional fields:
 * events written before them read as null, and older readers ignore them.
 *
 * @param year the year of this view's own vehicle (its model year), when known
 * @param variant the model's variant or trim ("GT", "Type 1", "RM"), when known
 * @param yearFrom the model's first production year, when known: a film older than it cannot show the model
 * @param yearTo the model's last production year, when known
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
        Instant addedAt,
        String variant,
        Integer yearFrom,
        Integer yearTo) implements Event {

    public static final int CURRENT_VERSION = 1;

    /** A view without the optional variant and production years. */
    public ReferenceAdded(int schemaVersion, String referenceId, String label, String make, String model,
            Integer year, String blobKey, String contentType, int width, int height, String source,
            String derivedFromStill, Instant addedAt) {
        this(schemaVersion, referenceId, label, make, model, year, blobKey, contentType, width, height, source,
                derivedFromStill, addedAt, null, null, null);
    }

    public ReferenceAdded {
        Ids.require(referenceId, "referenceId");
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("label must not be blank");
        }
        BlobKeys.require(blobKey);
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(addedAt, "addedAt");
        source = source == null ? "upload" : source;
        if (yearFrom != null && yearTo != null && yearFrom > yearTo) {
            throw new IllegalArgumentException("yearFrom " + yearFrom + " is after yearTo " + yearTo);
        }
    }

    @Override
    public String key() {
        return referenceId;
    }
}
