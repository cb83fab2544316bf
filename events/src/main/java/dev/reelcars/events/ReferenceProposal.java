package dev.reelcars.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A reference view a contributor proposes, keyed by {@code proposalId} on the compacted reference-proposals topic.
 * It is not part of the matching gallery: reviewers vote on it (decisions keyed by the proposal id, the same
 * consensus rule as for stills), and only an accepted proposal is published as a {@link ReferenceAdded}, whose
 * {@code derivedFromStill} names the proposal.
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
        Instant proposedAt) implements Event {

    public static final int CURRENT_VERSION = 1;
    /** Every proposal id starts with this, so a decision on a proposal is told from a decision on a still. */
    public static final String ID_PREFIX = "proposal-";

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
    }

    @Override
    public String key() {
        return proposalId;
    }
}
