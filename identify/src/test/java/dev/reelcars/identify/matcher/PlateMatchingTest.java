package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.Candidate.PointPair;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's number-plate channel: a still that shares nothing with its reference but the plate (a front against
 * a rear) is identified from the plate's characters, and a plate of the same design with other characters is not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlateMatchingTest {
    /** The reference snapshot: 400 px, plate 110 px wide. */
    private static final double[] SNAPSHOT_PLATE = {150, 180, 260, 182, 259, 205, 149, 203};
    /** The still: 1280 px, the plate at an angle, tilted. */
    private static final double[] STILL_PLATE = {600, 400, 780, 385, 784, 428, 603, 444};

    private MatchEngine engine;

    @BeforeEach
    void galleryWithTwoCarsOfTheSamePlateDesign() {
        engine = new MatchEngine(EngineConfig.defaults());
        engine.addReference("bus-1", "bus", Fixtures.bytes("bus.jpg"));
        engine.addReference("box-1", "box", Fixtures.bytes("box.png"));
        engine.addReference("car-878", "RK878AC", Plates.onScene("RK 878AC", "building.jpg", 400,
                SNAPSHOT_PLATE, 0, 0));
        engine.addReference("car-828", "RK828AC",
                Plates.onScene("RK 828AC", "car_rear_motion.jpg", 400, SNAPSHOT_PLATE, 0, 0));
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
            featuresOnly.addReference("car-878", "RK878AC",
                    Plates.onScene("RK 878AC", "building.jpg", 400, SNAPSHOT_PLATE, 0, 0));
            featuresOnly.addReference("car-828", "RK828AC",
                    Plates.onScene("RK 828AC", "car_rear_motion.jpg", 400, SNAPSHOT_PLATE, 0, 0));

            // When the plate-only still is matched
            MatchResult result = featuresOnly.match(Plates.onScene("RK 878AC", "home.jpg", 1280, STILL_PLATE, 1.2, 6));

            // Then the local features alone do not identify it: what the plate channel adds
            assertFalse(result.matched(), "features alone: " + result.candidates());
        }
    }
}
