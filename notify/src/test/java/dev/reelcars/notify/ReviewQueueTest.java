package dev.reelcars.notify;

import static dev.reelcars.events.ReviewDecision.Verdict.CONFIRM;
import static dev.reelcars.events.ReviewDecision.Verdict.REJECT;
import static dev.reelcars.events.ReviewDecision.Verdict.REOPEN;
import static dev.reelcars.notify.Fixtures.T0;
import static dev.reelcars.notify.Fixtures.candidate;
import static dev.reelcars.notify.Fixtures.decision;
import static dev.reelcars.notify.Fixtures.identification;
import static dev.reelcars.notify.Fixtures.still;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.notify.ReviewQueue.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewQueueTest {
    private final ReviewQueue queue = new ReviewQueue(2);

    @Test
    void aRedeliveredIdentificationDoesNotCreateASecondTask() {
        // Given an identification applied once
        var id = identification(still("s1", "Bullitt"), T0, candidate("r1", "Ford Mustang", 0.9));
        assertTrue(queue.apply(id));
        // When the same event is delivered again
        boolean changed = queue.apply(id);
        // Then nothing changes and there is still one task
        assertFalse(changed);
        assertEquals(1, queue.tasks().size());
    }

    @Test
    void theLatestIdentificationOfAStillReplacesTheEarlierOne() {
        queue.apply(identification(still("s1", "Bullitt"), T0, candidate("r1", "Ford Mustang", 0.6)));
        queue.apply(identification(still("s1", "Bullitt"), T0.plusSeconds(5), candidate("r2", "Dodge Charger", 0.8)));
        // An older result arriving late does not win.
        queue.apply(identification(still("s1", "Bullitt"), T0.minusSeconds(5), candidate("r3", "VW Beetle", 0.9)));

        assertEquals(1, queue.tasks().size());
        assertEquals("Dodge Charger", queue.task("s1").orElseThrow().candidates().get(0).label());
    }

    @Test
    void theQueueShowsTheHighestConfidenceFirstAndCountsEveryStatus() {
        queue.apply(identification(still("low", "A"), T0, candidate("r1", "Ford", 0.3)));
        queue.apply(identification(still("high", "B"), T0, candidate("r2", "Fiat", 0.95)));
        queue.apply(identification(still("none", "C"), T0));

        var view = queue.queueFor("alice", null, null);

        assertEquals(List.of("high", "low"), view.items().stream().map(ReviewQueue.Task::stillId).toList());
        assertEquals(List.of("none"), view.unidentified().stream().map(ReviewQueue.Task::stillId).toList());
        assertEquals(2, view.counts().get("pending"));
        assertEquals(1, view.counts().get("unidentified"));
    }

    @Test
    void filtersByFilmAndVehicle() {
        queue.apply(identification(still("s1", "Bullitt"), T0, candidate("r1", "Ford Mustang", 0.9)));
        queue.apply(identification(still("s2", "The Italian Job"), T0, candidate("r2", "Mini Cooper", 0.9)));

        assertEquals(List.of("s2"), ids(queue.queueFor("alice", "italian", null).items()));
        assertEquals(List.of("s1"), ids(queue.queueFor("alice", null, "mustang").items()));
    }

    @Test
    void theCountsFollowTheFilters() {
        // Given two pending stills from different films and one unidentified
        queue.apply(identification(still("s1", "Bullitt"), T0, candidate("r1", "Ford Mustang", 0.9)));
        queue.apply(identification(still("s2", "The Italian Job"), T0, candidate("r2", "Mini Cooper", 0.9)));
        queue.apply(identification(still("s3", "The Italian Job"), T0));
        // When the page filters by film
        var view = queue.queueFor("alice", "italian", null);
        // Then the counts describe what the filter lets through
        assertEquals(1, view.counts().get("pending"));
        assertEquals(1, view.counts().get("unidentified"));
        assertEquals(2, queue.queueFor("alice", null, null).counts().get("pending"));
    }

    @Test
    void twoNoVehicleDecisionsClearAnUnidentifiedStillForEveryone() {
        // Given a still nobody could match
        queue.apply(identification(still("s1", "Empty street"), T0));
        // When alice says there is no vehicle, it leaves her list only
        queue.apply(decision("s1", REJECT, ReviewQueue.NO_VEHICLE, null, "alice", 1));
        assertTrue(queue.queueFor("alice", null, null).unidentified().isEmpty());
        assertEquals(List.of("s1"), ids(queue.queueFor("carol", null, null).unidentified()));
        // And when bob agrees, it is cleared: no one is asked to name it, it is counted as rejected, not re-matched
        queue.apply(decision("s1", REJECT, "No Vehicle", null, "bob", 2));
        var carol = queue.queueFor("carol", null, null);
        assertTrue(carol.unidentified().isEmpty(), "cleared for everyone");
        assertEquals(1, carol.counts().get("rejected"));
        assertEquals(0, carol.counts().get("unidentified"));
        assertTrue(queue.unidentifiedStills().isEmpty(), "a still without a vehicle is not re-matched");
    }

    @Test
    void aReopenedNoVehicleClearingListsTheStillForNamingAgainForEveryone() {
        // Given a still cleared as "no vehicle" by alice and bob
        queue.apply(identification(still("s1", "Empty street"), T0));
        queue.apply(decision("s1", REJECT, ReviewQueue.NO_VEHICLE, null, "alice", 1));
        queue.apply(decision("s1", REJECT, ReviewQueue.NO_VEHICLE, null, "bob", 2));
        assertEquals(ReviewQueue.Status.REJECTED, queue.task("s1").orElseThrow().status());
        // When carol reopens it
        queue.apply(decision("s1", REOPEN, null, null, "carol", 3));
        // Then it is unidentified again, offered for naming to alice and bob too, and re-matched as the gallery grows
        assertEquals(ReviewQueue.Status.UNIDENTIFIED, queue.task("s1").orElseThrow().status());
        assertEquals(List.of("s1"), ids(queue.queueFor("alice", null, null).unidentified()));
        assertEquals(List.of("s1"), ids(queue.queueFor("bob", null, null).unidentified()));
        assertEquals(1, queue.unidentifiedStills().size());
    }

    @Test
    void decidedStillsAreListedNewestFirstToReopen() {
        // Given two matches; alice votes on the first
        queue.apply(identification(still("s1", "Bullitt"), T0, candidate("r1", "Ford Mustang", 0.9)));
        queue.apply(identification(still("s2", "Bullitt"), T0, candidate("r2", "Dodge Charger", 0.8)));
        queue.apply(decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1));
        // Then it is among her recent decisions (she may decide again), not bob's
        assertEquals(List.of("s1"), ids(queue.queueFor("alice", null, null).recent()));
        assertTrue(queue.queueFor("bob", null, null).recent().isEmpty());
        // When bob and carol reject the second by consensus, everyone sees it, newest first
        queue.apply(decision("s2", REJECT, "Dodge Charger", "r2", "bob", 2));
        queue.apply(decision("s2", REJECT, "Dodge Charger", "r2", "carol", 3));
        assertEquals(List.of("s2", "s1"), ids(queue.queueFor("alice", null, null).recent()));
        assertEquals(List.of("s2"), ids(queue.queueFor("dave", null, null).recent()));
    }

    @Test
    void theQueueListsTheGallerysLabelsForNaming() {
        queue.applyReference("ref-1", Fixtures.reference("ref-1", "GAZ-24 Volga"));
        queue.applyReference("ref-2", Fixtures.reference("ref-2", "Ford Mustang"));
        queue.applyReference("ref-3", Fixtures.reference("ref-3", "gaz-24  volga"));
        assertEquals(List.of("Ford Mustang", "GAZ-24 Volga"), queue.queueFor("alice", null, null).labels());
    }

    @Test
    void twoReviewersConfirmAndTheItemLeavesTheQueueOfWhoeverVoted() {
        queue.apply(identification(still("s1", "Bullitt"), T0, candidate("r1", "Ford Mustang", 0.9)));
        queue.apply(decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1));

        assertTrue(queue.queueFor("alice", null, null).items().isEmpty(), "alice already voted");
        assertEquals(1, queue.queueFor("bob", null, null).items().size(), "bob has not");
        assertEquals(Status.PENDING, queue.task("s1").orElseThrow().status());

        queue.apply(decision("s1", CONFIRM, "Ford Mustang", "r1", "bob", 2));

        assertEquals(Status.CONFIRMED, queue.task("s1").orElseThrow().status());
        assertEquals(1, queue.confirmed().size());
        assertEquals("Ford Mustang", queue.confirmed().get(0).label());
    }

    @Test
    void aRedeliveredDecisionCountsOnce() {
        queue.apply(identification(still("s1", "Bullitt"), T0, candidate("r1", "Ford Mustang", 0.9)));
        var d = decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1);
        assertTrue(queue.apply(d));
        assertFalse(queue.apply(d));
    }

    @Test
    void disagreementIsVisibleAsDisputed() {
        queue.apply(identification(still("s1", "Bullitt"), T0, candidate("r1", "Ford Mustang", 0.9)));
        queue.apply(decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1));
        queue.apply(decision("s1", REJECT, "Ford Mustang", "r1", "bob", 2));

        var view = queue.queueFor("carol", null, null);
        assertEquals(Status.DISPUTED, view.items().get(0).status());
        assertEquals(1, view.counts().get("disputed"));
    }

    @Test
    void aRejectedPairIsNotProposedAgainByALaterIdentification() {
        // Given a still whose only candidate two reviewers rejected
        queue.apply(identification(still("s1", "Bullitt"), T0, candidate("r1", "Ford Mustang", 0.9)));
        queue.apply(decision("s1", REJECT, "Ford Mustang", "r1", "alice", 1));
        queue.apply(decision("s1", REJECT, "Ford Mustang", "r1", "bob", 2));
        assertEquals(Status.REJECTED, queue.task("s1").orElseThrow().status());
        assertEquals(List.of("s1"), ids(queue.queueFor("carol", null, null).unidentified()));

        // When identify proposes the same reference again, plus a new one
        queue.apply(identification(still("s1", "Bullitt"), T0.plusSeconds(600),
                candidate("r1", "Ford Mustang", 0.95), candidate("r9", "Dodge Charger", 0.5)));

        // Then only the new candidate is proposed
        var task = queue.task("s1").orElseThrow();
        assertEquals(Status.PENDING, task.status());
        assertEquals(List.of("r9"), task.candidates().stream().map(c -> c.referenceId()).toList());
    }

    @Test
    void nearDuplicateStillsCountAsOnePieceOfEvidence() {
        // Given a still and a near-duplicate of it
        queue.apply(identification(still("s1", "Bullitt"), T0, candidate("r1", "Ford Mustang", 0.9)));
        queue.apply(identification(still("s2", "Bullitt", "someone", "s1", Fixtures.KEY), T0,
                candidate("r1", "Ford Mustang", 0.9)));
        // When alice confirms both
        queue.apply(decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1));
        queue.apply(decision("s2", CONFIRM, "Ford Mustang", "r1", "alice", 2));
        // Then that is one vote, not two
        assertEquals(Status.PENDING, queue.task("s1").orElseThrow().status());
        assertEquals(Status.PENDING, queue.task("s2").orElseThrow().status());
        // And bob's agreement on either confirms the shot, once
        queue.apply(decision("s2", CONFIRM, "Ford Mustang", "r1", "bob", 3));
        assertEquals(Status.CONFIRMED, queue.task("s1").orElseThrow().status());
        assertEquals(Status.CONFIRMED, queue.task("s2").orElseThrow().status());
        assertEquals(1, queue.confirmed().size());
    }

    @Test
    void aContributorDoesNotSeeTheirOwnSubmissionToReview() {
        queue.apply(identification(still("s1", "Bullitt", "alice", null, Fixtures.KEY), T0,
                candidate("r1", "Ford Mustang", 0.9)));
        assertTrue(queue.queueFor("alice", null, null).items().isEmpty());
        assertEquals(1, queue.queueFor("bob", null, null).items().size());
    }

    @Test
    void aDecisionReadBeforeItsIdentificationStillCounts() {
        queue.apply(decision("s1", CONFIRM, "Ford Mustang", "r1", "alice", 1));
        queue.apply(decision("s1", CONFIRM, "Ford Mustang", "r1", "bob", 2));
        queue.apply(identification(still("s1", "Bullitt"), T0, candidate("r1", "Ford Mustang", 0.9)));
        assertEquals(Status.CONFIRMED, queue.task("s1").orElseThrow().status());
    }

    @Test
    void unidentifiedStillsAreTheOnesToRematch() {
        queue.apply(identification(still("s1", "A"), T0));
        queue.apply(identification(still("s2", "B"), T0, candidate("r1", "Ford", 0.8)));
        assertEquals(List.of("s1"), queue.unidentifiedStills().stream().map(s -> s.stillId()).toList());
    }

    private static List<String> ids(List<ReviewQueue.Task> tasks) {
        return tasks.stream().map(ReviewQueue.Task::stillId).toList();
    }

    @Test
    void candidatesWhoseModelPostdatesTheFilmComeAfterTheOthersInScoreOrderAndAreFlagged() {
        // Given a 1968 still (the fixtures' year) with four candidates; the 917 and the Countach were first built
        // after 1968, the Mustang before, the Volga's views give no production years
        queue.applyReference("r-917", new dev.reelcars.events.ReferenceAdded(1, "r-917", "Porsche 917", null, null,
                null, Fixtures.KEY, "image/png", 10, 10, "upload", null, T0, null, 1969, null));
        queue.applyReference("r-countach", new dev.reelcars.events.ReferenceAdded(1, "r-countach",
                "Lamborghini Countach", null, null, null, Fixtures.KEY, "image/png", 10, 10, "upload", null, T0, null,
                1974, null));
        queue.applyReference("r-mustang", new dev.reelcars.events.ReferenceAdded(1, "r-mustang", "Ford Mustang",
                null, null, null, Fixtures.KEY, "image/png", 10, 10, "upload", null, T0, null, 1964, null));
        queue.applyReference("r-volga", Fixtures.reference("r-volga", "GAZ-24 Volga"));
        queue.apply(identification(still("s1", "Le Mans"), T0, candidate("r-917", "Porsche 917", 0.95),
                candidate("r-mustang", "Ford Mustang", 0.6), candidate("r-countach", "Lamborghini Countach", 0.9),
                candidate("r-volga", "GAZ-24 Volga", 0.8)));

        // When the task is read
        var task = queue.task("s1").orElseThrow();

        // Then the possible ones come first, each group by score, and the anachronistic ones are named
        assertEquals(List.of("GAZ-24 Volga", "Ford Mustang", "Porsche 917", "Lamborghini Countach"),
                task.candidates().stream().map(c -> c.label()).toList());
        assertEquals(List.of("Porsche 917", "Lamborghini Countach"), task.anachronisms());
        assertEquals(0.8, task.topConfidence());

        // And when the 917's view leaves the gallery, nothing says it postdates the film any more
        queue.applyReference("r-917", null);
        var after = queue.task("s1").orElseThrow();
        assertEquals(List.of("Porsche 917", "GAZ-24 Volga", "Ford Mustang", "Lamborghini Countach"),
                after.candidates().stream().map(c -> c.label()).toList());
        assertEquals(List.of("Lamborghini Countach"), after.anachronisms());
    }
}
