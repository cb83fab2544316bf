package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The confidence model's {@code lead} term (issue 19, sixteenth round): guided matching finds a look-alike's design
 * where the right car's would be, so it lifts a same-model look-alike more than the same vehicle; the first fit, over
 * ratio-test matches only, keeps them apart. Since the twentieth round the lead reads textbook counts by default
 * (ratio test against every reference feature) with the shortlist's first views as rivals too. Fixtures: real
 * cross-camera views (reid-dev).
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
        for (int rivals : new int[] {EngineConfig.defaults().textbookRivals(), 0}) {
            try (MatchEngine engine = new MatchEngine(EngineConfig.defaults().withTextbookRivals(rivals))) {
                engine.addReference("suv-1", "black SUV", LabelKind.VEHICLE, Fixtures.bytes("reid_suv_cam1.jpg"));
                engine.addReference("xpander-1", "red Xpander", LabelKind.VEHICLE,
                        Fixtures.bytes("reid_xpander_red_cam1.jpg"));

                MatchEngine.Outcome outcome = engine.evaluate(Fixtures.bytes("reid_xpander_red_cam2.jpg"));

                assertTrue(outcome.scored().size() >= 2, "both references verified: " + outcome.scored().size());
                for (MatchEngine.Scored s : outcome.scored()) {
                    Verification v = s.verification();
                    // textbook counts when the config asks for them (and the shortlist's rivals), else the first fit's
                    int own = rivals > 0 ? v.textbookInliers() : v.firstInliers();
                    int rival = outcome.scored().stream()
                            .filter(o -> !o.verification().view().label().equals(v.view().label()))
                            .mapToInt(o -> rivals > 0 ? o.verification().textbookInliers()
                                    : o.verification().firstInliers()).max().orElse(0);
                    if (rivals > 0) {
                        assertTrue(own >= 0, "a verified reference has a textbook count");
                        rival = Math.max(rival, v.textbookRival());
                    } else {
                        assertEquals(-1, v.textbookInliers(), "no textbook count taken with textbookRivals 0");
                    }
                    assertEquals(ConfidenceModel.Evidence.lead(own, rival), s.evidence().lead(), 1e-12,
                            v.view().label() + ", textbookRivals " + rivals);
                }
            }
        }
    }

    @Test
    void aLoneVerifiedLookAlikeLeadsByItsMarginOverTheShortlistNotByItsWholeCount() {
        // Given a gallery of four, and a different minivan of the gallery minivan's model
        double textbookLead = lookAlikeLead(EngineConfig.defaults());
        double firstFitLead = lookAlikeLead(EngineConfig.defaults().withTextbookRivals(0));

        // Then with textbook rivals the unverified shortlisted views count against it: its lead is a margin, well
        // under the first fit's, which with no other label verified is the log of its whole count
        assertTrue(textbookLead < firstFitLead - 1, "look-alike's lead: textbook " + textbookLead + ", first fit "
                + firstFitLead);
        // while the same vehicle seen by another camera still leads by more than the look-alike
        try (MatchEngine engine = galleryOfFour(EngineConfig.defaults())) {
            MatchEngine.Scored same = engine.evaluate(Fixtures.bytes("reid_suv_cam2.jpg")).scored().get(0);
            assertEquals("black SUV", same.verification().view().label(), "the SUV is the best-scored reference");
            assertTrue(same.evidence().lead() > textbookLead, "same vehicle's lead " + same.evidence().lead()
                    + " against the look-alike's " + textbookLead);
        }
    }

    private static double lookAlikeLead(EngineConfig config) {
        try (MatchEngine engine = galleryOfFour(config)) {
            MatchEngine.Outcome outcome = engine.evaluate(Fixtures.bytes("reid_minivan_b.jpg"));
            assertEquals(1, outcome.scored().size(), "only the gallery minivan is verified: " + outcome.scored());
            MatchEngine.Scored s = outcome.scored().get(0);
            assertEquals("black minivan", s.verification().view().label());
            if (config.textbookRivals() > 0) {
                assertTrue(s.verification().textbookRival() > 0, "the shortlist's unverified views were counted");
            }
            return s.evidence().lead();
        }
    }

    private static MatchEngine galleryOfFour(EngineConfig config) {
        MatchEngine engine = new MatchEngine(config);
        engine.addReference("suv-1", "black SUV", LabelKind.VEHICLE, Fixtures.bytes("reid_suv_cam1.jpg"));
        engine.addReference("minivan-1", "black minivan", LabelKind.VEHICLE, Fixtures.bytes("reid_minivan_a.jpg"));
        engine.addReference("xpander-1", "red Xpander", LabelKind.VEHICLE, Fixtures.bytes("reid_xpander_red_cam1.jpg"));
        engine.addReference("bus-1", "bus", Fixtures.bytes("bus.jpg"));
        return engine;
    }

    private static Verification best(MatchEngine engine, String still, String label) {
        return engine.evaluate(Fixtures.bytes(still)).scored().stream()
                .filter(s -> s.verification().view().label().equals(label))
                .findFirst().orElseThrow(() -> new AssertionError(label + " not verified for " + still))
                .verification();
    }
}
