package dev.reelcars.ingest;

import dev.reelcars.contracts.ApiException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A token bucket per contributor: {@code burst} uploads at once, refilled at {@code perMinute}. Time comes from an
 * injected {@link Clock} so tests need not wait. Buckets that are full again are forgotten, so memory stays bounded
 * by the contributors active in the last {@code burst / rate}.
 */
final class RateLimiter {
    private final IngestConfig.RateLimit limit;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        double tokens;
        long updatedMillis;
    }

    RateLimiter(IngestConfig.RateLimit limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** Takes one upload from {@code who}'s bucket; throws 429 {@code rate-limited} with Retry-After when empty. */
    synchronized void acquire(String who) {
        if (!limit.enabled()) {
            return;
        }
        long now = clock.millis();
        double perMilli = limit.perMinute() / 60_000.0;
        if (buckets.size() > 10_000) {
            buckets.values().removeIf(b -> b.tokens + (now - b.updatedMillis) * perMilli >= limit.burst());
        }
        Bucket b = buckets.computeIfAbsent(who, k -> {
            Bucket fresh = new Bucket();
            fresh.tokens = limit.burst();
            fresh.updatedMillis = now;
            return fresh;
        });
        b.tokens = Math.min(limit.burst(), b.tokens + (now - b.updatedMillis) * perMilli);
        b.updatedMillis = now;
        if (b.tokens < 1) {
            int wait = (int) Math.ceil((1 - b.tokens) / perMilli / 1000);
            throw new ApiException(429, "rate-limited", "too many uploads from " + who + "; the limit is "
                    + limit.perMinute() + " a minute (burst " + limit.burst() + ")", Math.max(1, wait));
        }
        b.tokens -= 1;
    }
}
