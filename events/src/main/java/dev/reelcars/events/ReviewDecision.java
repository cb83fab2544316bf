package dev.reelcars.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A reviewer's decision on a still, keyed by {@code stillId} on the decisions topic (kept forever: it is the source
 * of truth for the review state). {@code decisionId} makes re-applying a redelivered decision harmless.
 *
 * <p>Version 2 adds the verdict {@link Verdict#RETRACT} (a reviewer takes back their latest decision on the still:
 * the page's undo); nothing else changed, so version 1 records are read as before. A reader that only knows version
 * 1 dead-letters a version 2 record instead of failing on the unknown verdict.
 *
 * <p>Version 3 adds the verdict {@link Verdict#REOPEN}: a reviewer sets aside a decided still's outcome (the
 * workbench's "Reopen", audited with a reason); likewise nothing else changed.
 *
 * @param label the vehicle the reviewer confirmed or rejected (one of the candidates, or a new name); on a
 *     retraction, the label of the decision taken back; on a reopening, the confirmed label set aside (null
 *     after a rejection)
 * @param referenceId the candidate's reference, or null when the reviewer named a vehicle not proposed; on a
 *     retraction, that of the decision taken back; on a reopening, that of the confirmation set aside
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

    public static final int CURRENT_VERSION = 3;

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

    /**
     * What the reviewer said. RETRACT withdraws the reviewer's vote in the current round; REOPEN sets aside the
     * latest outcome reached by consensus and starts a fresh round (see {@link Consensus}). Neither is a vote itself.
     */
    public enum Verdict { CONFIRM, REJECT, RETRACT, REOPEN }
}
