package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How crossvalidate chooses the answer and vehicle thresholds when unknown cars may get a model answer. */
class CrossValidationThresholdsTest {
    /** p = inliers / (1 + inliers): 29 inliers -> 0.967, 7 -> 0.875, 5 -> 0.833, 1 -> 0.5. */
    private static final ConfidenceModel P_FROM_INLIERS = new ConfidenceModel(0, 1, 0, 0, 0, 0);

    private static Calibrator.Sample sample(int inliers, boolean correct, int query) {
        return new Calibrator.Sample(new ConfidenceModel.Evidence(inliers, 0, 0, 0, 1), correct, query);
    }

    // One composite gallery: a car found at 0.967, a car found at 0.833, an unknown car of a gallery car's model whose
    // best candidate scores 0.875, and a scene at 0.5 (thresholds are chosen on a grid of 0.01).
    private static final List<CrossValidation.Query> QUERIES = List.of(
            new CrossValidation.Query("car-a", "composite", -1, 0, false),
            new CrossValidation.Query("car-b", "composite", -1, 0, false),
            new CrossValidation.Query("none", "unknown_car", -1, 0, false),
            new CrossValidation.Query("none", "scene", -1, 0, false));
    private static final List<Calibrator.Sample> SAMPLES = List.of(
            sample(29, true, 0), sample(5, true, 1), sample(7, false, 2), sample(1, false, 3));

    @Test
    void anUnknownCarMayGetAModelAnswerUnderTheVehicleThreshold() {
        // When unknown cars may get model answers without bound
        CrossValidation.Thresholds t = CrossValidation.thresholds(P_FROM_INLIERS, SAMPLES, QUERIES, 1, 0.0, 0.0,
                q -> true, true, 1.0);

        // Then the answer threshold reaches down to the second car (the unknown car gets a model answer at 0.875),
        // while the vehicle threshold stays above the unknown car
        assertEquals(0.83, t.answer(), 1e-9, "answer threshold");
        assertEquals(0.88, t.vehicle(), 1e-9, "vehicle threshold");
    }

    @Test
    void boundingModelAnswersToUnknownCarsLiftsTheAnswerThresholdAboveThem() {
        // When no unknown car may get any answer (--max-model-fp 0)
        CrossValidation.Thresholds t = CrossValidation.thresholds(P_FROM_INLIERS, SAMPLES, QUERIES, 1, 0.0, 0.0,
                q -> true, true, 0.0);

        // Then the answer threshold is above the unknown car, so the second car is no longer answered: the highest
        // threshold with the first car's hit, and no model band
        assertEquals(0.96, t.answer(), 1e-9, "answer threshold");
        assertEquals(0.96, t.vehicle(), 1e-9, "vehicle threshold");
    }
}
