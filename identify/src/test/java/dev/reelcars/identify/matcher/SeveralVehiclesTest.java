package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A still showing more than one known vehicle gets a candidate, with its own outline, for each (issue 19, point 3). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SeveralVehiclesTest {
    private MatchEngine engine;

    @BeforeEach
    void galleryOfBusCarAndBox() {
        engine = new MatchEngine(EngineConfig.defaults());
        engine.addReference("bus-1", "bus", Fixtures.bytes("bus.jpg"));
        engine.addReference("car-1", "car", Fixtures.bytes("car_rear_motion.jpg"));
        engine.addReference("box-1", "box", Fixtures.bytes("box.png"));
        engine.addReference("minivan-1", "minivan", Fixtures.bytes("reid_minivan_a.jpg"));
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    void aStillShowingTwoGalleryVehiclesGetsACandidateForEachWithItsOwnOutline() {
        // Given a still with the bus on the left and the minivan, twice its photo's size, on the right of a building
        Fixtures.Frame frame = Fixtures.composite("building.jpg", false,
                new Fixtures.Paste(Fixtures.bytes("bus.jpg"), 0.75, 4, 40, 220),
                new Fixtures.Paste(Fixtures.bytes("reid_minivan_a.jpg"), 2.0, -3, 760, 230));

        // When it is matched
        MatchEngine.Outcome outcome = engine.evaluate(frame.jpeg());
        MatchResult result = engine.match(frame.jpeg());

        // Then both are candidates, each outlined where it was pasted, each with its kind of answer
        Map<String, Detection> byLabel = new TreeMap<>();
        result.candidates().forEach(c -> byLabel.put(c.label(), c));
        assertEquals(List.of("bus", "minivan"), List.copyOf(byLabel.keySet()),
                "one candidate per vehicle: " + describe(result));
        assertTrue(Fixtures.maxCornerError(byLabel.get("bus").outline(), frame.outlines().get(0)) < 25,
                "the bus's outline is on the bus: " + byLabel.get("bus").outline());
        assertTrue(Fixtures.maxCornerError(byLabel.get("minivan").outline(), frame.outlines().get(1)) < 25,
                "the minivan's outline is on the minivan: " + byLabel.get("minivan").outline());
        // Scored beside the bus in one pass, the minivan would have lost to it as its rival: the second search found
        // it.
        double firstPass = outcome.scored().stream().filter(s -> s.verification().view().label().equals("minivan"))
                .mapToDouble(MatchEngine.Scored::confidence).max().orElse(0);
        assertTrue(firstPass < engine.config().acceptConfidence(),
                "beside the bus the minivan scored " + firstPass + " in the first pass");
        for (Detection c : result.candidates()) {
            assertTrue(c.confidence() >= engine.config().acceptConfidence(), c.label()
                    + " passed the calibrated threshold");
            assertNotNull(c.answer(), c.label() + " says which kind of answer it is");
        }
    }

    @Test
    void aStillShowingOneGalleryVehicleStillGetsOneCandidate() {
        // Given the bus alone in the same scene
        Fixtures.Frame frame = Fixtures.composite("building.jpg", false,
                new Fixtures.Paste(Fixtures.bytes("bus.jpg"), 0.75, 4, 40, 220));

        // When it is matched, then the bus is the only candidate: searching the rest of the still finds nothing
        MatchResult result = engine.match(frame.jpeg());
        assertEquals(1, result.candidates().size(), "one vehicle, one candidate: " + describe(result));
        assertEquals("bus", result.best().label());
    }

    @Test
    void aGreyGrainyStillWithTwoVehiclesGetsBoth() {
        // Given both vehicles in another scene, grey, low-contrast and grainy like an old film, the minivan on the left
        Fixtures.Frame frame = Fixtures.composite("home.jpg", true,
                new Fixtures.Paste(Fixtures.bytes("reid_minivan_a.jpg"), 2.2, 5, 60, 300),
                new Fixtures.Paste(Fixtures.bytes("bus.jpg"), 0.7, -6, 700, 260));

        MatchResult result = engine.match(frame.jpeg());

        assertEquals(List.of("bus", "minivan"), result.candidates().stream().map(Detection::label).sorted().toList(),
                describe(result));
    }

    private static String describe(MatchResult result) {
        StringBuilder s = new StringBuilder("candidates");
        result.candidates().forEach(c -> s.append(String.format(" %s %.3f (%d inliers)", c.label(), c.confidence(),
                c.inliers())));
        s.append("; near misses");
        result.nearMisses().forEach(c -> s.append(String.format(" %s %.3f (%d inliers)", c.label(), c.confidence(),
                c.inliers())));
        return s.toString();
    }
}
