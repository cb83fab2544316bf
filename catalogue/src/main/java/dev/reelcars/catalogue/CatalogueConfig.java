package dev.reelcars.catalogue;

import dev.reelcars.accounts.AccountsConfig;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.http.BindAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The catalogue's settings, read once at start. Besides the shared ones ({@link Common}, {@link AccountsConfig},
 * {@link BindAddress}):
 * <ul>
 *   <li>{@code REELCARS_CATALOGUE_PORT} (8083; 0 = a free port): the pages and the API;</li>
 *   <li>{@code REELCARS_CATALOGUE_PUBLIC} (true): whether anyone may read the catalogue; false makes pages, API and
 *       images answer only to a signed-in account (the workbench's sign-in, any role);</li>
 *   <li>{@code REELCARS_CONSENSUS} (2): how many reviewers must agree before an identification is confirmed; the
 *       same setting as notify's, so both count the same appearances;</li>
 *   <li>{@code REELCARS_CATALOGUE_REPLAY_TIMEOUT_MS} (120000): how long start waits for the topics to be read before
 *       it gives up;</li>
 *   <li>{@code REELCARS_CATALOGUE_PUBLISH_TIMEOUT_MS} (10000): how long a reviewer's edit waits for Kafka's
 *       acknowledgement before it is answered 503.</li>
 * </ul>
 */
public record CatalogueConfig(Common common, int port, String bindAddress, boolean publicPages, int consensus,
        AccountsConfig accounts, Duration replayTimeout, Duration publishTimeout) {

    public static final int DEFAULT_PORT = 8083;

    public CatalogueConfig {
        Objects.requireNonNull(common, "common");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(replayTimeout, "replayTimeout");
        Objects.requireNonNull(publishTimeout, "publishTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("REELCARS_CATALOGUE_PORT must be in 0..65535, got " + port);
        }
        if (consensus < 1) {
            throw new IllegalArgumentException("REELCARS_CONSENSUS must be at least 1, got " + consensus);
        }
    }

    public static CatalogueConfig from(Settings s) {
        Common common = Common.from(s, "catalogue");
        return new CatalogueConfig(
                common,
                s.integer("REELCARS_CATALOGUE_PORT", DEFAULT_PORT, 0, 65535),
                BindAddress.from(s),
                s.bool("REELCARS_CATALOGUE_PUBLIC", true),
                s.integer("REELCARS_CONSENSUS", 2, 1, 100),
                AccountsConfig.from(s, common.dataDir()),
                Duration.ofMillis(s.longValue("REELCARS_CATALOGUE_REPLAY_TIMEOUT_MS", 120_000, 1_000, 3_600_000)),
                Duration.ofMillis(s.longValue("REELCARS_CATALOGUE_PUBLISH_TIMEOUT_MS", 10_000, 100, 120_000)));
    }
}
