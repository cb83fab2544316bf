package dev.reelcars.notify;

import dev.reelcars.contracts.EventPublisher;
import dev.reelcars.contracts.StillSubmitted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the gallery grows, stills nobody could identify get another chance: their {@code StillSubmitted} is
 * published again to the stills topic, identify matches them against the larger gallery and publishes a new
 * identification for the same stillId, which replaces the old one in the queue.
 */
final class RetroMatcher {
    private static final Logger log = LoggerFactory.getLogger(RetroMatcher.class);

    private final ReviewQueue queue;
    private final EventPublisher publisher;
    private final String stillsTopic;

    RetroMatcher(ReviewQueue queue, EventPublisher publisher, String stillsTopic) {
        this.queue = queue;
        this.publisher = publisher;
        this.stillsTopic = stillsTopic;
    }

    /** Republishes every unidentified still; returns how many. */
    int resubmitUnidentified(String becauseOfReference) {
        int n = 0;
        for (StillSubmitted still : queue.unidentifiedStills()) {
            try {
                publisher.publish(stillsTopic, still);
                n++;
            } catch (EventPublisher.Unavailable e) {
                log.warn("retro-match stopped after {} stills: {}", n, e.getMessage());
                return n;
            }
        }
        if (n > 0) {
            log.info("reference {} arrived: resubmitted {} unidentified stills", becauseOfReference, n);
        }
        return n;
    }
}
