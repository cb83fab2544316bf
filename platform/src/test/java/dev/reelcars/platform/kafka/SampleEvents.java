package dev.reelcars.platform.kafka;

import dev.reelcars.events.StillSubmitted;
import java.time.Instant;

/** A valid event to push through the Kafka plumbing; the events module tests the records themselves. */
final class SampleEvents {
    static final String KEY = "a".repeat(64);
    static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

    private SampleEvents() {
    }

    static StillSubmitted still() {
        return new StillSubmitted(1, "still-1", KEY, "image/jpeg", 1280, 720, "Pulgasari", 1985, "00:12:03",
                null, "anonymous", null, null, T);
    }
}
