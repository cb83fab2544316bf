package dev.reelcars.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class EngineConfigTest {
  private static final EngineConfig D = EngineConfig.defaults();

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of("referenceFeatures", (Supplier<EngineConfig>) () -> new EngineConfig(D.matcher(), 5000, D.halfScaleFeatures(),
            D.queryFeatures(), D.maxQuerySide(), D.maxReferenceSide(), D.preprocess(), D.ratio(),
            D.ransacThresholdPx(), D.minInliers(), D.shortlistSize(), D.acceptConfidence(), D.maxCandidates(),
            D.confidence())),
        Arguments.of("ratio", (Supplier<EngineConfig>) () -> new EngineConfig(D.matcher(), D.referenceFeatures(), D.halfScaleFeatures(),
            D.queryFeatures(), D.maxQuerySide(), D.maxReferenceSide(), D.preprocess(), 1.5,
            D.ransacThresholdPx(), D.minInliers(), D.shortlistSize(), D.acceptConfidence(), D.maxCandidates(),
            D.confidence())),
        Arguments.of("minInliers", (Supplier<EngineConfig>) () -> new EngineConfig(D.matcher(),
            D.referenceFeatures(), D.halfScaleFeatures(), D.queryFeatures(), D.maxQuerySide(), D.maxReferenceSide(), D.preprocess(),
            D.ratio(), D.ransacThresholdPx(), 2, D.shortlistSize(), D.acceptConfidence(), D.maxCandidates(),
            D.confidence())),
        Arguments.of("acceptConfidence", (Supplier<EngineConfig>) () -> new EngineConfig(D.matcher(),
            D.referenceFeatures(), D.halfScaleFeatures(), D.queryFeatures(), D.maxQuerySide(), D.maxReferenceSide(), D.preprocess(),
            D.ratio(), D.ransacThresholdPx(), D.minInliers(), D.shortlistSize(), 1.2, D.maxCandidates(),
            D.confidence())),
        Arguments.of("matcher", (Supplier<EngineConfig>) () -> new EngineConfig(null, D.referenceFeatures(), D.halfScaleFeatures(),
            D.queryFeatures(), D.maxQuerySide(), D.maxReferenceSide(), D.preprocess(), D.ratio(),
            D.ransacThresholdPx(), D.minInliers(), D.shortlistSize(), D.acceptConfidence(), D.maxCandidates(),
            D.confidence())));
  }

  @ParameterizedTest(name = "rejects bad {0}")
  @MethodSource("badSettings")
  void rejectsOutOfRangeSettingWithItsName(String setting, Supplier<EngineConfig> build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get,
        "an out-of-range " + setting + " must be rejected");
    assertTrue(e.getMessage().contains(setting), "message names the setting: " + e.getMessage());
  }

  @Test
  void defaultsUseTheIndexedMatcherWithTheCalibratedThreshold() {
    assertEquals(EngineConfig.Matcher.INDEXED, D.matcher(), "default matcher");
    assertEquals(ConfidenceModel.defaultThreshold(), D.acceptConfidence(), "threshold comes from calibration");
    assertEquals(EngineConfig.Matcher.EXHAUSTIVE, EngineConfig.exhaustive().matcher(), "exhaustive preset");
  }
}
