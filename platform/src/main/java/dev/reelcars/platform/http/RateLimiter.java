package dev.reelcars.platform.http;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A token bucket per key (an account, a client address): {@code burst} requests at once, refilled at
 * {@code perMinute}. Time comes from an injected {@link Clock} so tests need not wait. Buckets that are full again
 * are forgotten, so memory stays bounded by the keys active in the last {@code burst / rate}.
 *
 * <p>Used for every write a person can repeat: ingest's uploads, notify's decisions and gallery changes, the
 * catalogue's edits. Call {@link #acquire} before reading the body, so an over-limit request costs nothing and
 * publishes nothing.
 */
public final class RateLimiter {
    private final RateLimit limit;
    private final Clock clock;
    private final String what;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        double tokens;
        long updatedMillis;
    }

    /**
     * @param what the counted requests in words, for the refusal's message ("uploads", "edits")
     */
    public RateLimiter(RateLimit limit, Clock clock, String what) {
        this.limit = limit;
        this.clock = clock;
        this.what = what;
    }

    /**
     * Takes one request from each of the buckets (say, the account's and the client address's), or from none: throws
     * 429 {@code rate-limited} with Retry-After when any of them is empty.
     */
    public synchronized void acquire(String... keys) {
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
                throw new ApiException(429, "rate-limited", "too many " + what + " from " + keys[i]
                        + "; the limit is " + limit.perMinute() + " a minute (burst " + limit.burst() + ")",
                        Math.max(1, wait));
            }
            taken[i] = b;
        }
        for (Bucket b : taken) {
            b.tokens -= 1;
        }
    }
}
