package dev.reelcars.events;

import dev.reelcars.events.ReviewDecision.Verdict;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The consensus rule, as a pure function of the decisions on one piece of evidence (a still and its
 * near-duplicates). Decisions are taken in time order; each reviewer's latest decision in the current round is their
 * vote, so a repeated shot or a change of mind never counts twice.
 *
 * <p>A label is <b>confirmed</b> when at least {@code required} votes confirm it and they are more than 2/3 of the
 * votes. The proposal is <b>rejected</b> likewise; a rejection is remembered (the rejected references are never
 * proposed again for this still) and opens a new round. Votes that disagree without reaching either are
 * <b>disputed</b>. A confirmation stands against any later vote: only a {@link Verdict#REOPEN} sets it aside. A
 * {@link Verdict#RETRACT} takes its reviewer's vote out of the current round (an undo), as if they had not voted in
 * it.
 *
 * <p>A {@link Verdict#REOPEN} sets aside the latest outcome reached by consensus and starts a fresh round: after a
 * confirmation the still is open again (nothing confirmed); otherwise the references the latest rejection rejected
 * are proposed again (a "no vehicle" clearing is undone likewise). With no outcome to set aside it changes nothing.
 */
public final class Consensus {
    private Consensus() {
    }

    /** What the decisions add up to. */
    public enum State { OPEN, DISPUTED, CONFIRMED }

    /**
     * @param label the confirmed label (when CONFIRMED)
     * @param referenceId the confirmed candidate's reference, or null for a vehicle a reviewer named
     * @param confirmedStill the still whose decision completed the confirmation (when CONFIRMED)
     * @param rejectedTargets reference ids (or {@code label:<name>}) whose match was rejected by consensus
     * @param votes the current round's vote of each reviewer
     */
    public record Outcome(State state, String label, String referenceId, String confirmedStill,
            Set<String> rejectedTargets, Map<String, ReviewDecision> votes) {
        public Outcome {
            rejectedTargets = Set.copyOf(rejectedTargets);
            votes = Map.copyOf(votes);
        }
    }

    public static Outcome evaluate(List<ReviewDecision> decisions, int required) {
        List<ReviewDecision> ordered = decisions.stream()
                .sorted(Comparator.comparing(ReviewDecision::decidedAt).thenComparing(ReviewDecision::decisionId))
                .toList();
        Set<String> rejected = new LinkedHashSet<>();
        // The targets of the latest rejection by consensus, which a REOPEN proposes again.
        Set<String> lastRejection = new LinkedHashSet<>();
        Map<String, ReviewDecision> round = new LinkedHashMap<>();
        Outcome confirmed = null;
        for (ReviewDecision d : ordered) {
            if (d.verdict() == Verdict.REOPEN) {
                if (confirmed == null) {
                    rejected.removeAll(lastRejection);
                    lastRejection.clear();
                }
                confirmed = null;
                round.clear();
                continue;
            }
            if (confirmed != null) {
                // A confirmation stands: later votes (a late reviewer's, or one that raced it) do not change it.
                continue;
            }
            if (d.verdict() == Verdict.RETRACT) {
                // Undo: the reviewer no longer votes in this round. The others' votes are counted again, so a
                // retracted dissent can let the rest agree. A round already closed by a rejection is not reopened.
                round.remove(d.reviewer());
                if (round.isEmpty()) {
                    continue;
                }
            } else {
                round.put(d.reviewer(), d);
            }
            int total = round.size();
            Map<String, Integer> confirms = new LinkedHashMap<>();
            int rejects = 0;
            for (ReviewDecision vote : round.values()) {
                if (vote.verdict() == Verdict.CONFIRM) {
                    confirms.merge(normalise(vote.label()), 1, Integer::sum);
                } else {
                    rejects++;
                }
            }
            for (var e : confirms.entrySet()) {
                if (agrees(e.getValue(), total, required)) {
                    ReviewDecision first = round.values().stream()
                            .filter(v -> v.verdict() == Verdict.CONFIRM && normalise(v.label()).equals(e.getKey()))
                            .findFirst().orElseThrow();
                    String referenceId = round.values().stream()
                            .filter(v -> v.verdict() == Verdict.CONFIRM && normalise(v.label()).equals(e.getKey()))
                            .map(ReviewDecision::referenceId).filter(r -> r != null).findFirst().orElse(null);
                    confirmed = new Outcome(State.CONFIRMED, first.label().trim(), referenceId, first.stillId(),
                            rejected, round);
                    break;
                }
            }
            if (confirmed == null && agrees(rejects, total, required)) {
                lastRejection.clear();
                for (ReviewDecision vote : round.values()) {
                    if (vote.verdict() == Verdict.REJECT && rejected.add(target(vote))) {
                        lastRejection.add(target(vote));
                    }
                }
                round.clear();
            }
        }
        if (confirmed != null) {
            return confirmed;
        }
        long positions = round.values().stream()
                .map(v -> v.verdict() == Verdict.CONFIRM ? "confirm:" + normalise(v.label()) : "reject")
                .distinct().count();
        return new Outcome(positions > 1 ? State.DISPUTED : State.OPEN, null, null, null, rejected, round);
    }

    /** What a rejection is against: the candidate's reference, or the label when none was named. */
    public static String target(ReviewDecision rejection) {
        return rejection.referenceId() != null ? rejection.referenceId() : "label:" + normalise(rejection.label());
    }

    public static String normalise(String label) {
        return label == null ? "" : label.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static boolean agrees(int count, int total, int required) {
        return count >= required && 3 * count > 2 * total;
    }
}
