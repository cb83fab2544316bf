package dev.reelcars.catalogue;

import static java.time.temporal.ChronoUnit.MILLIS;

import dev.reelcars.accounts.AccountsKeys;
import dev.reelcars.platform.CommonKeys;
import dev.reelcars.platform.Key;
import dev.reelcars.platform.Keys;
import java.util.List;

/** The catalogue's own settings ({@link CatalogueConfig}); a new one is one more constant here. */
public final class CatalogueKeys {
    public static final Keys KEYS = new Keys("catalogue");

    public static final Key PORT = KEYS.key("REELCARS_CATALOGUE_PORT", String.valueOf(CatalogueConfig.DEFAULT_PORT),
            "the pages and the API; `0` picks a free one");
    public static final Key PUBLIC = KEYS.key("REELCARS_CATALOGUE_PUBLIC", "true",
            "whether anyone may read the catalogue; `false`: pages, API and images answer only signed-in accounts "
                    + "(any role)");
    public static final Key REPLAY_TIMEOUT = KEYS.key("REELCARS_CATALOGUE_REPLAY_TIMEOUT", "2m",
            "how long start waits for the topics to be read", Keys.was("REELCARS_CATALOGUE_REPLAY_TIMEOUT_MS", MILLIS));
    public static final Key PUBLISH_TIMEOUT = KEYS.key("REELCARS_CATALOGUE_PUBLISH_TIMEOUT", "10s",
            "how long a reviewer's edit (or a thumbnail's record) waits for Kafka's acknowledgement; then 503 with "
                    + "`Retry-After` and nothing is published",
            Keys.was("REELCARS_CATALOGUE_PUBLISH_TIMEOUT_MS", MILLIS));

    public static final Key EDIT_RATE_PER_MINUTE = KEYS.key("REELCARS_CATALOGUE_EDIT_RATE_PER_MINUTE", "60",
            "reviewers' edits and undos a minute per account, checked before the body is read; over it: 429 "
                    + "`rate-limited` + `Retry-After`, nothing published; `0` turns the limit off");
    public static final Key EDIT_RATE_BURST = KEYS.key("REELCARS_CATALOGUE_EDIT_RATE_BURST", "20",
            "edits allowed at once before the rate applies");

    private CatalogueKeys() {
    }

    /** Every key the catalogue reads: its own, the shared ones and the accounts'. */
    public static List<Keys> all() {
        return List.of(CommonKeys.KEYS, AccountsKeys.KEYS, KEYS);
    }
}
