package dev.reelcars.identify.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReidLossesTest {
    @Test
    void aReferenceNotBestScoredIsCountedAtTheFirstStepThatLostIt() {
        List<ReidLosses.Steps> steps = List.of(
                new ReidLosses.Steps(0, true, true, true, true), // found: not a loss
                new ReidLosses.Steps(14, true, false, false, true), // verified (an enlarged region's search): the score
                new ReidLosses.Steps(3, false, false, false, true), // shortlisted, not verified
                new ReidLosses.Steps(10, false, false, false, false), // just past a shortlist of 10
                new ReidLosses.Steps(-1, false, false, false, false)); // no vote at all

        assertEquals("not best-scored: 4; of them verified but outscored 1 (textbook-first 1), shortlisted but not"
                + " verified 1 (1), not verified nor shortlisted 2 (0)", ReidLosses.losses(steps, 10));
        assertEquals("5 queries of gallery vehicles; right reference ranked first by the index 1, in its first 10 (the"
                + " shortlist) 2, in its first 20 4; verified 2; best-scored 1; the answer 1; first by textbook count"
                + " over the whole gallery 3", ReidLosses.summary(steps, 10));
    }
}
