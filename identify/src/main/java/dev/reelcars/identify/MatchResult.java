package dev.reelcars.identify;

import java.util.List;

/**
 * The outcome of matching one still.
 *
 * @param candidates references accepted above the confidence threshold, best first; empty means an explicit "no match"
 * @param elapsedMicros wall time spent matching this still (decode included)
 */
public record MatchResult(List<Candidate> candidates, long elapsedMicros) {
  public MatchResult {
    candidates = List.copyOf(candidates);
  }

  public boolean matched() {
    return !candidates.isEmpty();
  }

  /** The best candidate; call only when {@link #matched()}. */
  public Candidate best() {
    return candidates.get(0);
  }
}
