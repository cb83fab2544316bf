package dev.reelcars.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A reference view a contributor proposes, keyed by {@code proposalId} on the compacted reference-proposals topic.
 * It is not part of the matching gallery: reviewers vote on it (decisions keyed by the proposal id, the same
 * consensus rule as for stills), and only an accepted proposal is published as a {@link ReferenceAdded}, whose
 * {@code derivedFromStill} names the proposal.
 *
 * <p>{@code variant}, {@code yearFrom} and {@code yearTo} (the model's production years) were added within schema
 * version 1 as optional fields, as on {@link ReferenceAdded}, which an accepted proposal passes them on to.
 */
public record ReferenceProposal(
        int schemaVersion,
        String proposalId,
        String label,
        String make,
        String model,
        Integer year,
        String blobKey,
        String contentType,
        int width,
        int height,
        String proposedBy,
        Instant proposedAt,
        String variant,
        Integer yearFrom,
        Integer yearTo) implements Event {

    public static final int CURRENT_VERSION = 1;
    /** Every proposal id starts with this, so a decision on a proposal is told from a decision on a still. */
    public static final String ID_PREFIX = "proposal-";

    /** A proposal without the optional variant and production years. */
    public ReferenceProposal(int schemaVersion, String proposalId, String label, String make, String model,
            Integer year, String blobKey, String contentType, int width, int height, String proposedBy,
            Instant proposedAt) {
        this(schemaVersion, proposalId, label, make, model, year, blobKey, contentType, width, height, proposedBy,
                proposedAt, null, null, null);
    }

    public ReferenceProposal {
        Ids.require(proposalId, "proposalId");
        if (!proposalId.startsWith(ID_PREFIX)) {
            throw new IllegalArgumentException("a proposal id starts with " + ID_PREFIX);
        }
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("label must not be blank");
        }
        BlobKeys.require(blobKey);
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(proposedBy, "proposedBy");
        Objects.requireNonNull(proposedAt, "proposedAt");
        if (yearFrom != null && yearTo != null && yearFrom > yearTo) {
            throw new IllegalArgumentException("yearFrom " + yearFrom + " is after yearTo " + yearTo);
        }
    }

    @Override
    public String key() {
        return proposalId;
    }
}
