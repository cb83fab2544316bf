package dev.reelcars.identify;

/**
 * The name {@code MatchEngine} and {@code FeatureExtractor} still call; the loader itself is
 * {@link dev.reelcars.contracts.OpenCvNatives}. Delete this once those two import it.
 */
final class OpenCvNatives {
  private OpenCvNatives() {}

  static void load() {
    dev.reelcars.contracts.OpenCvNatives.load();
  }
}
