package dev.reelcars.notify;

import static dev.reelcars.events.ReviewDecision.Verdict.CONFIRM;
import static dev.reelcars.events.ReviewDecision.Verdict.REJECT;
import static dev.reelcars.events.ReviewDecision.Verdict.REOPEN;
import static dev.reelcars.events.ReviewDecision.Verdict.RETRACT;
import static dev.reelcars.notify.Fixtures.decision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.Consensus;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsensusTest {

    @Test
    void oneConfirmationIsNotEnoughWhenTwoAreRequired() {
        var o = Consensus.evaluate(List.of(decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1)), 2);
        assertEquals(Consensus.State.OPEN, o.state());
    }

    @Test
    void twoAgreeingReviewersConfirm() {
        var o = Consensus.evaluate(List.of(
                decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1),
                decision("s1", CONFIRM, "ford  mustang", "r1", "bob", 2)), 2);
        assertEquals(Consensus.State.CONFIRMED, o.state());
        assertEquals("Ford Mustang", o.label());
        assertEquals("r1", o.referenceId());
    }

    @Test
    void theSameReviewerTwiceCountsOnce() {
        var o = Consensus.evaluate(List.of(
                decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1),
                decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 2)), 2);
        assertEquals(Consensus.State.OPEN, o.state(), "a repeated vote is one vote");
    }

    @Test
    void disagreementIsDisputedUntilMoreThanTwoThirdsAgree() {
        var votes = new java.util.ArrayList<>(List.of(
                decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1),
                decision("s1", REJECT, "Ford Mustang", "r1", "bob", 2)));
        assertEquals(Consensus.State.DISPUTED, Consensus.evaluate(votes, 2).state());
        votes.add(decision("s1", CONFIRM, "Ford Mustang", "r1", "carol", 3));
        assertEquals(Consensus.State.DISPUTED, Consensus.evaluate(votes, 2).state(), "2 of 3 is not more than 2/3");
        votes.add(decision("s1", CONFIRM, "Ford Mustang", "r1", "dave", 4));
        assertEquals(Consensus.State.CONFIRMED, Consensus.evaluate(votes, 2).state(), "3 of 4 is");
    }

    @Test
    void aRejectionByConsensusIsRememberedAndOpensANewRound() {
        var o = Consensus.evaluate(List.of(
                decision("s1", REJECT, "Ford Mustang", "r1", "alice", 1),
                decision("s1", REJECT, "Ford Mustang", "r1", "bob", 2)), 2);
        assertEquals(Consensus.State.OPEN, o.state());
        assertTrue(o.rejectedTargets().contains("r1"));
        assertTrue(o.votes().isEmpty(), "a new round starts after a rejection");
    }

    @Test
    void decisionsCountInTimeOrderWhateverOrderTheyArriveIn() {
        var late = decision("s1", REJECT, "Ford Mustang", "r1", "alice", 5);
        var early = decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1);
        var bob = decision("s1", REJECT, "Ford Mustang", "r1", "bob", 6);
        assertEquals(Consensus.evaluate(List.of(early, late, bob), 2), Consensus.evaluate(List.of(bob, late, early), 2));
        assertTrue(Consensus.evaluate(List.of(bob, late, early), 2).rejectedTargets().contains("r1"));
    }

    @Test
    void aRetractionTakesTheReviewersVoteOutOfTheRound() {
        // Given alice confirmed, then took it back
        var o = Consensus.evaluate(List.of(
                decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1),
                decision("s1", RETRACT, "Ford Mustang", "r1", "alice", 2)), 2);
        // Then she has no vote, and bob alone does not confirm
        assertTrue(o.votes().isEmpty(), "no vote left: " + o.votes());
        var withBob = Consensus.evaluate(List.of(
                decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1),
                decision("s1", RETRACT, "Ford Mustang", "r1", "alice", 2),
                decision("s1", CONFIRM, "Ford Mustang", "r1", "bob", 3)), 2);
        assertEquals(Consensus.State.OPEN, withBob.state(), "one vote is not two");
    }

    @Test
    void aRetractedDissentLetsTheOthersAgree() {
        // Given two confirmations and alice's rejection (2 of 3 is not more than 2/3: disputed)
        List<dev.reelcars.events.ReviewDecision> votes = new java.util.ArrayList<>(List.of(
                decision("s1", REJECT, "Ford Mustang", "r1", "alice", 1),
                decision("s1", CONFIRM, "Ford Mustang", "r1", "bob", 2),
                decision("s1", CONFIRM, "Ford Mustang", "r1", "carol", 3)));
        assertEquals(Consensus.State.DISPUTED, Consensus.evaluate(votes, 2).state());
        // When alice takes her rejection back
        votes.add(decision("s1", RETRACT, "Ford Mustang", "r1", "alice", 4));
        // Then bob and carol agree
        var o = Consensus.evaluate(votes, 2);
        assertEquals(Consensus.State.CONFIRMED, o.state());
        assertEquals("Ford Mustang", o.label());
    }

    @Test
    void aRetractionDoesNotReopenARoundClosedByRejection() {
        // Given alice and bob rejected the match by consensus
        var o = Consensus.evaluate(List.of(
                decision("s1", REJECT, "Ford Mustang", "r1", "alice", 1),
                decision("s1", REJECT, "Ford Mustang", "r1", "bob", 2),
                decision("s1", RETRACT, "Ford Mustang", "r1", "bob", 3)), 2);
        // Then the rejection stands: the reference stays rejected
        assertTrue(o.rejectedTargets().contains("r1"), "still rejected: " + o.rejectedTargets());
        assertTrue(o.votes().isEmpty());
    }

    @Test
    void aConfirmationStandsAgainstLaterVotesUntilReopenedAndThenANewRoundDecides() {
        List<dev.reelcars.events.ReviewDecision> votes = new java.util.ArrayList<>(List.of(
                decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1),
                decision("s1", CONFIRM, "Ford Mustang", "r1", "bob", 2),
                decision("s1", REJECT, "Ford Mustang", "r1", "carol", 3),
                decision("s1", REJECT, "Ford Mustang", "r1", "dave", 4)));
        // Given a confirmation, later rejections do not undo it
        assertEquals(Consensus.State.CONFIRMED, Consensus.evaluate(votes, 2).state());
        // When carol reopens it
        votes.add(decision("s1", REOPEN, "Ford Mustang", "r1", "carol", 5));
        var reopened = Consensus.evaluate(votes, 2);
        // Then nothing is confirmed and a fresh round starts with no votes
        assertEquals(Consensus.State.OPEN, reopened.state());
        assertTrue(reopened.votes().isEmpty(), "a fresh round: " + reopened.votes());
        assertTrue(reopened.rejectedTargets().isEmpty());
        // And two rejections in the new round reject the reference
        votes.add(decision("s1", REJECT, "Ford Mustang", "r1", "alice", 6));
        votes.add(decision("s1", REJECT, "Ford Mustang", "r1", "carol", 7));
        var rejected = Consensus.evaluate(votes, 2);
        assertEquals(Consensus.State.OPEN, rejected.state());
        assertTrue(rejected.rejectedTargets().contains("r1"));
    }

    @Test
    void reopeningARejectionProposesItsReferencesAgainButNotEarlierRejections() {
        List<dev.reelcars.events.ReviewDecision> votes = new java.util.ArrayList<>(List.of(
                decision("s1", REJECT, "Ford Mustang", "r1", "alice", 1),
                decision("s1", REJECT, "Ford Mustang", "r1", "bob", 2),
                decision("s1", REJECT, "no vehicle", null, "alice", 3),
                decision("s1", REJECT, "no vehicle", null, "bob", 4)));
        assertEquals(java.util.Set.of("r1", "label:no vehicle"), Consensus.evaluate(votes, 2).rejectedTargets());
        // When the "no vehicle" clearing is reopened, only it is set aside
        votes.add(decision("s1", REOPEN, null, null, "carol", 5));
        assertEquals(java.util.Set.of("r1"), Consensus.evaluate(votes, 2).rejectedTargets());
        // A second reopening has no outcome left to set aside: r1's rejection stays
        votes.add(decision("s1", REOPEN, null, null, "carol", 6));
        assertEquals(java.util.Set.of("r1"), Consensus.evaluate(votes, 2).rejectedTargets());
    }
}
