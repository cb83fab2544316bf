package dev.reelcars.accounts;

import dev.reelcars.platform.http.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What can be done to accounts: sign in, register, create, change roles and status, reset passwords, issue and
 * revoke API tokens. Every change is published as the account's new snapshot and audited, and only then applied
 * to the local directory (so a 503 from the broker changes nothing).
 */
public final class AccountService {
    private static final Logger log = LoggerFactory.getLogger(AccountService.class);
    /** Shortest password accepted for a new or reset password. */
    public static final int MIN_PASSWORD_CHARS = 10;

    private final AccountDirectory directory;
    private final PasswordHasher hasher;
    private final Tokens tokens;
    private final SignInGuard guard;
    private final EventSink sink;
    private final String topic;
    private final AuditLog audit;
    private final AccountsConfig config;
    private final Clock clock;
    private final Semaphore hashing = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

    /** A successful sign-in: the session token and when it ends. */
    public record SignedIn(Account account, String token, Instant expires) {
    }

    public AccountService(AccountDirectory directory, PasswordHasher hasher, Tokens tokens, SignInGuard guard,
            EventSink sink, String topic, AuditLog audit, AccountsConfig config, Clock clock) {
        this.directory = directory;
        this.hasher = hasher;
        this.tokens = tokens;
        this.guard = guard;
        this.sink = sink;
        this.topic = topic;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    public AccountDirectory directory() {
        return directory;
    }

    public PasswordHasher hasher() {
        return hasher;
    }

    /**
     * Checks the password and issues a session token. An unknown name costs the same hash as a known one, and a
     * wrong password answers the same in both cases: 401 {@code bad-credentials}.
     */
    public SignedIn signIn(String name, char[] password, String address) {
        guard.check(name, address);
        Account account = directory.find(name).orElse(null);
        boolean ok;
        // At most one hash per core at once: each takes 19 MiB, so a burst of sign-ins queues instead of
        // exhausting memory, and waits at most 10 s before being told to come back.
        try {
            if (!hashing.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new ApiException(503, "busy", "too many sign-ins at once; try again shortly", 5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "busy", "interrupted", 5);
        }
        try {
            ok = account == null ? hasher.verifyUnknown(password) : hasher.verify(account.passwordHash(), password);
        } finally {
            hashing.release();
        }
        if (!ok) {
            guard.failed(name, address);
            throw new ApiException(401, "bad-credentials", "wrong name or password");
        }
        guard.succeeded(name, address);
        if (account.status() == Account.Status.PENDING) {
            throw new ApiException(403, "pending-approval", "an admin has not approved this account yet");
        }
        if (account.status() == Account.Status.DISABLED) {
            throw new ApiException(403, "account-disabled", "this account is disabled");
        }
        Instant now = clock.instant();
        Instant expires = now.plus(config.sessionTtl());
        return new SignedIn(account, tokens.issue(account.name(), Tokens.Kind.SESSION, now, expires), expires);
    }

    /** Self-registration: a contributor account waiting for an admin's approval. */
    public Account register(String name, char[] password, String address) {
        if (!config.selfRegistration()) {
            throw new ApiException(403, "registration-closed", "self-registration is off; ask an admin for an account");
        }
        // A registration costs a password hash and a record kept forever: it counts against the address's attempts.
        guard.check("register:" + name, address);
        return create("self", address, name, password, Set.of(Role.CONTRIBUTOR), Account.Status.PENDING);
    }

    /** An admin creates an account, active at once. */
    public Account create(Principal admin, String address, String name, char[] password, Set<Role> roles) {
        return create(admin.name(), address, name, password, roles, Account.Status.ACTIVE);
    }

    private synchronized Account create(String actor, String address, String name, char[] password, Set<Role> roles,
            Account.Status status) {
        if (name == null || !Account.NAME.matcher(name).matches()) {
            throw new ApiException(400, "bad-name", "a name is 1 to 64 of A-Z a-z 0-9 . _ -");
        }
        requireStrong(password);
        // Names differing only in case would pass for one another on the page.
        if (directory.all().stream().anyMatch(a -> a.name().equalsIgnoreCase(name))) {
            throw new ApiException(409, "name-taken", "an account named " + name + " exists");
        }
        Instant now = clock.instant();
        Account account = new Account(Account.CURRENT_VERSION, name, roles, status, hasher.hash(password), now,
                null, now, actor);
        save(account, "account.create", actor, address, Map.of("roles", roles.toString(), "status", status));
        return account;
    }

    /** Creates an account from configuration when it does not exist yet; never changes an existing one. */
    public synchronized boolean ensure(String name, String passwordHash, Set<Role> roles, String by) {
        if (directory.find(name).isPresent()) {
            return false;
        }
        Instant now = clock.instant();
        save(new Account(Account.CURRENT_VERSION, name, roles, Account.Status.ACTIVE, passwordHash, now, null, now,
                by), "account.create", by, null, Map.of("roles", roles.toString()));
        log.info("created account {} ({}) from {}", name, roles, by);
        return true;
    }

    /** Disables every active account last written by {@code by} (the demo accounts outside demo mode). */
    public synchronized int disableAllBy(String by) {
        int n = 0;
        for (Account a : directory.all()) {
            if (a.isActive() && by.equals(a.updatedBy())) {
                save(a.withStatus(Account.Status.DISABLED, clock.instant(), "setup"), "account.disable", "setup",
                        null, Map.of("why", "created by " + by));
                n++;
            }
        }
        return n;
    }

    /** An admin changes roles and/or status (approving a registration is status ACTIVE). */
    public synchronized Account update(Principal admin, String address, String name, Set<Role> roles,
            Account.Status status) {
        Account a = existing(name);
        if (admin.name().equals(name) && (status == Account.Status.DISABLED
                || roles != null && !roles.contains(Role.ADMIN))) {
            throw new ApiException(409, "own-admin", "admins cannot disable themselves or drop their own admin role");
        }
        Instant now = clock.instant();
        Map<String, Object> detail = new LinkedHashMap<>();
        if (roles != null) {
            a = a.withRoles(roles, now, admin.name());
            detail.put("roles", roles.toString());
        }
        if (status != null) {
            a = a.withStatus(status, now, admin.name());
            detail.put("status", status);
        }
        save(a, "account.update", admin.name(), address, detail);
        return a;
    }

    /**
     * Sets a new password: an admin for anyone, or a person for themselves with their current password. Every
     * session and token issued before ends.
     */
    public synchronized void setPassword(Principal who, String address, String name, char[] current,
            char[] password) {
        Account a = existing(name);
        boolean self = who.name().equals(name);
        if (!who.has(Role.ADMIN)) {
            if (!self) {
                throw new ApiException(403, "forbidden", "only admins reset other people's passwords");
            }
            if (current == null || !hasher.verify(a.passwordHash(), current)) {
                throw new ApiException(403, "bad-credentials", "the current password is wrong");
            }
        }
        requireStrong(password);
        save(a.withPassword(hasher.hash(password), clock.instant(), who.name()),
                self ? "account.password" : "account.password-reset", who.name(), address, Map.of());
    }

    /** Ends every session and token of the account issued until now. */
    public synchronized void signOutEverywhere(Principal who, String address) {
        Account a = existing(who.name());
        Instant now = clock.instant();
        save(new Account(Account.CURRENT_VERSION, a.name(), a.roles(), a.status(), a.passwordHash(), now,
                a.apiTokens(), now, who.name()), "account.sign-out-everywhere", who.name(), address, Map.of());
    }

    /** A new API token; the returned secret is shown once and never stored. */
    public synchronized String createApiToken(Principal who, String address, String label) {
        if (who.kind() != Tokens.Kind.SESSION) {
            throw new ApiException(403, "session-required", "API tokens are made from a signed-in session");
        }
        Account a = existing(who.name());
        if (a.apiTokens().size() >= 20) {
            throw new ApiException(409, "too-many-tokens", "revoke a token first (at most 20)");
        }
        Instant now = clock.instant();
        String id = "tok-" + UUID.randomUUID();
        String clean = label == null ? "" : label.strip();
        if (clean.length() > 100) {
            throw new ApiException(400, "bad-label", "a token label is at most 100 characters");
        }
        save(a.withToken(new Account.ApiToken(id, clean, now), now, who.name()), "token.create", who.name(),
                address, Map.of("tokenId", id, "label", clean));
        return tokens.issue(a.name(), Tokens.Kind.API, id, now, null);
    }

    public synchronized void revokeApiToken(Principal who, String address, String id) {
        Account a = existing(who.name());
        if (a.apiTokens().stream().noneMatch(t -> t.id().equals(id))) {
            throw new ApiException(404, "not-found", "no token " + id);
        }
        save(a.withoutToken(id, clock.instant(), who.name()), "token.revoke", who.name(), address,
                Map.of("tokenId", id));
    }

    private Account existing(String name) {
        return directory.find(name).orElseThrow(() -> new ApiException(404, "not-found", "no account " + name));
    }

    private void save(Account account, String action, String actor, String address, Map<String, ?> detail) {
        sink.publish(topic, account);
        directory.apply(account);
        audit.record(action, actor, address, account.name(), detail);
    }

    private static void requireStrong(char[] password) {
        if (password == null || password.length < MIN_PASSWORD_CHARS || password.length > 1024) {
            throw new ApiException(400, "weak-password", "a password has " + MIN_PASSWORD_CHARS
                    + " to 1024 characters");
        }
    }
}
