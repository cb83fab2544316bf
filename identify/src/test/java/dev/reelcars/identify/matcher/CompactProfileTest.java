package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The compact gallery profile (issue 19 point 5: 100,000 views in about 3 GB) with the confidence model fitted on its
 * own features: fewer features per view, and still the committed real pair and the film-look bus identified.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompactProfileTest {

    private static MatchEngine gallery(EngineConfig config) {
        MatchEngine engine = new MatchEngine(config);
        engine.addReference("suv-1", "suv", Fixtures.bytes("reid_suv_cam1.jpg"));
        engine.addReference("minivan-1", "minivan", Fixtures.bytes("reid_minivan_a.jpg"));
        engine.addReference("bus-1", "bus", Fixtures.bytes("bus.jpg"));
        engine.addReference("car-1", "car", Fixtures.bytes("car_rear_motion.jpg"));
        return engine;
    }

    @Test
    void compactViewsHoldFewerFeaturesThanFullOnes() {
        try (MatchEngine full = gallery(EngineConfig.defaults());
             MatchEngine compact = gallery(EngineConfig.compact())) {
            long fullFeatures = full.indexedPostings();
            long compactFeatures = compact.indexedPostings();
            assertTrue(compactFeatures < 0.75 * fullFeatures, "compact keeps about two thirds of the features: "
                    + compactFeatures + " of " + fullFeatures);
        }
    }

    @Test
    void compactProfileIdentifiesTheSecondCamerasViewAndTheFilmLookBus() {
        try (MatchEngine engine = gallery(EngineConfig.compact())) {
            // Given the SUV seen by a second road camera, and the bus small, grey and grainy in a scene
            MatchResult suv = engine.match(Fixtures.bytes("reid_suv_cam2.jpg"));
            Fixtures.Still bus = Fixtures.composite("bus.jpg", "home.jpg", 0.55, -12, 600, 300, true);
            MatchResult busResult = engine.match(bus.jpeg());

            // Then both are identified, scored by the model fitted on compact features
            assertTrue(suv.matched(), "the second camera's view of the SUV must be identified");
            assertEquals("suv", suv.best().label(), "SUV's label");
            assertTrue(busResult.matched(), "the film-look bus must be identified");
            assertEquals("bus", busResult.best().label(), "bus's label");
        }
    }

    @Test
    void aSceneWithoutAGalleryVehicleIsNoMatchWithTheCompactModel() {
        try (MatchEngine engine = gallery(EngineConfig.compact())) {
            for (String scene : new String[] {"home.jpg", "building.jpg"}) {
                assertTrue(!engine.match(Fixtures.bytes(scene)).matched(), scene + " must be no match");
            }
        }
    }
}
