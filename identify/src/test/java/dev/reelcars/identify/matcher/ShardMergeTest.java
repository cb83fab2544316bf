package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gallery split across engines (issue 19, point 5): the shards' outcomes merged score every verified reference as
 * one engine holding the whole gallery does, the rival term taken across the shards.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShardMergeTest {

    @Test
    void mergedShardsScoreTheVerifiedReferencesAsOneEngineHoldingTheWholeGallery() {
        // Given the four references in one engine, and split by label over two shards
        EngineConfig config = EngineConfig.defaults();
        try (MatchEngine whole = new MatchEngine(config); MatchEngine busAndBox = new MatchEngine(config);
                MatchEngine carAndMinivan = new MatchEngine(config)) {
            addBusAndBox(whole, busAndBox);
            for (MatchEngine e : List.of(whole, carAndMinivan)) {
                e.addReference("car-1", "car", Fixtures.bytes("car_rear_motion.jpg"));
                e.addReference("minivan-1", "minivan", Fixtures.bytes("reid_minivan_a.jpg"));
            }
            // And a still showing the bus and the minivan, each held by another shard
            Fixtures.Frame frame = Fixtures.composite("building.jpg", false,
                    new Fixtures.Paste(Fixtures.bytes("bus.jpg"), 0.75, 4, 40, 220),
                    new Fixtures.Paste(Fixtures.bytes("reid_minivan_a.jpg"), 2.0, -3, 760, 230));

            // When each shard matches it and the outcomes are merged
            MatchEngine.Outcome one = whole.evaluate(frame.jpeg());
            MatchEngine.Outcome minivanShard = carAndMinivan.evaluate(frame.jpeg());
            MatchEngine.Outcome merged = busAndBox.merge(List.of(busAndBox.evaluate(frame.jpeg()), minivanShard));

            // Then every verified reference has the confidence the whole gallery's first search gave it
            assertEquals(confidences(one), confidences(merged), "verified references and their confidences");
            assertEquals("bus", merged.accepted().get(0).label(), "the best candidate");
            assertEquals(one.accepted().get(0).confidence(), merged.accepted().get(0).confidence(), 1e-12);
            // And the minivan's shard alone, with no bus to rival it, scored it higher than the merge does
            double alone = confidences(minivanShard).get("minivan-1");
            double together = confidences(merged).get("minivan-1");
            assertTrue(alone > together, "the rival term spans the shards: alone " + alone + ", merged " + together);
            assertTrue(merged.accepted().stream().noneMatch(c -> c.label().equals("minivan")),
                    "beside the bus the minivan is under the threshold in the first search, as in one engine: "
                            + together);
            // And the lead's rival spans the shards too: the minivan shard's first search counted its references'
            // textbook inliers (the verified minivan's and the first shortlisted views'), and the bus, which the
            // other shard verified, takes the largest as its rival
            Map<String, Integer> minivanShardCounts = minivanShard.textbookCounts();
            assertTrue(minivanShardCounts.containsKey("minivan"), "the shard counted its verified minivan: "
                    + minivanShardCounts);
            int largest = minivanShardCounts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
            Verification bus = merged.scored().stream().map(MatchEngine.Scored::verification)
                    .filter(v -> v.view().label().equals("bus")).findFirst().orElseThrow();
            assertTrue(bus.textbookRival() >= largest, "the bus's lead rival " + bus.textbookRival()
                    + " against the minivan shard's counts " + minivanShardCounts);
        }
    }

    @Test
    void aCarKnownOnlyByItsPlateInAnotherShardIsASecondCandidateBesideTheVehicleTheFeaturesFound() {
        // Given the bus and the box in one shard, two cars known by their plates (one character apart) in another
        EngineConfig config = EngineConfig.defaults();
        try (MatchEngine whole = new MatchEngine(config); MatchEngine busAndBox = new MatchEngine(config);
                MatchEngine plated = new MatchEngine(config)) {
            addBusAndBox(whole, busAndBox);
            Plates.addCarsKnownByPlate(whole);
            Plates.addCarsKnownByPlate(plated);
            // And a still of the bus beside a car showing only its plate, RK 878AC
            byte[] still = Plates.besideTheBus("RK 878AC", new double[] {600, 400, 780, 385, 784, 428, 603, 444});

            // When each shard matches it and the outcomes are merged
            MatchEngine.Outcome merged = busAndBox.merge(List.of(busAndBox.evaluate(still), plated.evaluate(still)));

            // Then the merge answers as one engine holding both shares: the bus by its features, the car by its plate
            List<String> one = whole.evaluate(still).accepted().stream().map(c -> c.label() + (c.byPlate() ? " (plate)"
                    : "")).toList();
            assertEquals(List.of("bus", "RK878AC (plate)"), one, "one engine");
            assertEquals(one, merged.accepted().stream().map(c -> c.label() + (c.byPlate() ? " (plate)" : ""))
                    .toList(), "merged");
        }
    }

    private static void addBusAndBox(MatchEngine... engines) {
        for (MatchEngine e : engines) {
            e.addReference("bus-1", "bus", Fixtures.bytes("bus.jpg"));
            e.addReference("box-1", "box", Fixtures.bytes("box.png"));
        }
    }

    private static Map<String, Double> confidences(MatchEngine.Outcome outcome) {
        Map<String, Double> byReference = new TreeMap<>();
        outcome.scored().forEach(s -> byReference.put(s.verification().view().referenceId(), s.confidence()));
        return byReference;
    }
}
