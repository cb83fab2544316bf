package dev.reelcars.notify;

import dev.reelcars.accounts.AccountsConfig;
import dev.reelcars.accounts.PasswordHasher;
import dev.reelcars.accounts.Role;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.CommonKeys;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.http.BindAddress;
import dev.reelcars.platform.http.RateLimit;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything notify is configured with, read once from {@link Settings} ({@link NotifyKeys} declares the keys).
 * Accounts live on the accounts topic; the settings only create missing ones at start. Their passwords are hashed
 * here, at load time: no plain-text password is kept past {@link #from}. Token, origin and password-cost settings
 * are {@link AccountsConfig}'s. Demo accounts are no setting of notify's: only the launcher, which checks that it
 * listens on loopback, turns them on ({@link #withDemoAccounts}); notify alone disables any an earlier demo left.
 */
public record NotifyConfig(
        Common common,
        int port,
        String ingestPublicUrl,
        boolean demoAccounts,
        int consensus,
        Duration publishTimeout,
        RateLimit writeRate,
        boolean retroMatch,
        Duration retroMatchDelay,
        int retroMatchPerHour,
        String bindAddress,
        List<URI> webhooks,
        int webhookAttempts,
        Duration webhookBackoff,
        Mail mail,
        AccountsConfig accountsConfig,
        List<Seed> seeds) {

    public NotifyConfig {
        Objects.requireNonNull(common, "common");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if (consensus < 1) {
            throw new IllegalArgumentException("consensus must be at least 1, got " + consensus);
        }
        seeds = List.copyOf(seeds);
        Objects.requireNonNull(accountsConfig, "accountsConfig");
        webhooks = List.copyOf(webhooks);
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(writeRate, "writeRate");
    }

    public static NotifyConfig from(Settings s) {
        Common common = Common.from(s, "notify");
        return from(s, common, AccountsConfig.from(s, common.dataDir()));
    }

    /** notify's settings with the shared ones already made (the launcher's, for every service alike). */
    public static NotifyConfig from(Settings s, Common common, AccountsConfig accountsConfig) {
        PasswordHasher hasher = new PasswordHasher(accountsConfig.passwordCost());
        List<Seed> seeds = new ArrayList<>();
        s.optional(NotifyKeys.ADMIN_PASSWORD).ifPresent(pw -> seeds.add(new Seed(
                requireName(NotifyKeys.ADMIN_NAME.name(), s.string(NotifyKeys.ADMIN_NAME)),
                EnumSet.of(Role.ADMIN, Role.REVIEWER), hasher.hash(pw.toCharArray()), "setup")));
        seeds.addAll(parseAccounts(NotifyKeys.REVIEWERS.name(), s.string(NotifyKeys.REVIEWERS),
                EnumSet.of(Role.REVIEWER), hasher));
        seeds.addAll(parseAccounts(NotifyKeys.CONTRIBUTORS.name(), s.string(NotifyKeys.CONTRIBUTORS),
                EnumSet.of(Role.CONTRIBUTOR), hasher));
        String ingest = s.string(NotifyKeys.INGEST_PUBLIC_URL);
        requireHttpUrl(NotifyKeys.INGEST_PUBLIC_URL.name(), ingest);
        List<URI> hooks = new ArrayList<>();
        for (String url : split(s.string(NotifyKeys.WEBHOOKS))) {
            requireHttpUrl(NotifyKeys.WEBHOOKS.name(), url);
            hooks.add(URI.create(url));
        }
        Mail mail = new Mail(
                s.string(NotifyKeys.SMTP_HOST),
                s.integer(NotifyKeys.SMTP_PORT, 1, 65535),
                s.string(NotifyKeys.MAIL_FROM),
                split(s.string(NotifyKeys.MAIL_TO)),
                s.duration(NotifyKeys.DIGEST_INTERVAL, Duration.ZERO, Duration.ofDays(7)));
        return new NotifyConfig(
                common,
                s.integer(NotifyKeys.PORT, 0, 65535),
                ingest.replaceAll("/+$", ""),
                false,
                s.integer(CommonKeys.CONSENSUS, 1, 100),
                s.duration(NotifyKeys.PUBLISH_TIMEOUT, Duration.ofMillis(100), Duration.ofMinutes(2)),
                new RateLimit(s.integer(NotifyKeys.WRITE_RATE_PER_MINUTE, 0, 1_000_000),
                        s.integer(NotifyKeys.WRITE_RATE_BURST, 1, 1_000_000)),
                s.bool(NotifyKeys.RETRO_MATCH),
                s.duration(NotifyKeys.RETRO_MATCH_DELAY, Duration.ZERO, Duration.ofMinutes(10)),
                s.integer(NotifyKeys.RETRO_MATCH_PER_HOUR, 0, 10_000_000),
                BindAddress.from(s),
                hooks,
                s.integer(NotifyKeys.WEBHOOK_ATTEMPTS, 1, 20),
                s.duration(NotifyKeys.WEBHOOK_BACKOFF, Duration.ofMillis(1), Duration.ofMinutes(1)),
                mail,
                accountsConfig,
                seeds);
    }

    /**
     * These settings in the launcher's demo mode: the accounts {@code demo}/{@code demo} (admin, reviewer,
     * contributor) and {@code contributor}/{@code demo}. The launcher allows it on loopback only.
     */
    public NotifyConfig withDemoAccounts() {
        PasswordHasher hasher = new PasswordHasher(accountsConfig.passwordCost());
        List<Seed> withDemo = new ArrayList<>(seeds);
        withDemo.add(new Seed("demo", EnumSet.of(Role.ADMIN, Role.REVIEWER, Role.CONTRIBUTOR),
                hasher.hash("demo".toCharArray()), DEMO));
        withDemo.add(new Seed("contributor", EnumSet.of(Role.CONTRIBUTOR), hasher.hash("demo".toCharArray()), DEMO));
        return new NotifyConfig(common, port, ingestPublicUrl, true, consensus, publishTimeout, writeRate,
                retroMatch, retroMatchDelay, retroMatchPerHour, bindAddress, webhooks, webhookAttempts, webhookBackoff, mail,
                accountsConfig, withDemo);
    }

    /** These settings with another consensus (the launcher's demo: one confirmation counts). */
    public NotifyConfig withConsensus(int reviewers) {
        return new NotifyConfig(common, port, ingestPublicUrl, demoAccounts, reviewers, publishTimeout, writeRate,
                retroMatch, retroMatchDelay, retroMatchPerHour, bindAddress, webhooks, webhookAttempts, webhookBackoff, mail,
                accountsConfig, seeds);
    }

    /** These settings on another port and page origin (the launcher's free port, known before notify starts). */
    public NotifyConfig withPort(int newPort, AccountsConfig accounts) {
        return new NotifyConfig(common, newPort, ingestPublicUrl, demoAccounts, consensus, publishTimeout,
                writeRate, retroMatch, retroMatchDelay, retroMatchPerHour, bindAddress, webhooks, webhookAttempts,
                webhookBackoff, mail, accounts, seeds);
    }

    /** Who wrote the demo accounts: outside demo mode, active accounts written by it are disabled. */
    public static final String DEMO = "demo-mode";

    /** An account to create at start when missing (its password already hashed). */
    public record Seed(String name, Set<Role> roles, String passwordHash, String source) {
        public Seed {
            roles = Set.copyOf(roles);
        }

        @Override
        public String toString() {
            return "Seed[" + name + ", " + roles + "]";
        }
    }

    /** SMTP settings of the digest e-mail; {@link #enabled()} only with a host and at least one recipient. */
    public record Mail(String host, int port, String from, List<String> to, Duration digestEvery) {
        public Mail {
            to = List.copyOf(to);
        }

        public boolean enabled() {
            return !host.isBlank() && !to.isEmpty();
        }
    }

    private static List<Seed> parseAccounts(String key, String raw, Set<Role> roles, PasswordHasher hasher) {
        List<Seed> out = new ArrayList<>();
        for (String entry : split(raw)) {
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                // Never echo the entry: it holds a password.
                throw new IllegalArgumentException(key + " entries must be name:password");
            }
            String name = requireName(key, entry.substring(0, colon).trim());
            out.add(new Seed(name, roles, hasher.hash(entry.substring(colon + 1).toCharArray()), "setup"));
        }
        return out;
    }

    private static String requireName(String key, String name) {
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException(key + ": user names must match [A-Za-z0-9._-]{1,64}");
        }
        return name;
    }

    private static List<String> split(String raw) {
        return Arrays.stream(raw.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static void requireHttpUrl(String key, String url) {
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(key + " must be an http(s) URL, got " + url);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be an http(s) URL, got " + url, e);
        }
    }

    @Override
    public String toString() {
        return "NotifyConfig[port=" + port + ", ingest=" + ingestPublicUrl + ", seeds="
                + seeds.stream().map(Seed::name).toList() + ", demo=" + demoAccounts + ", consensus=" + consensus + ", webhooks="
                + webhooks.size() + ", mail=" + mail.enabled() + "]";
    }
}
