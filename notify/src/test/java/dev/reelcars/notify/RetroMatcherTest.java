package dev.reelcars.notify;

import static dev.reelcars.notify.Fixtures.T0;
import static dev.reelcars.notify.Fixtures.identification;
import static dev.reelcars.notify.Fixtures.still;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reelcars.events.Event;
import dev.reelcars.events.StillSubmitted;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's amplification: one new reference made identify re-match every unidentified still. Now each still is
 * re-matched at most once per accepted reference, and at most a budget of stills an hour.
 */
class RetroMatcherTest {
    private final List<Event> published = new ArrayList<>();
    private final ReviewQueue queue = new ReviewQueue(2);
    private Instant now = T0;
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private RetroMatcher retro(int perHour) {
        for (int i = 0; i < 5; i++) {
            queue.apply(identification(still("s-" + i, "Film " + i), T0));
        }
        return new RetroMatcher(queue, (topic, event) -> published.add(event), "stills", perHour, clock);
    }

    @Test
    void eachStillIsReMatchedOncePerAcceptedReference() {
        RetroMatcher retro = retro(100);
        assertEquals(5, retro.resubmitUnidentified("ref-a"));
        assertEquals(0, retro.resubmitUnidentified("ref-a"), "the same reference again: nothing");
        assertEquals(5, retro.resubmitUnidentified("ref-b"), "a second accepted reference: once more each");
        assertEquals(10, published.size());
        assertEquals(StillSubmitted.class, published.get(0).getClass());
    }

    @Test
    void theHourlyBudgetHoldsAndTheRestWaitsForTheNextHour() {
        RetroMatcher retro = retro(3);
        assertEquals(3, retro.resubmitUnidentified("ref-a"));
        assertEquals(2, retro.waiting());
        Map<String, Object> progress = retro.progress();
        assertEquals(0, progress.get("budgetLeftThisHour"));
        assertEquals(2, progress.get("waitingForBudget"));
        assertEquals(0, retro.resubmitUnidentified("ref-a"), "still within the hour: nothing more");

        now = now.plus(Duration.ofMinutes(61));
        assertEquals(2, retro.resubmitUnidentified("ref-a"), "the next hour takes the two that waited");
        assertEquals(0, retro.waiting());
        assertEquals(5, published.size());
    }
}
