package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 19, "two kinds of answer": a vehicle answer, a model answer, or none (fixtures: real cross-camera views). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AnswerKindTest {
    /** The SUV (one vehicle), the minivan's label naming its model, and the test fixtures' bus. */
    private static MatchEngine gallery(EngineConfig config) {
        MatchEngine engine = new MatchEngine(config);
        engine.addReference("suv-1", "black SUV 0005", LabelKind.VEHICLE, Fixtures.bytes("reid_suv_cam1.jpg"));
        engine.addReference("minivan-1", "black minivan (model)", LabelKind.MODEL,
                Fixtures.bytes("reid_minivan_a.jpg"));
        engine.addReference("bus-1", "bus", Fixtures.bytes("bus.jpg"));
        return engine;
    }

    @Test
    void theSameVehicleSeenByAnotherCameraGetsAVehicleAnswer() {
        try (MatchEngine engine = gallery(EngineConfig.defaults())) {
            // When the SUV's view from the second camera is matched
            MatchEngine.Outcome outcome = engine.evaluate(Fixtures.bytes("reid_suv_cam2.jpg"));

            // Then it is the SUV, and the evidence is strong enough to say the same vehicle
            assertEquals("black SUV 0005", outcome.accepted().get(0).label(), "predicted label");
            assertEquals(MatchKind.VEHICLE, outcome.match(), "answer kind, confidence "
                    + outcome.accepted().get(0).confidence());
        }
    }

    @Test
    void anotherCarOfAModelTheGalleryNamesGetsAModelAnswer() {
        try (MatchEngine engine = gallery(EngineConfig.defaults())) {
            // When a different minivan of the same model is matched (a look-alike: another car, another camera)
            MatchEngine.Outcome outcome = engine.evaluate(Fixtures.bytes("reid_minivan_b.jpg"));

            // Then the answer is the model's label, marked as a model answer
            assertEquals("black minivan (model)", outcome.accepted().get(0).label(), "predicted label");
            assertEquals(MatchKind.MODEL, outcome.match(), "a label naming a model gives a model answer");
        }
    }

    @Test
    void evidenceBelowTheVehicleThresholdIsAModelAnswer() {
        // Given a vehicle threshold no features' evidence reaches
        try (MatchEngine engine = gallery(EngineConfig.defaults().withVehicleConfidence(1.0))) {
            MatchEngine.Outcome outcome = engine.evaluate(Fixtures.bytes("reid_suv_cam2.jpg"));

            // Then the SUV is still the answer, but only as the same model
            assertEquals("black SUV 0005", outcome.accepted().get(0).label(), "predicted label");
            assertFalse(outcome.accepted().get(0).byPlate(), "found by local features");
            assertEquals(MatchKind.MODEL, outcome.match(), "answer kind");
        }
    }

    @Test
    void aStillWithNoGalleryVehicleGetsNoAnswer() {
        try (MatchEngine engine = gallery(EngineConfig.defaults())) {
            MatchEngine.Outcome outcome = engine.evaluate(Fixtures.bytes("home.jpg"));

            assertEquals(0, outcome.accepted().size(), "nothing accepted");
            assertEquals(MatchKind.NONE, outcome.match(), "answer kind");
        }
    }
}
