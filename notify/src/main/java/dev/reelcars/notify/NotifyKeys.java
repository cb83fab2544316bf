package dev.reelcars.notify;

import static java.time.temporal.ChronoUnit.MILLIS;
import static java.time.temporal.ChronoUnit.MINUTES;

import dev.reelcars.accounts.AccountsKeys;
import dev.reelcars.platform.CommonKeys;
import dev.reelcars.platform.Key;
import dev.reelcars.platform.Keys;
import java.util.List;

/** notify's own settings ({@link NotifyConfig}); a new one is one more constant here. */
public final class NotifyKeys {
    public static final Keys KEYS = new Keys("notify");

    public static final Key PORT = KEYS.key("REELCARS_NOTIFY_PORT", "8080",
            "HTTP port of the reviewers' page and API; `0` picks a free one");
    public static final Key INGEST_PUBLIC_URL = KEYS.key("REELCARS_NOTIFY_INGEST_PUBLIC_URL", "http://localhost:8081",
            "ingest as the *browser* sees it: the page's upload form posts there (also allowed in the page's CSP)",
            Keys.was("REELCARS_INGEST_PUBLIC_URL"));
    public static final Key ADMIN_NAME = KEYS.key("REELCARS_NOTIFY_ADMIN_NAME", "admin",
            "name of the first admin (also a reviewer), created at start when missing",
            Keys.was("REELCARS_ADMIN_NAME"));
    public static final Key ADMIN_PASSWORD = KEYS.unset("REELCARS_NOTIFY_ADMIN_PASSWORD",
            "the first admin's password; unset: no admin is created", Keys.was("REELCARS_ADMIN_PASSWORD"));
    public static final Key REVIEWERS = KEYS.unset("REELCARS_NOTIFY_REVIEWERS",
            "`name:password,...` of reviewers created at start if missing (hashed at load; plain text is never "
                    + "kept or logged)", Keys.was("REELCARS_REVIEWERS"));
    public static final Key CONTRIBUTORS = KEYS.unset("REELCARS_NOTIFY_CONTRIBUTORS",
            "`name:password,...` of contributors created at start if missing", Keys.was("REELCARS_CONTRIBUTORS"));
    public static final Key PUBLISH_TIMEOUT = KEYS.key("REELCARS_NOTIFY_PUBLISH_TIMEOUT", "15s",
            "how long a decision waits for the broker's acknowledgement before answering 503",
            Keys.was("REELCARS_PUBLISH_TIMEOUT_MS", MILLIS));
    public static final Key WRITE_RATE_PER_MINUTE = KEYS.key("REELCARS_NOTIFY_WRITE_RATE_PER_MINUTE", "120",
            "reviewers' writes a minute per account (decisions, undo, reopen, proposal votes, relabels, retirements, "
                    + "the digest), checked before the body is read; over it: 429 `rate-limited` + `Retry-After`, "
                    + "nothing published; `0` turns the limit off");
    public static final Key WRITE_RATE_BURST = KEYS.key("REELCARS_NOTIFY_WRITE_RATE_BURST", "30",
            "reviewers' writes allowed at once before the rate applies (a keyboard walk through the queue at one "
                    + "decision a second stays under both)");
    public static final Key RETRO_MATCH = KEYS.key("REELCARS_NOTIFY_RETRO_MATCH", "true",
            "republish unidentified stills when a reference is accepted", Keys.was("REELCARS_RETRO_MATCH"));
    public static final Key RETRO_MATCH_DELAY = KEYS.key("REELCARS_NOTIFY_RETRO_MATCH_DELAY", "5s",
            "wait after a new reference before republishing (identify loads it first; a burst of references gives "
                    + "one resubmission)", Keys.was("REELCARS_RETRO_MATCH_DELAY_MS", MILLIS));
    public static final Key RETRO_MATCH_PER_HOUR = KEYS.key("REELCARS_NOTIFY_RETRO_MATCH_PER_HOUR", "1000",
            "most stills re-matched in an hour; each still at most once per accepted reference",
            Keys.was("REELCARS_RETRO_MATCH_PER_HOUR"));
    public static final Key WEBHOOKS = KEYS.unset("REELCARS_NOTIFY_WEBHOOKS",
            "comma-separated http(s) URLs; each gets a JSON POST per review event", Keys.was("REELCARS_WEBHOOKS"));
    public static final Key WEBHOOK_ATTEMPTS = KEYS.key("REELCARS_NOTIFY_WEBHOOK_ATTEMPTS", "5",
            "delivery attempts per event and URL", Keys.was("REELCARS_WEBHOOK_ATTEMPTS"));
    public static final Key WEBHOOK_BACKOFF = KEYS.key("REELCARS_NOTIFY_WEBHOOK_BACKOFF", "500ms",
            "first retry delay, doubled per attempt, at most 60 s", Keys.was("REELCARS_WEBHOOK_BACKOFF_MS", MILLIS));
    public static final Key SMTP_HOST = KEYS.unset("REELCARS_NOTIFY_SMTP_HOST",
            "SMTP server of the digest e-mail; unset: no e-mail", Keys.was("REELCARS_SMTP_HOST"));
    public static final Key SMTP_PORT = KEYS.key("REELCARS_NOTIFY_SMTP_PORT", "25", "its port (plain SMTP, no auth)",
            Keys.was("REELCARS_SMTP_PORT"));
    public static final Key MAIL_FROM = KEYS.key("REELCARS_NOTIFY_MAIL_FROM", "reelcars@localhost",
            "sender of the digest", Keys.was("REELCARS_MAIL_FROM"));
    public static final Key MAIL_TO = KEYS.unset("REELCARS_NOTIFY_MAIL_TO",
            "comma-separated recipients of the digest; unset: no e-mail", Keys.was("REELCARS_MAIL_TO"));
    public static final Key DIGEST_INTERVAL = KEYS.key("REELCARS_NOTIFY_DIGEST_INTERVAL", "1h",
            "how often the digest e-mail is sent; `0`: only on `POST /api/digest`",
            Keys.was("REELCARS_DIGEST_MINUTES", MINUTES));

    private NotifyKeys() {
    }

    /** Every key notify reads: its own, the shared ones and the accounts'. */
    public static List<Keys> all() {
        return List.of(CommonKeys.KEYS, AccountsKeys.KEYS, KEYS);
    }
}
