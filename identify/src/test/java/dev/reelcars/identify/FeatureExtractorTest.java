package dev.reelcars.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FeatureExtractorTest {
  private static FeatureExtractor referenceExtractor(int detailFeatures) {
    return new FeatureExtractor(600, 640, true, 300, 240, 16, detailFeatures, 600,
        FeatureExtractor.REFERENCE_BASE_OCTAVE);
  }

  @Test
  void smallReferenceGetsAnEnlargedDetailViewOnFinerOctavesInItsOwnPixels() {
    // Given a 400 × 302 snapshot
    FeatureSet features = referenceExtractor(150).extract(Fixtures.resized("bus.jpg", 400), "bus");

    // Then up to 150 extra features sit on octaves finer than the full-size view's, at positions inside the image
    int detail = 0;
    for (int i = 0; i < features.count; i++) {
      assertTrue(features.octaves[i] >= 0 && features.octaves[i] <= HoughFilter.MAX_REF_OCTAVE,
          "octave in range: " + features.octaves[i]);
      if (features.octaves[i] < FeatureExtractor.REFERENCE_BASE_OCTAVE) {
        detail++;
      }
      assertTrue(features.xs[i] >= 0 && features.xs[i] < 400 && features.ys[i] >= 0 && features.ys[i] < 302,
          "keypoint mapped back into the snapshot: " + features.xs[i] + ", " + features.ys[i]);
    }
    assertTrue(detail > 50 && detail <= 150, "detail features: " + detail);
    assertEquals(400, features.width, "size reported in the image's own pixels");
  }

  @Test
  void referenceAlreadyLargeEnoughGetsNoDetailView() {
    // Given a photo whose processed shorter side (640 × 484) is within 1.25× of the detail size
    FeatureSet features = referenceExtractor(150).extract(Fixtures.resized("bus.jpg", 1000), "bus");

    // Then no feature is on a detail octave
    for (int i = 0; i < features.count; i++) {
      assertTrue(features.octaves[i] >= FeatureExtractor.REFERENCE_BASE_OCTAVE, "no detail octave expected");
    }
  }

  @Test
  void everyReferenceOctaveFallsInsideTheHoughScaleBins() {
    // A still feature on its finest level against a reference feature on the coarsest of the half-size view, and
    // the other way round: both bins exist (an overflow would merge them with another rotation's bins)
    FeatureSet query = new FeatureSet(2, new long[8], new float[2], new float[2], new byte[] {0, 0},
        new byte[] {0, 7}, 100, 100);
    int fine = HoughFilter.bin(query, 0, 0, HoughFilter.MAX_REF_OCTAVE);
    int coarse = HoughFilter.bin(query, 1, 0, 0);
    assertTrue(fine >= 0 && fine < HoughFilter.BINS, "bin " + fine);
    assertTrue(coarse >= 0 && coarse < HoughFilter.BINS, "bin " + coarse);
    assertTrue(coarse - fine < HoughFilter.BINS / 12, "same rotation row: " + fine + ", " + coarse);
  }
}
