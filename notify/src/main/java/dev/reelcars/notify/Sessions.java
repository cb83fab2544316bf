package dev.reelcars.notify;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Sign-in: checks a name and password against the configured accounts and hands out random bearer tokens, kept in
 * memory only (a restart signs everyone out; decisions are in Kafka, so nothing else is lost).
 */
final class Sessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Account> accounts;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Session> byToken = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    /** Consecutive wrong passwords for a name before it is locked for {@link #LOCKOUT}. */
    static final int MAX_FAILURES = 5;
    static final Duration LOCKOUT = Duration.ofSeconds(60);

    private record Failures(int count, Instant lockedUntil) {
    }

    /** Too many wrong passwords for this name: try again after {@code retryAfter}. */
    static final class LockedOut extends RuntimeException {
        final Duration retryAfter;

        LockedOut(Duration retryAfter) {
            super("too many failed sign-ins; try again in " + Math.max(1, retryAfter.toSeconds()) + " s");
            this.retryAfter = retryAfter;
        }
    }

    Sessions(List<Account> accounts, Duration ttl, Clock clock) {
        this.accounts = accounts.stream().collect(Collectors.toUnmodifiableMap(Account::name, Function.identity()));
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A signed-in person. */
    record Session(String token, String name, Account.Role role, Instant expires) {
        boolean isReviewer() {
            return role == Account.Role.REVIEWER;
        }
    }

    /** A new session, or empty when the name or password is wrong (which one is not said). */
    Optional<Session> signIn(String name, char[] password) {
        Account account = name == null ? null : accounts.get(name);
        Instant now = clock.instant();
        Failures past = name == null ? null : failures.get(name);
        if (past != null && past.lockedUntil() != null && now.isBefore(past.lockedUntil())) {
            throw new LockedOut(Duration.between(now, past.lockedUntil()));
        }
        if (account == null || !account.matches(password)) {
            if (account != null) {
                // Only known names are counted, so the map cannot be grown by guessing names.
                failures.compute(name, (k, f) -> {
                    int n = (f == null ? 0 : f.count()) + 1;
                    return n >= MAX_FAILURES ? new Failures(0, now.plus(LOCKOUT)) : new Failures(n, null);
                });
            }
            return Optional.empty();
        }
        failures.remove(name);
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Session s = new Session(token, account.name(), account.role(), clock.instant().plus(ttl));
        byToken.put(token, s);
        return Optional.of(s);
    }

    Optional<Session> lookup(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        Session s = byToken.get(token);
        if (s == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(s.expires())) {
            byToken.remove(token);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    void signOut(String token) {
        if (token != null) {
            byToken.remove(token);
        }
    }
}
