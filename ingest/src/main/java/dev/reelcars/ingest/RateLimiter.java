package dev.reelcars.ingest;

import dev.reelcars.platform.http.ApiException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A token bucket per key (an account, a client address): {@code burst} uploads at once, refilled at {@code perMinute}. Time comes from an
 * injected {@link Clock} so tests need not wait. Buckets that are full again are forgotten, so memory stays bounded
 * by the keys active in the last {@code burst / rate}.
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

    /**
     * Takes one upload from each of the buckets (say, the account's and the client address's), or from none: throws
     * 429 {@code rate-limited} with Retry-After when any of them is empty.
     */
    synchronized void acquire(String... keys) {
        if (!limit.enabled()) {
            return;
        }
        long now = clock.millis();
        double perMilli = limit.perMinute() / 60_000.0;
        if (buckets.size() > 10_000) {
            buckets.values().removeIf(b -> b.tokens + (now - b.updatedMillis) * perMilli >= limit.burst());
        }
        Bucket[] taken = new Bucket[keys.length];
        for (int i = 0; i < keys.length; i++) {
            Bucket b = buckets.computeIfAbsent(keys[i], k -> {
                Bucket fresh = new Bucket();
                fresh.tokens = limit.burst();
                fresh.updatedMillis = now;
                return fresh;
            });
            b.tokens = Math.min(limit.burst(), b.tokens + (now - b.updatedMillis) * perMilli);
            b.updatedMillis = now;
            if (b.tokens < 1) {
                int wait = (int) Math.ceil((1 - b.tokens) / perMilli / 1000);
                throw new ApiException(429, "rate-limited", "too many uploads from " + keys[i] + "; the limit is "
                        + limit.perMinute() + " a minute (burst " + limit.burst() + ")", Math.max(1, wait));
            }
            taken[i] = b;
        }
        for (Bucket b : taken) {
            b.tokens -= 1;
        }
    }
}
