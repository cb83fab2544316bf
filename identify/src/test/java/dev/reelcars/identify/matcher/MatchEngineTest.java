package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.Candidate.PointPair;
import dev.reelcars.events.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MatchEngineTest {
    private MatchEngine engine;

    @BeforeEach
    void galleryOfBusCarAndBox() {
        engine = galleryWithBus("bus-1", Fixtures.bytes("bus.jpg"));
    }

    /** A default engine holding the given bus reference, the car and the box. */
    private static MatchEngine galleryWithBus(String busId, byte[] busImage) {
        MatchEngine gallery = new MatchEngine(EngineConfig.defaults());
        gallery.addReference(busId, "bus", busImage);
        gallery.addReference("car-1", "car", Fixtures.bytes("car_rear_motion.jpg"));
        gallery.addReference("box-1", "box", Fixtures.bytes("box.png"));
        return gallery;
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    void identifiesVehiclePastedIntoSceneWithOutlineOnItsCorners() {
        // Given a still with the bus scaled, rotated and pasted into a building scene
        Fixtures.Still still = Fixtures.composite("bus.jpg", "building.jpg", 0.8, 8, 420, 150, false);

        // When it is matched
        MatchResult result = engine.match(still.jpeg());

        // Then the bus is the best candidate and its outline lies on the pasted corners
        assertTrue(result.matched(), "the pasted bus must be identified");
        Detection best = result.best();
        assertEquals("bus", best.label(), "best candidate label");
        assertEquals("bus-1", best.referenceId(), "best candidate reference id");
        assertFalse(best.byPlate(), "found by local features, not by a number plate");
        double error = Fixtures.maxCornerError(best.outline(), still.expectedOutline());
        assertTrue(error < 15, "outline corners must be within 15 px of the true ones, worst was " + error);
        assertTrue(best.confidence() >= engine.config().acceptConfidence() && best.confidence() <= 1,
                "confidence must be calibrated 0..1 and above the threshold, was " + best.confidence());
        assertFalse(best.inlierPairs().isEmpty(), "inlier pairs are reported for the reviewer page");
        assertTrue(best.inlierPairs().size() <= 60, "at most about 60 inlier pairs, got " + best.inlierPairs().size());
    }

    @Test
    void identifiesVehicleInGreyGrainyLowContrastStill() {
        // Given a small, grey, low-contrast, grainy bus
        Fixtures.Still still = Fixtures.composite("bus.jpg", "home.jpg", 0.55, -12, 600, 300, true);

        // When it is matched
        MatchResult result = engine.match(still.jpeg());

        // Then the bus is still identified at the right place
        assertTrue(result.matched(), "a film-look still of the bus must be identified");
        assertEquals("bus", result.best().label(), "best candidate label");
        double error = Fixtures.maxCornerError(result.best().outline(), still.expectedOutline());
        assertTrue(error < 20, "outline corners within 20 px, worst was " + error);
    }

    @Test
    void identifiesObjectInRealClutteredSecondView() {
        // Given a real photo of the box among other objects
        byte[] scene = Fixtures.bytes("box_in_scene.png");

        // When it is matched
        MatchResult result = engine.match(scene);

        // Then the box is found, and its outline lies in the left half of the scene where it stands
        assertTrue(result.matched(), "the box in the cluttered scene must be identified");
        assertEquals("box", result.best().label(), "best candidate label");
        var centre = Fixtures.centre(result.best().outline());
        assertTrue(centre.x > 60 && centre.x < 260 && centre.y > 120 && centre.y < 330,
                "outline centre must be on the box (left half, middle), was " + centre);
    }

    @Test
    void sceneWithoutGalleryVehicleIsNoMatch() {
        // Given scenes with no gallery object
        for (String scene : List.of("home.jpg", "building.jpg")) {
            // When matched
            MatchResult result = engine.match(Fixtures.bytes(scene));

            // Then the answer is an explicit no match
            assertFalse(result.matched(), scene + " must come back as no match, got " + result.candidates());
            assertTrue(result.candidates().isEmpty(), "no match means no candidates");
        }
    }

    @Test
    void aTraceSaysWhereAStillsReferenceWasFoundOrLost() {
        // Given the pasted bus, and a scene without it, traced through the engine (what ReidLosses reads)
        Fixtures.Still still = Fixtures.composite("bus.jpg", "building.jpg", 0.8, 8, 420, 150, false);
        MatchEngine.Trace found = engine.trace(still.jpeg());
        MatchEngine.Trace lost = engine.trace(Fixtures.bytes("home.jpg"));

        // Then the bus is ranked first by the index, verified, best-scored, the answer and first by textbook count
        assertEquals("bus", found.ranked().get(0), "the index's ranking: " + found.ranked());
        assertEquals(3, found.textbook().size(), "every view of the gallery is counted: " + found.textbook());
        assertEquals(new ReidLosses.Steps(0, true, true, true, true), ReidLosses.Steps.of("bus", found));
        // And in the scene the bus is neither verified nor the answer, nor first by a textbook count of its own
        ReidLosses.Steps none = ReidLosses.Steps.of("bus", lost);
        assertFalse(none.verified() || none.bestScored() || none.answered(), "nothing found in the scene: " + none);
        try (MatchEngine exhaustive = new MatchEngine(EngineConfig.exhaustive())) {
            assertThrows(IllegalStateException.class, () -> exhaustive.trace(still.jpeg()),
                    "the textbook matcher has no index to trace");
        }
    }

    @Test
    void undecodableBytesThrowImageDecodeException() {
        byte[] garbage = "definitely not a jpeg, just text bytes".getBytes();
        byte[] truncatedHeader = java.util.Arrays.copyOf(Fixtures.bytes("bus.jpg"), 20);

        ImageDecodeException onMatch = assertThrows(ImageDecodeException.class, () -> engine.match(garbage),
                "matching garbage must throw");
        assertTrue(onMatch.getMessage().contains("could not decode"), "message explains: " + onMatch.getMessage());
        assertThrows(ImageDecodeException.class, () -> engine.match(new byte[0]), "empty still must throw");
        assertThrows(ImageDecodeException.class, () -> engine.match(truncatedHeader), "truncated still must throw");
        assertThrows(ImageDecodeException.class, () -> engine.addReference("x", "x", garbage),
                "garbage reference must throw");
        assertEquals(3, engine.size(), "a failed add leaves the gallery unchanged");
    }

    @Test
    void removedReferenceIsNoLongerFound() {
        // Given the bus in a still
        Fixtures.Still still = Fixtures.composite("bus.jpg", "building.jpg", 0.8, 0, 300, 100, false);
        assertTrue(engine.match(still.jpeg()).matched(), "precondition: bus found while in the gallery");

        // When the bus reference is removed
        assertTrue(engine.removeReference("bus-1"), "removing a held reference returns true");

        // Then it is not found any more and the gallery shrank
        assertFalse(engine.match(still.jpeg()).candidates().stream().anyMatch(c -> c.label().equals("bus")),
                "a removed reference must not be returned");
        assertEquals(2, engine.size(), "size after removal");
        assertFalse(engine.removeReference("bus-1"), "removing an unknown id returns false");
    }

    @Test
    void addingAnExistingIdReplacesIt() {
        // When the id bus-1 is added again with another image and label
        engine.addReference("bus-1", "car-again", Fixtures.bytes("car_rear_motion.jpg"));

        // Then the gallery size is unchanged and the old bus is gone
        assertEquals(3, engine.size(), "replacing keeps the count");
        Fixtures.Still still = Fixtures.composite("bus.jpg", "building.jpg", 0.8, 0, 300, 100, false);
        assertFalse(engine.match(still.jpeg()).candidates().stream().anyMatch(c -> c.label().equals("bus")),
                "the replaced view must not match any more");
    }

    @Test
    void matchesRunConcurrentlyWithGalleryChanges() throws Exception {
        // Given a still of the bus and threads matching it while the gallery changes
        Fixtures.Still still = Fixtures.composite("bus.jpg", "building.jpg", 0.7, 5, 350, 120, false);
        byte[] distractor = Fixtures.bytes("home.jpg");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<MatchResult>> matches = new ArrayList<>();
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                matches.add(pool.submit(() -> engine.match(still.jpeg())));
                int n = i;
                writes.add(pool.submit(() -> {
                    engine.addReference("distractor-" + n, "distractor", distractor);
                    assertTrue(engine.removeReference("distractor-" + n), "own distractor removable");
                }));
            }
            for (Future<?> w : writes) {
                w.get(30, TimeUnit.SECONDS);
            }
            // Then every concurrent match finds the bus
            for (Future<MatchResult> m : matches) {
                MatchResult r = m.get(30, TimeUnit.SECONDS);
                assertTrue(r.matched() && r.best().label().equals("bus"), "concurrent match must find the bus: " + r);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(3, engine.size(), "every distractor added was removed again");
    }

    @Test
    void exhaustiveMatcherFindsThePastedVehicleToo() {
        try (MatchEngine exhaustive = new MatchEngine(EngineConfig.exhaustive())) {
            exhaustive.addReference("bus-1", "bus", Fixtures.bytes("bus.jpg"));
            exhaustive.addReference("car-1", "car", Fixtures.bytes("car_rear_motion.jpg"));
            Fixtures.Still still = Fixtures.composite("bus.jpg", "building.jpg", 0.8, 8, 420, 150, false);

            MatchResult result = exhaustive.match(still.jpeg());

            assertTrue(result.matched(), "the textbook matcher finds an easy composite");
            assertEquals("bus", result.best().label(), "best candidate label");
        }
    }

    @Test
    void closedEngineRefusesWork() {
        engine.close();
        assertThrows(IllegalStateException.class, () -> engine.match(Fixtures.bytes("home.jpg")),
                "match after close must fail loudly");
    }

    @Test
    void galleryOfASingleReferenceStillFindsIt() {
        // Given a gallery holding one reference only (a fresh install with its first upload)
        try (MatchEngine single = new MatchEngine(EngineConfig.defaults())) {
            single.addReference("box-only", "box", Fixtures.bytes("box.png"));

            // When a real cluttered second view of it is matched
            MatchResult result = single.match(Fixtures.bytes("box_in_scene.png"));

            // Then it is found, as it is in a bigger gallery
            assertTrue(result.matched(), "a one-view gallery must still propose its view");
            assertEquals("box", result.best().label());
        }
    }

    @Test
    void identifiesVehicleWhoseReferenceIsATinyThumbnail() {
        // Given a reference only 120 × 91 px (a clip-art stamp, a cropped catalogue thumbnail)
        try (MatchEngine tiny = galleryWithBus("bus-thumb", Fixtures.resized("bus.jpg", 120))) {

            // When the still shows the bus more than three times that size
            Fixtures.Still still = Fixtures.composite("bus.jpg", "building.jpg", 0.8, 5, 300, 200, false);
            MatchResult result = tiny.match(still.jpeg());

            // Then the thumbnail is enough to identify it
            assertTrue(result.matched(), "a thumbnail reference must still be found");
            assertEquals("bus", result.best().label());
        }
    }

    @Test
    void identifiesASmallReferenceFromADetailTheStillShowsEnlarged() {
        // Given a small snapshot of the bus, 400 px wide, like a handheld photo of a parked car
        try (MatchEngine small = galleryWithBus("bus-snapshot", Fixtures.resized("bus.jpg", 400))) {

            // When the still shows only the bus's front (destination sign, windscreen, plate), four times the
            // snapshot's size (3× the original photo's), like a second view framed close
            byte[] front = Fixtures.crop("bus.jpg", 300, 150, 200, 250);
            Fixtures.Still still = Fixtures.composite(front, "building.jpg", 3.0, 3, 300, 40, false);
            MatchResult result = small.match(still.jpeg());

            // Then the snapshot's enlarged detail view identifies it (measured: 58 inliers, confidence 0.88; without
            // the detail view 31 inliers and 0.61, under the threshold), from matches on the front
            assertTrue(result.matched(), "the bus must be found from its front alone");
            assertEquals("bus", result.best().label());
            double minX = Double.MAX_VALUE;
            double maxX = -1;
            double minY = Double.MAX_VALUE;
            double maxY = -1;
            for (Point corner : still.expectedOutline()) {
                minX = Math.min(minX, corner.x());
                maxX = Math.max(maxX, corner.x());
                minY = Math.min(minY, corner.y());
                maxY = Math.max(maxY, corner.y());
            }
            for (PointPair pair : result.best().inlierPairs()) {
                Point p = pair.still();
                assertTrue(p.x() > minX - 8 && p.x() < maxX + 8 && p.y() > minY - 8 && p.y() < maxY + 8,
                        "inlier " + p + " lies on the pasted front");
            }
        }
    }

    @Test
    void shortlistGrowsWithTheLogarithmOfTheGallery() {
        int base = engine.config().shortlistSize();
        assertEquals(base, engine.shortlistSize(3), "small gallery");
        assertEquals(base, engine.shortlistSize(1000), "up to 1,000 views");
        assertEquals(2 * base, engine.shortlistSize(10_000), "one more base shortlist at 10,000 views");
        assertEquals(3 * base, engine.shortlistSize(100_000), "and again at 100,000");
    }

    @Test
    void aVerifiedReferenceBelowTheThresholdIsANearMissNeverACandidate() {
        // Given an engine whose acceptance threshold nothing can reach
        try (MatchEngine strict = new MatchEngine(EngineConfig.defaults().withAcceptConfidence(1.0))) {
            strict.addReference("bus-1", "bus", Fixtures.bytes("bus.jpg"));
            strict.addReference("car-1", "car", Fixtures.bytes("car_rear_motion.jpg"));

            // When a still with the bus pasted in is matched
            Fixtures.Still still = Fixtures.composite("bus.jpg", "building.jpg", 0.8, 8, 420, 150, false);
            MatchResult result = strict.match(still.jpeg());

            // Then there is no match, but the bus is reported as a near miss with its evidence
            assertFalse(result.matched(), "nothing reaches a threshold of 1.0");
            assertEquals(1, result.nearMisses().size(), "near misses: " + result.nearMisses());
            Detection hint = result.nearMisses().get(0);
            assertEquals("bus", hint.label());
            assertTrue(hint.confidence() >= MatchEngine.NEAR_MISS_CONFIDENCE && hint.confidence() < 1.0);
            assertTrue(Fixtures.maxCornerError(hint.outline(), still.expectedOutline()) < 15, "outline on the bus");
        }
    }

    @Test
    void anAcceptedLabelIsNotRepeatedAsANearMiss() {
        Fixtures.Still still = Fixtures.composite("bus.jpg", "building.jpg", 0.8, 8, 420, 150, false);
        MatchResult result = engine.match(still.jpeg());
        assertTrue(result.matched());
        assertTrue(result.nearMisses().stream().noneMatch(c -> c.label().equals("bus")),
                "the accepted label is not also a hint: " + result.nearMisses());
    }
}
