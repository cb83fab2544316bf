package dev.reelcars.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Back-off for wrong passwords, keyed on the name and the client address together: a guesser at one address is
 * slowed down for that name, while the name's owner signs in from their own address unhindered (a lock-out keyed on
 * the name alone lets anyone lock any reviewer out). Counted atomically ({@link ConcurrentHashMap#compute}).
 */
public final class SignInGuard {
    /** Consecutive wrong passwords for one name from one address before a pause of {@link #LOCKOUT}. */
    public static final int MAX_FAILURES = 5;
    public static final Duration LOCKOUT = Duration.ofSeconds(60);
    /**
     * Default sign-in attempts one client address may make in a minute, whatever the names: each costs a password
     * hash (19 MiB and tens of milliseconds), so a flood of made-up names must not cost us without end either.
     */
    public static final int MAX_ATTEMPTS_PER_ADDRESS_PER_MINUTE = 30;
    /** Bound on remembered pairs, so guessing many names cannot grow memory without end. */
    private static final int MAX_ENTRIES = 100_000;

    private final Clock clock;
    private final int perAddressPerMinute;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Map<String, Window> attempts = new ConcurrentHashMap<>();

    /** Attempts from one address in the minute that began at {@code start}. */
    private record Window(Instant start, int count) {
    }

    private record Failures(int count, Instant lockedUntil) {
    }

    /** Too many wrong passwords: try again after {@code retryAfter}. */
    public static final class LockedOut extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Duration retryAfter;

        LockedOut(Duration retryAfter) {
            super("too many failed sign-ins; try again in " + Math.max(1, retryAfter.toSeconds()) + " s");
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    public SignInGuard(Clock clock) {
        this(clock, MAX_ATTEMPTS_PER_ADDRESS_PER_MINUTE);
    }

    public SignInGuard(Clock clock, int perAddressPerMinute) {
        this.clock = clock;
        this.perAddressPerMinute = perAddressPerMinute;
    }

    /**
     * Counts an attempt; throws {@link LockedOut} while this name is paused for this address, or while the address
     * has used its attempts of this minute.
     */
    public void check(String name, String address) {
        Instant now = clock.instant();
        if (attempts.size() > MAX_ENTRIES) {
            attempts.values().removeIf(w -> now.isAfter(w.start().plus(Duration.ofMinutes(1))));
        }
        Window w = attempts.compute(address, (k, old) -> old == null || !now.isBefore(old.start().plusSeconds(60))
                ? new Window(now, 1) : new Window(old.start(), old.count() + 1));
        if (w.count() > perAddressPerMinute) {
            throw new LockedOut(Duration.between(now, w.start().plusSeconds(60)));
        }
        Failures f = failures.get(key(name, address));
        if (f != null && f.lockedUntil() != null && now.isBefore(f.lockedUntil())) {
            throw new LockedOut(Duration.between(now, f.lockedUntil()));
        }
    }

    public void failed(String name, String address) {
        Instant now = clock.instant();
        if (failures.size() > MAX_ENTRIES) {
            failures.values().removeIf(f -> f.lockedUntil() == null || now.isAfter(f.lockedUntil()));
        }
        failures.compute(key(name, address), (k, f) -> {
            int n = (f == null || f.lockedUntil() != null ? 0 : f.count()) + 1;
            return n >= MAX_FAILURES ? new Failures(0, now.plus(LOCKOUT)) : new Failures(n, null);
        });
    }

    public void succeeded(String name, String address) {
        failures.remove(key(name, address));
    }

    private static String key(String name, String address) {
        return name + "\n" + address;
    }
}
