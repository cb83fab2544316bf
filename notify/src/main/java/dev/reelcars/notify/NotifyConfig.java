package dev.reelcars.notify;

import dev.reelcars.accounts.AccountsConfig;
import dev.reelcars.accounts.PasswordHasher;
import dev.reelcars.accounts.Role;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.http.BindAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything notify is configured with, read once from {@link Settings}. Accounts live on the accounts topic; the
 * settings below only create missing ones at start. Their passwords are hashed here, at load time: no plain-text
 * password is kept past {@link #from}. Token, origin and password-cost settings are {@link AccountsConfig}'s.
 *
 * <ul>
 *   <li>{@code REELCARS_NOTIFY_PORT} (8080): HTTP port of the reviewers' page and API; 0 picks a free one.</li>
 *   <li>{@code REELCARS_INGEST_PUBLIC_URL} ({@code http://localhost:8081}): where the page's upload form posts
 *       (as the browser sees ingest).</li>
 *   <li>{@code REELCARS_ADMIN_NAME} ({@code admin}) and {@code REELCARS_ADMIN_PASSWORD} (none): the first admin
 *       (also a reviewer), created at start when no account of that name exists.</li>
 *   <li>{@code REELCARS_REVIEWERS} (none): {@code name:password,...} of reviewers created at start if missing.</li>
 *   <li>{@code REELCARS_CONTRIBUTORS} (none): {@code name:password,...} of contributors created at start if
 *       missing.</li>
 *   <li>{@code REELCARS_DEMO_ACCOUNTS} (false; the launcher sets it in demo mode on loopback only): creates
 *       {@code demo}/{@code demo} (admin, reviewer) and {@code contributor}/{@code demo}; when false, accounts made
 *       by an earlier demo are disabled at start.</li>
 *   <li>{@code REELCARS_CONSENSUS} (2): how many reviewers must agree before a match is confirmed or rejected.</li>
 *   <li>{@code REELCARS_PUBLISH_TIMEOUT_MS} (15000): how long a decision waits for the broker's ack before 503.</li>
 *   <li>{@code REELCARS_RETRO_MATCH} (true): republish unidentified stills when a new reference arrives.</li>
 *   <li>{@code REELCARS_RETRO_MATCH_DELAY_MS} (5000): wait after a new reference before republishing, so identify has
 *       loaded it and a burst of references causes one resubmission.</li>
 *   <li>{@code REELCARS_RETRO_MATCH_PER_HOUR} (1000): most stills re-matched in an hour; each still is re-matched
 *       at most once per accepted reference.</li>
 *   <li>{@code REELCARS_BIND_ADDRESS} (127.0.0.1): the interface the page and API listen on.</li>
 *   <li>{@code REELCARS_WEBHOOKS} (none): comma-separated URLs that receive a JSON POST for each review event.</li>
 *   <li>{@code REELCARS_WEBHOOK_ATTEMPTS} (5) and {@code REELCARS_WEBHOOK_BACKOFF_MS} (500): delivery attempts per
 *       event and the first retry delay (doubled each time, at most 60 s).</li>
 *   <li>{@code REELCARS_SMTP_HOST} (none: no e-mail), {@code REELCARS_SMTP_PORT} (25), {@code REELCARS_MAIL_FROM}
 *       ({@code reelcars@localhost}), {@code REELCARS_MAIL_TO} (comma-separated; none: no e-mail).</li>
 *   <li>{@code REELCARS_DIGEST_MINUTES} (60): how often the digest e-mail is sent; 0 = only on request.</li>
 * </ul>
 */
public record NotifyConfig(
        Common common,
        int port,
        String ingestPublicUrl,
        boolean demoAccounts,
        int consensus,
        Duration publishTimeout,
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
    }

    public static NotifyConfig from(Settings s) {
        Common common = Common.from(s, "notify");
        AccountsConfig accountsConfig = AccountsConfig.from(s, common.dataDir());
        PasswordHasher hasher = new PasswordHasher(accountsConfig.passwordCost());
        List<Seed> seeds = new ArrayList<>();
        s.optional("REELCARS_ADMIN_PASSWORD").ifPresent(pw -> seeds.add(new Seed(
                requireName("REELCARS_ADMIN_NAME", s.string("REELCARS_ADMIN_NAME", "admin")),
                EnumSet.of(Role.ADMIN, Role.REVIEWER), hasher.hash(pw.toCharArray()), "setup")));
        seeds.addAll(parseAccounts("REELCARS_REVIEWERS", s.string("REELCARS_REVIEWERS", ""),
                EnumSet.of(Role.REVIEWER), hasher));
        seeds.addAll(parseAccounts("REELCARS_CONTRIBUTORS", s.string("REELCARS_CONTRIBUTORS", ""),
                EnumSet.of(Role.CONTRIBUTOR), hasher));
        boolean demo = s.bool("REELCARS_DEMO_ACCOUNTS", false);
        if (demo) {
            seeds.add(new Seed("demo", EnumSet.of(Role.ADMIN, Role.REVIEWER, Role.CONTRIBUTOR),
                    hasher.hash("demo".toCharArray()), DEMO));
            seeds.add(new Seed("contributor", EnumSet.of(Role.CONTRIBUTOR), hasher.hash("demo".toCharArray()), DEMO));
        }
        String ingest = s.string("REELCARS_INGEST_PUBLIC_URL", "http://localhost:8081");
        requireHttpUrl("REELCARS_INGEST_PUBLIC_URL", ingest);
        List<URI> hooks = new ArrayList<>();
        for (String url : split(s.string("REELCARS_WEBHOOKS", ""))) {
            requireHttpUrl("REELCARS_WEBHOOKS", url);
            hooks.add(URI.create(url));
        }
        Mail mail = new Mail(
                s.string("REELCARS_SMTP_HOST", ""),
                s.integer("REELCARS_SMTP_PORT", 25, 1, 65535),
                s.string("REELCARS_MAIL_FROM", "reelcars@localhost"),
                split(s.string("REELCARS_MAIL_TO", "")),
                Duration.ofMinutes(s.integer("REELCARS_DIGEST_MINUTES", 60, 0, 7 * 24 * 60)));
        return new NotifyConfig(
                common,
                s.integer("REELCARS_NOTIFY_PORT", 8080, 0, 65535),
                ingest.replaceAll("/+$", ""),
                demo,
                s.integer("REELCARS_CONSENSUS", 2, 1, 100),
                Duration.ofMillis(s.longValue("REELCARS_PUBLISH_TIMEOUT_MS", 15_000, 100, 120_000)),
                s.bool("REELCARS_RETRO_MATCH", true),
                Duration.ofMillis(s.longValue("REELCARS_RETRO_MATCH_DELAY_MS", 5_000, 0, 600_000)),
                s.integer("REELCARS_RETRO_MATCH_PER_HOUR", 1000, 0, 10_000_000),
                BindAddress.from(s),
                hooks,
                s.integer("REELCARS_WEBHOOK_ATTEMPTS", 5, 1, 20),
                Duration.ofMillis(s.longValue("REELCARS_WEBHOOK_BACKOFF_MS", 500, 1, 60_000)),
                mail,
                accountsConfig,
                seeds);
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
