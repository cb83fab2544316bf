package dev.reelcars.accounts;

import dev.reelcars.platform.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How accounts and tokens work in this deployment, read once from {@link Settings}; the same keys in every service
 * ({@link AccountsKeys} declares them). Unset, the token secret is read from {@code $REELCARS_DATA_DIR/token-secret},
 * created there (owner-only) on first start, which is right for the one-JVM launcher and services sharing a data
 * directory.
 */
public record AccountsConfig(byte[] tokenSecret, Set<String> publicOrigins, Duration sessionTtl,
        PasswordHasher.Cost passwordCost, boolean selfRegistration, int signInsPerAddressPerMinute) {

    public AccountsConfig {
        tokenSecret = tokenSecret.clone();
        if (tokenSecret.length < 32) {
            throw new IllegalArgumentException("REELCARS_TOKEN_SECRET must hold at least 32 bytes (base64)");
        }
        publicOrigins = Set.copyOf(publicOrigins);
        if (publicOrigins.isEmpty()) {
            throw new IllegalArgumentException("REELCARS_PUBLIC_URL must name at least one origin");
        }
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        Objects.requireNonNull(passwordCost, "passwordCost");
    }

    public static AccountsConfig from(Settings s, Path dataDir) {
        byte[] secret = s.optional(AccountsKeys.TOKEN_SECRET).map(AccountsConfig::decodeSecret)
                .orElseGet(() -> secretFile(dataDir.resolve("token-secret")));
        Set<String> origins = new LinkedHashSet<>();
        for (String url : s.string(AccountsKeys.PUBLIC_URL).split(",")) {
            if (url.isBlank()) {
                continue;
            }
            String origin = Authenticator.originOf(url);
            if (origin == null) {
                throw new IllegalArgumentException("REELCARS_PUBLIC_URL must be http(s) URLs, got " + url.trim());
            }
            origins.add(origin);
        }
        return new AccountsConfig(secret, origins,
                s.duration(AccountsKeys.SESSION_TTL, Duration.ofMinutes(1), Duration.ofDays(30)),
                new PasswordHasher.Cost(s.integer(AccountsKeys.PASSWORD_MEMORY_KIB, 8, 4 * 1024 * 1024),
                        s.integer(AccountsKeys.PASSWORD_ITERATIONS, 1, 100), 1),
                s.bool(AccountsKeys.SELF_REGISTRATION),
                s.integer(AccountsKeys.SIGNIN_PER_ADDRESS_PER_MINUTE, 1, 1_000_000));
    }

    /** These settings with other page origins (the launcher's: notify's own address, known once its port is). */
    public AccountsConfig withPublicOrigins(Set<String> origins) {
        return new AccountsConfig(tokenSecret, origins, sessionTtl, passwordCost, selfRegistration,
                signInsPerAddressPerMinute);
    }

    /** The first public origin: where links in e-mails and redirects point. */
    public String primaryOrigin() {
        return publicOrigins.iterator().next();
    }

    /** Whether cookies must be {@code Secure}: the page is served over https. */
    public boolean secureCookies() {
        return primaryOrigin().startsWith("https:");
    }

    private static byte[] decodeSecret(String text) {
        try {
            return Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("REELCARS_TOKEN_SECRET must be base64 (e.g. openssl rand -base64 32)");
        }
    }

    /** Reads the secret file, or creates it with fresh random bytes readable by the owner only. */
    private static synchronized byte[] secretFile(Path file) {
        try {
            if (Files.exists(file)) {
                return decodeSecret(Files.readString(file));
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Base64.getEncoder().encodeToString(secret));
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX file system: the directory's permissions are all there is.
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the token secret " + file
                    + "; set REELCARS_TOKEN_SECRET", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccountsConfig c && Arrays.equals(tokenSecret, c.tokenSecret)
                && publicOrigins.equals(c.publicOrigins) && sessionTtl.equals(c.sessionTtl)
                && passwordCost.equals(c.passwordCost) && selfRegistration == c.selfRegistration
                && signInsPerAddressPerMinute == c.signInsPerAddressPerMinute;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(tokenSecret), publicOrigins, sessionTtl, passwordCost, selfRegistration,
                signInsPerAddressPerMinute);
    }

    @Override
    public String toString() {
        return "AccountsConfig[origins=" + publicOrigins + ", session=" + sessionTtl + ", cost=" + passwordCost
                + ", selfRegistration=" + selfRegistration + "]";
    }
}
