package dev.reelcars.platform.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The token bucket per key, on an injected clock. */
class RateLimiterTest {
    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-28T12:00:00Z");

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
    }

    @Test
    void allowsBurstThenRefusesWith429AndRetryAfterThenRefills() {
        // Given 6 a minute with a burst of 2
        MutableClock clock = new MutableClock();
        RateLimiter limiter = new RateLimiter(new RateLimit(6, 2), clock, "uploads");

        // When ana uploads three times at once
        limiter.acquire("ana");
        limiter.acquire("ana");
        ApiException e = assertThrows(ApiException.class, () -> limiter.acquire("ana"));

        // Then the third is refused with 429 and told to wait 10 s; bob is not affected; after 10 s ana may go on
        assertEquals(429, e.status());
        assertEquals("rate-limited", e.code());
        assertEquals(10, e.retryAfterSeconds());
        assertDoesNotThrow(() -> limiter.acquire("bob"));
        clock.now = clock.now.plus(Duration.ofSeconds(10));
        assertDoesNotThrow(() -> limiter.acquire("ana"));
    }

    @Test
    void neverRefusesWhenDisabled() {
        RateLimiter limiter = new RateLimiter(new RateLimit(0, 1), new MutableClock(), "uploads");
        for (int i = 0; i < 100; i++) {
            limiter.acquire("ana");
        }
    }
}
