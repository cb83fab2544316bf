package dev.reelcars.notify;

import dev.reelcars.events.Event;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.platform.kafka.EventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When reviewers accept a reference, stills nobody could identify get another chance: their {@code StillSubmitted}
 * is published again to the stills topic, identify matches them against the larger gallery and publishes a new
 * identification for the same stillId, which replaces the old one in the queue.
 *
 * <p>Bounded, because every resubmission costs identify a match: at most {@code perHour} resubmissions in any clock
 * hour, and each still at most once per accepted reference. Work over the budget waits for the next hour.
 */
final class RetroMatcher {
    private static final Logger log = LoggerFactory.getLogger(RetroMatcher.class);

    private final ReviewQueue queue;
    private final BiConsumer<String, Event> publisher;
    private final String stillsTopic;
    private final int perHour;
    private final Clock clock;
    /** "stillId\nreferenceId" pairs already resubmitted. */
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private Instant hourStart = Instant.EPOCH;
    private int usedThisHour;
    private long total;
    private int waiting;
    private String lastReference;

    /** @param publisher publishes and waits for the ack (the service's {@link EventPublisher#publish}) */
    RetroMatcher(ReviewQueue queue, BiConsumer<String, Event> publisher, String stillsTopic, int perHour,
            Clock clock) {
        this.queue = queue;
        this.publisher = publisher;
        this.stillsTopic = stillsTopic;
        this.perHour = perHour;
        this.clock = clock;
    }

    /** Republishes unidentified stills not yet re-matched against {@code reference}, within the budget. */
    synchronized int resubmitUnidentified(String reference) {
        lastReference = reference;
        int n = 0;
        waiting = 0;
        for (StillSubmitted still : queue.unidentifiedStills()) {
            String pair = still.stillId() + "\n" + reference;
            if (done.contains(pair)) {
                continue;
            }
            if (!takeBudget()) {
                waiting++;
                continue;
            }
            try {
                publisher.accept(stillsTopic, still);
                done.add(pair);
                n++;
                total++;
            } catch (EventPublisher.Unavailable e) {
                usedThisHour--;
                log.warn("retro-match stopped after {} stills: {}", n, e.getMessage());
                return n;
            }
        }
        if (n > 0 || waiting > 0) {
            log.info("reference {} accepted: resubmitted {} unidentified stills, {} wait for the next hour's budget",
                    reference, n, waiting);
        }
        return n;
    }

    /** What retro-matching has done and what waits, for the page and operators. */
    synchronized Map<String, Object> progress() {
        rollHour();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("resubmitted", total);
        out.put("waitingForBudget", waiting);
        out.put("budgetPerHour", perHour);
        out.put("budgetLeftThisHour", Math.max(0, perHour - usedThisHour));
        out.put("hourEnds", hourStart.plus(Duration.ofHours(1)));
        out.put("lastReference", lastReference);
        return out;
    }

    synchronized int waiting() {
        return waiting;
    }

    synchronized Duration untilNextHour() {
        Duration d = Duration.between(clock.instant(), hourStart.plus(Duration.ofHours(1)));
        return d.isNegative() ? Duration.ZERO : d;
    }

    private boolean takeBudget() {
        rollHour();
        if (usedThisHour >= perHour) {
            return false;
        }
        usedThisHour++;
        return true;
    }

    private void rollHour() {
        Instant now = clock.instant();
        if (!now.isBefore(hourStart.plus(Duration.ofHours(1)))) {
            hourStart = now;
            usedThisHour = 0;
        }
    }
}
