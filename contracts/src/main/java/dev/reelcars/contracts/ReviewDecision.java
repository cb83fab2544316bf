package dev.reelcars.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * A reviewer's decision on a still, keyed by {@code stillId} on the decisions topic (kept forever: it is the source
 * of truth for the review state). {@code decisionId} makes re-applying a redelivered decision harmless.
 *
 * @param label the vehicle the reviewer confirmed or rejected (one of the candidates, or a new name)
 * @param referenceId the candidate's reference, or null when the reviewer named a vehicle not proposed
 */
public record ReviewDecision(
        int schemaVersion,
        String decisionId,
        String stillId,
        Verdict verdict,
        String label,
        String referenceId,
        String reviewer,
        Instant decidedAt) implements Event {

    public static final int CURRENT_VERSION = 1;

    public ReviewDecision {
        Ids.require(decisionId, "decisionId");
        Ids.require(stillId, "stillId");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reviewer, "reviewer");
        Objects.requireNonNull(decidedAt, "decidedAt");
    }

    @Override
    public String key() {
        return stillId;
    }

    /** What the reviewer said. */
    public enum Verdict { CONFIRM, REJECT }
}
