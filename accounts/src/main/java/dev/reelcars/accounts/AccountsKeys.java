package dev.reelcars.accounts;

import static java.time.temporal.ChronoUnit.HOURS;

import dev.reelcars.platform.Key;
import dev.reelcars.platform.Keys;

/** The accounts settings every service reads ({@link AccountsConfig}). */
public final class AccountsKeys {
    public static final Keys KEYS = new Keys(Keys.SHARED);

    public static final Key TOKEN_SECRET = KEYS.computed("REELCARS_TOKEN_SECRET",
            "generated once into `$REELCARS_DATA_DIR/token-secret` (owner-only)",
            "base64 of at least 32 random bytes signing every token (`openssl rand -base64 32`); the same for all "
                    + "instances of all services");
    public static final Key PUBLIC_URL = KEYS.key("REELCARS_PUBLIC_URL", "http://localhost:8080",
            "where people open the page: the only origin that may write with the session cookie, and the origin "
                    + "ingest allows (CORS with credentials); comma-separated for several (the launcher: notify's "
                    + "own address)");
    public static final Key SESSION_TTL = KEYS.key("REELCARS_SESSION_TTL", "12h", "how long a page sign-in lasts",
            Keys.was("REELCARS_SESSION_HOURS", HOURS));
    public static final Key PASSWORD_MEMORY_KIB = KEYS.key("REELCARS_PASSWORD_MEMORY_KIB", "19456",
            "Argon2id memory of new password hashes (OWASP's recommendation)");
    public static final Key PASSWORD_ITERATIONS = KEYS.key("REELCARS_PASSWORD_ITERATIONS", "2",
            "Argon2id passes of new password hashes");
    public static final Key SELF_REGISTRATION = KEYS.key("REELCARS_SELF_REGISTRATION", "false",
            "whether anyone may register a contributor account (`POST /api/register`), which an admin then approves");
    public static final Key SIGNIN_PER_ADDRESS_PER_MINUTE = KEYS.key("REELCARS_SIGNIN_PER_ADDRESS_PER_MINUTE",
            String.valueOf(SignInGuard.MAX_ATTEMPTS_PER_ADDRESS_PER_MINUTE),
            "sign-in attempts one client address may make in a minute, whatever the names; behind a reverse proxy "
                    + "every client shares its address: raise it there");

    private AccountsKeys() {
    }
}
