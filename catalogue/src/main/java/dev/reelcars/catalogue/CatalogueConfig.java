package dev.reelcars.catalogue;

import dev.reelcars.accounts.AccountsConfig;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.CommonKeys;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.http.BindAddress;
import dev.reelcars.platform.http.RateLimit;
import java.time.Duration;
import java.util.Objects;

/**
 * The catalogue's settings, read once at start: its own ({@link CatalogueKeys}: port, whether it is public, replay
 * and publish timeouts, the edits' rate limit), the shared ones ({@link Common}, {@link AccountsConfig}, {@link BindAddress}) and the
 * consensus, which must be notify's so both count the same appearances.
 */
public record CatalogueConfig(Common common, int port, String bindAddress, boolean publicPages, int consensus,
        AccountsConfig accounts, Duration replayTimeout, Duration publishTimeout, RateLimit editRate) {

    public static final int DEFAULT_PORT = 8083;

    public CatalogueConfig {
        Objects.requireNonNull(common, "common");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(replayTimeout, "replayTimeout");
        Objects.requireNonNull(publishTimeout, "publishTimeout");
        Objects.requireNonNull(editRate, "editRate");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("REELCARS_CATALOGUE_PORT must be in 0..65535, got " + port);
        }
        if (consensus < 1) {
            throw new IllegalArgumentException("REELCARS_CONSENSUS must be at least 1, got " + consensus);
        }
    }

    public static CatalogueConfig from(Settings s) {
        Common common = Common.from(s, "catalogue");
        return from(s, common, AccountsConfig.from(s, common.dataDir()));
    }

    /** The catalogue's settings with the shared ones already made (the launcher's, for every service alike). */
    public static CatalogueConfig from(Settings s, Common common, AccountsConfig accounts) {
        return new CatalogueConfig(
                common,
                s.integer(CatalogueKeys.PORT, 0, 65535),
                BindAddress.from(s),
                s.bool(CatalogueKeys.PUBLIC),
                s.integer(CommonKeys.CONSENSUS, 1, 100),
                accounts,
                s.duration(CatalogueKeys.REPLAY_TIMEOUT, Duration.ofSeconds(1), Duration.ofHours(1)),
                s.duration(CatalogueKeys.PUBLISH_TIMEOUT, Duration.ofMillis(100), Duration.ofMinutes(2)),
                new RateLimit(s.integer(CatalogueKeys.EDIT_RATE_PER_MINUTE, 0, 1_000_000),
                        s.integer(CatalogueKeys.EDIT_RATE_BURST, 1, 1_000_000)));
    }

    /** These settings with another consensus (the launcher's demo, the same as notify's). */
    public CatalogueConfig withConsensus(int reviewers) {
        return new CatalogueConfig(common, port, bindAddress, publicPages, reviewers, accounts, replayTimeout,
                publishTimeout, editRate);
    }
}
