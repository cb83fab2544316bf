package dev.reelcars.identify.matcher;

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

    /** The defaults with the named setting replaced. */
    private static EngineConfig with(String setting, Object value) {
        return new EngineConfig(
                setting.equals("matcher") ? (EngineConfig.Matcher) value : D.matcher(),
                setting.equals("referenceFeatures") ? (int) value : D.referenceFeatures(),
                D.halfScaleFeatures(),
                setting.equals("detailFeatures") ? (int) value : D.detailFeatures(),
                setting.equals("detailSide") ? (int) value : D.detailSide(),
                D.queryFeatures(), D.maxQuerySide(),
                setting.equals("minQuerySide") ? (int) value : D.minQuerySide(),
                D.maxReferenceSide(),
                setting.equals("minReferenceSide") ? (int) value : D.minReferenceSide(),
                setting.equals("referenceEdgePx") ? (int) value : D.referenceEdgePx(),
                D.preprocess(),
                setting.equals("ratio") ? (double) value : D.ratio(),
                D.ransacThresholdPx(),
                setting.equals("guidedRadius") ? (double) value : D.guidedRadius(),
                setting.equals("minInliers") ? (int) value : D.minInliers(),
                D.shortlistSize(),
                setting.equals("acceptConfidence") ? (double) value : D.acceptConfidence(),
                D.maxCandidates(), D.confidence(),
                setting.equals("plateRows") ? (int) value : D.plateRows(),
                setting.equals("plate model") ? (PlateModel) value : D.plates(), D.vehicleConfidence(),
                setting.equals("textbookRivals") ? (int) value : D.textbookRivals());
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of("referenceFeatures", (Supplier<EngineConfig>) () -> with("referenceFeatures", 5000)),
                Arguments.of("ratio", (Supplier<EngineConfig>) () -> with("ratio", 1.5)),
                Arguments.of("detailFeatures", (Supplier<EngineConfig>) () -> with("detailFeatures", 700)),
                Arguments.of("detailSide", (Supplier<EngineConfig>) () -> with("detailSide", -1)),
                Arguments.of("minInliers", (Supplier<EngineConfig>) () -> with("minInliers", 2)),
                Arguments.of("acceptConfidence", (Supplier<EngineConfig>) () -> with("acceptConfidence", 1.2)),
                Arguments.of("minQuerySide", (Supplier<EngineConfig>) () -> with("minQuerySide", 5000)),
                Arguments.of("minReferenceSide", (Supplier<EngineConfig>) () -> with("minReferenceSide", -1)),
                Arguments.of("referenceEdgePx", (Supplier<EngineConfig>) () -> with("referenceEdgePx", 2)),
                Arguments.of("guidedRadius", (Supplier<EngineConfig>) () -> with("guidedRadius", -1.0)),
                Arguments.of("plateRows", (Supplier<EngineConfig>) () -> with("plateRows", 9)),
                Arguments.of("textbookRivals", (Supplier<EngineConfig>) () -> with("textbookRivals", -1)),
                Arguments.of("plate model", (Supplier<EngineConfig>) () -> with("plate model", null)),
                Arguments.of("matcher", (Supplier<EngineConfig>) () -> with("matcher", null)));
    }

    @ParameterizedTest(name = "rejects bad {0}")
    @MethodSource("badSettings")
    void rejectsOutOfRangeSettingWithItsName(String setting, Supplier<EngineConfig> build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get,
                "an out-of-range " + setting + " must be rejected");
        assertTrue(e.getMessage().contains(setting), "message names the setting: " + e.getMessage());
    }

    @Test
    void aGalleryProfileIsChosenByNameAndScoresWithTheModelFittedOnItsFeatures() {
        assertEquals(D, EngineConfig.profile("full"), "full: the defaults");
        EngineConfig compact = EngineConfig.profile("compact");
        assertTrue(compact.referenceFeatures() + compact.halfScaleFeatures() + compact.detailFeatures()
                < D.referenceFeatures() + D.halfScaleFeatures() + D.detailFeatures(), "compact keeps fewer features");
        // A model scores the inliers of the features it was fitted on: compact's views give fewer for the same evidence
        ConfidenceModel.Fitted own = ConfidenceModel.Fitted.forProfile("compact");
        assertTrue(!own.model().equals(D.confidence()), "compact ships a model of its own");
        assertEquals(own.model(), compact.confidence(), "compact's model");
        assertEquals(own.acceptThreshold(), compact.acceptConfidence(), "compact's answer threshold");
        assertEquals(own.vehicleThreshold(), compact.vehicleConfidence(), "compact's vehicle threshold");
        // Both models were fitted on the lead over textbook counts (twentieth round), so both profiles count them
        assertTrue(D.textbookRivals() > 0, "full: the lead on textbook counts");
        assertEquals(D.textbookRivals(), compact.textbookRivals(), "compact counts the same rivals");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineConfig.profile("tiny"));
        assertTrue(e.getMessage().contains("full") && e.getMessage().contains("compact"),
                "names the profiles: " + e.getMessage());
    }

    @Test
    void defaultsUseTheIndexedMatcherWithTheCalibratedThreshold() {
        assertEquals(EngineConfig.Matcher.INDEXED, D.matcher(), "default matcher");
        assertEquals(ConfidenceModel.defaultThreshold(), D.acceptConfidence(), "threshold comes from calibration");
        assertEquals(EngineConfig.Matcher.EXHAUSTIVE, EngineConfig.exhaustive().matcher(), "exhaustive preset");
    }
}
