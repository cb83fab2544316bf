package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.Candidate.PointPair;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's number-plate channel: a still that shares nothing with its reference but the plate (a front against
 * a rear) is identified from the plate's characters, and a plate of the same design with other characters is not;
 * beside a vehicle the features found, a car known only by its plate is a second candidate (issue 19, point 3).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlateMatchingTest {
    /** The still: 1280 px, the plate at an angle, tilted. */
    private static final double[] STILL_PLATE = {600, 400, 780, 385, 784, 428, 603, 444};

    private MatchEngine engine;

    @BeforeEach
    void galleryWithTwoCarsOfTheSamePlateDesign() {
        engine = new MatchEngine(EngineConfig.defaults());
        engine.addReference("bus-1", "bus", Fixtures.bytes("bus.jpg"));
        engine.addReference("box-1", "box", Fixtures.bytes("box.png"));
        Plates.addCarsKnownByPlate(engine);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    void identifiesAStillThatSharesOnlyTheNumberPlateWithItsReference() {
        // Given a film-like still of another scene showing only the plate RK 878AC: tilted, soft, grainy
        byte[] still = Plates.onScene("RK 878AC", "home.jpg", 1280, STILL_PLATE, 1.2, 6);

        // When it is matched
        MatchResult result = engine.match(still);

        // Then the car with that plate is identified, not the car with the plate of the same design
        assertTrue(result.matched(), "the plate must identify the car; near misses: " + result.nearMisses());
        Detection best = result.best();
        assertEquals("RK878AC", best.label(), "label");
        assertTrue(best.byPlate(), "the candidate says it rests on the plate");
        assertTrue(best.confidence() >= PlateModel.defaults().acceptThreshold() && best.confidence() <= 1,
                "a calibrated plate confidence above the plate threshold, was " + best.confidence());
        // And the evidence lies on the plate in the still: character pairs for the reviewer page
        assertTrue(best.inlierPairs().size() >= 5, "character pairs reported: " + best.inlierPairs().size());
        for (PointPair c : best.inlierPairs()) {
            assertTrue(c.still().x() > 595 && c.still().x() < 790 && c.still().y() > 380 && c.still().y() < 450,
                    "each pair lies on the plate in the still: " + c.still());
        }
        assertTrue(result.nearMisses().stream().noneMatch(c -> c.label().equals("RK878AC")), "not repeated as a hint");
    }

    @Test
    void aPlateOfTheSameDesignWithOneOtherCharacterIsNoMatch() {
        // Given a still of an unknown car whose plate RK 868AC differs from each gallery plate in one character
        byte[] still = Plates.onScene("RK 868AC", "home.jpg", 1280, STILL_PLATE, 1.2, 6);

        // When it is matched
        MatchResult result = engine.match(still);

        // Then neither look-alike is identified
        assertFalse(result.matched(), "a plate of the same design is no identification: " + result.candidates());
    }

    @Test
    void withThePlateChannelOffThePlateOnlyStillIsNoMatch() {
        // Given the same gallery in an engine without plates
        try (MatchEngine featuresOnly = new MatchEngine(EngineConfig.defaults().withPlateRows(0))) {
            Plates.addCarsKnownByPlate(featuresOnly);

            // When the plate-only still is matched
            MatchResult result = featuresOnly.match(Plates.onScene("RK 878AC", "home.jpg", 1280, STILL_PLATE, 1.2, 6));

            // Then the local features alone do not identify it: what the plate channel adds
            assertFalse(result.matched(), "features alone: " + result.candidates());
        }
    }

    @Test
    void aCarKnownOnlyByItsPlateBesideAVehicleTheFeaturesFoundIsASecondCandidate() {
        // Given a frame with the bus on the left and, on the right, only the plate RK 878AC of the other car
        byte[] still = Plates.besideTheBus("RK 878AC", STILL_PLATE);

        // When it is matched
        MatchResult result = engine.match(still);

        // Then the bus is found by its features and the car by its plate, each outlined where it is
        assertEquals(List.of("RK878AC", "bus"), result.candidates().stream().map(Detection::label).sorted().toList(),
                "candidates " + result.candidates() + "; near misses " + result.nearMisses());
        Detection bus = result.candidates().stream().filter(c -> c.label().equals("bus")).findFirst().orElseThrow();
        Detection car = result.candidates().stream().filter(c -> c.label().equals("RK878AC")).findFirst().orElseThrow();
        assertFalse(bus.byPlate(), "the bus rests on its features");
        assertTrue(car.byPlate(), "the car rests on its plate");
        assertEquals(MatchKind.VEHICLE, car.answer(), "a plate's characters are instance evidence");
        assertTrue(car.confidence() >= PlateModel.defaults().acceptThreshold(), "over the plate threshold");
        for (PointPair c : car.inlierPairs()) {
            assertTrue(c.still().x() > 595 && c.still().x() < 790 && c.still().y() > 380 && c.still().y() < 450,
                    "the car's evidence lies on the plate, away from the bus: " + c.still());
        }
        assertTrue(Fixtures.maxCornerError(bus.outline(), Plates.busFrame().outlines().get(0)) < 25,
                "the bus is outlined on the bus");
    }

    @Test
    void aPlateOfTheSameDesignBesideTheBusAddsNoCandidate() {
        // Given the bus beside an unknown car whose plate RK 868AC differs from each gallery plate in one character
        MatchResult result = engine.match(Plates.besideTheBus("RK 868AC", STILL_PLATE));

        // Then the bus is the only candidate
        assertEquals(List.of("bus"), result.candidates().stream().map(Detection::label).toList(),
                "candidates " + result.candidates());
    }

    @Test
    void aPlateOnTheVehicleTheFeaturesFoundNamesNoOtherVehicle() {
        // Given the plate RK 878AC on the bus itself (in films, plates were props moved between cars)
        double[] onTheBus = {180, 430, 330, 425, 332, 458, 182, 464};
        byte[] still = Plates.besideTheBus("RK 878AC", onTheBus);
        MatchResult result = engine.match(still);

        // Then the bus is the one candidate: a plate lying on a found vehicle is that vehicle's, not a second car
        assertEquals(List.of("bus"), result.candidates().stream().map(Detection::label).toList(),
                "candidates " + result.candidates() + "; near misses " + result.nearMisses());
        // And it is not even compared with the gallery's plates (the scan over them is spared), unless asked to
        assertTrue(engine.evaluate(still).plates().isEmpty(), "no comparison of the bus's own plate");
        assertTrue(engine.evaluate(still, true).plates().stream()
                .anyMatch(p -> p.match().view().label().equals("RK878AC")), "compared when calibration asks");
    }
}
