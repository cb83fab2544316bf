package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The confidence model's {@code lead} term (issue 19, sixteenth round): guided matching finds a look-alike's design
 * where the right car's would be, so it lifts a same-model look-alike more than the same vehicle; the first fit, over
 * ratio-test matches only, keeps them apart. Fixtures: real cross-camera views (reid-dev).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeadTermTest {

    @Test
    void theLeadIsTheLogRatioOverTheBestOtherLabelAndNeverNegative() {
        assertEquals(Math.log(4), ConfidenceModel.Evidence.lead(40, 10), 1e-12, "40 first-fit inliers against 10");
        assertEquals(Math.log(40), ConfidenceModel.Evidence.lead(40, 0), 1e-12, "no other label verified");
        assertEquals(0, ConfidenceModel.Evidence.lead(10, 40), "a reference another label outscores leads nothing");
        assertEquals(0, ConfidenceModel.Evidence.lead(25, 25), "a tie leads nothing");
    }

    @Test
    void guidedMatchingLiftsALookAlikeMoreThanTheSameVehicle() {
        try (MatchEngine engine = new MatchEngine(EngineConfig.defaults())) {
            engine.addReference("suv-1", "black SUV", LabelKind.VEHICLE, Fixtures.bytes("reid_suv_cam1.jpg"));
            engine.addReference("minivan-1", "black minivan", LabelKind.VEHICLE, Fixtures.bytes("reid_minivan_a.jpg"));
            engine.addReference("bus-1", "bus", Fixtures.bytes("bus.jpg"));

            // When the SUV is seen by the second camera, and another minivan of the gallery minivan's model is seen
            Verification same = best(engine, "reid_suv_cam2.jpg", "black SUV");
            Verification lookAlike = best(engine, "reid_minivan_b.jpg", "black minivan");

            // Then guided matching multiplies the look-alike's inliers by more than the same vehicle's
            double sameGain = same.inliers() / (double) same.firstInliers();
            double lookAlikeGain = lookAlike.inliers() / (double) lookAlike.firstInliers();
            assertTrue(lookAlikeGain > 1.5 * sameGain, "guided gain: look-alike " + lookAlike.inliers() + "/"
                    + lookAlike.firstInliers() + ", same vehicle " + same.inliers() + "/" + same.firstInliers());
            // and the first fit separates them by more than the guided counts do
            double firstRatio = same.firstInliers() / (double) lookAlike.firstInliers();
            double guidedRatio = same.inliers() / (double) lookAlike.inliers();
            assertTrue(firstRatio > 1.5 * guidedRatio, "same / look-alike: first fit " + firstRatio + ", guided "
                    + guidedRatio);
        }
    }

    @Test
    void theLeadIsWhatTheModelReadsForEachScoredReference() {
        try (MatchEngine engine = new MatchEngine(EngineConfig.defaults())) {
            engine.addReference("suv-1", "black SUV", LabelKind.VEHICLE, Fixtures.bytes("reid_suv_cam1.jpg"));
            engine.addReference("xpander-1", "red Xpander", LabelKind.VEHICLE,
                    Fixtures.bytes("reid_xpander_red_cam1.jpg"));

            MatchEngine.Outcome outcome = engine.evaluate(Fixtures.bytes("reid_xpander_red_cam2.jpg"));

            assertTrue(outcome.scored().size() >= 2, "both references verified: " + outcome.scored().size());
            for (MatchEngine.Scored s : outcome.scored()) {
                int rivalFirst = outcome.scored().stream()
                        .filter(o -> !o.verification().view().label().equals(s.verification().view().label()))
                        .mapToInt(o -> o.verification().firstInliers()).max().orElse(0);
                assertEquals(ConfidenceModel.Evidence.lead(s.verification().firstInliers(), rivalFirst),
                        s.evidence().lead(), 1e-12, s.verification().view().label());
            }
        }
    }

    private static Verification best(MatchEngine engine, String still, String label) {
        return engine.evaluate(Fixtures.bytes(still)).scored().stream()
                .filter(s -> s.verification().view().label().equals(label))
                .findFirst().orElseThrow(() -> new AssertionError(label + " not verified for " + still))
                .verification();
    }
}
