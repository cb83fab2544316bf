package dev.reelcars.identify.matcher;

import java.util.List;

/**
 * The outcome of matching one still.
 *
 * @param candidates references accepted above the confidence threshold, best first; empty means an explicit "no match"
 * @param nearMisses verified references of other labels that stayed below the threshold (confidence at least
 *     {@link MatchEngine#NEAR_MISS_CONFIDENCE}), best first, at most 3: never an identification, but evidence a
 *     reviewer naming an unidentified still can use (a second view matched on its number plate alone lands here)
 * @param elapsedMicros wall time spent matching this still (decode included)
 */
public record MatchResult(List<Detection> candidates, List<Detection> nearMisses, long elapsedMicros) {
    public MatchResult {
        candidates = List.copyOf(candidates);
        nearMisses = List.copyOf(nearMisses);
    }

    public boolean matched() {
        return !candidates.isEmpty();
    }

    /** The best candidate; call only when {@link #matched()}. */
    public Detection best() {
        return candidates.get(0);
    }
}
