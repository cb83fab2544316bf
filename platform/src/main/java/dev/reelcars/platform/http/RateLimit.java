package dev.reelcars.platform.http;

/**
 * A token bucket's settings, read once at the edge from a module's keys.
 *
 * @param perMinute sustained requests a minute per bucket; 0 turns the limit off
 * @param burst requests allowed at once before the rate applies
 */
public record RateLimit(int perMinute, int burst) {
    public RateLimit {
        if (perMinute < 0) {
            throw new IllegalArgumentException("perMinute must not be negative, got " + perMinute);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
    }

    public boolean enabled() {
        return perMinute > 0;
    }
}
