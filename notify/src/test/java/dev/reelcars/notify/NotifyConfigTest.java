package dev.reelcars.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.accounts.PasswordHasher;
import dev.reelcars.accounts.Role;
import dev.reelcars.platform.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifyConfigTest {

    @Test
    void configuredAccountsAreSeedsWithArgon2HashesOnly() {
        NotifyConfig c = NotifyConfig.from(new Settings(Map.of("REELCARS_NOTIFY_REVIEWERS", "alice:s3cret-pw",
                "REELCARS_NOTIFY_ADMIN_PASSWORD", "admin-s3cret-pw", "REELCARS_CONSENSUS", "1",
                "REELCARS_PASSWORD_MEMORY_KIB", "64", "REELCARS_TOKEN_SECRET", SECRET)));
        assertFalse(c.demoAccounts());
        assertEquals(2, c.seeds().size());
        NotifyConfig.Seed admin = c.seeds().get(0);
        assertEquals("admin", admin.name());
        assertEquals(java.util.Set.of(Role.ADMIN, Role.REVIEWER), admin.roles());
        NotifyConfig.Seed alice = c.seeds().get(1);
        PasswordHasher hasher = new PasswordHasher(new PasswordHasher.Cost(64, 1, 1));
        assertTrue(alice.passwordHash().startsWith("$argon2id$"), alice.passwordHash());
        assertTrue(hasher.verify(alice.passwordHash(), "s3cret-pw".toCharArray()));
        assertFalse(hasher.verify(alice.passwordHash(), "wrong".toCharArray()));
        assertFalse(alice.passwordHash().contains("s3cret-pw"));
        assertFalse(c.toString().contains("s3cret-pw"), c.toString());
        assertEquals(1, c.consensus());
    }

    @Test
    void demoAccountsExistOnlyWhenTheLauncherAsksNotThroughTheEnvironment() {
        NotifyConfig off = NotifyConfig.from(new Settings(Map.of("REELCARS_TOKEN_SECRET", SECRET,
                "REELCARS_PASSWORD_MEMORY_KIB", "64", "REELCARS_DEMO_ACCOUNTS", "true")));
        NotifyConfig on = off.withDemoAccounts();
        assertTrue(off.seeds().isEmpty(), "notify alone never makes demo accounts, whatever the environment says");
        assertFalse(off.demoAccounts());
        assertTrue(on.demoAccounts());
        assertEquals(java.util.List.of("demo", "contributor"), on.seeds().stream().map(NotifyConfig.Seed::name)
                .toList());
    }

    @Test
    void oldNamesStillCountAndDurationsCarryTheirUnit() {
        NotifyConfig c = NotifyConfig.from(new Settings(Map.of("REELCARS_TOKEN_SECRET", SECRET,
                "REELCARS_PASSWORD_MEMORY_KIB", "64", "REELCARS_RETRO_MATCH_DELAY_MS", "250",
                "REELCARS_NOTIFY_PUBLISH_TIMEOUT", "3s", "REELCARS_DIGEST_MINUTES", "90")));
        assertEquals(java.time.Duration.ofMillis(250), c.retroMatchDelay(), "old _MS name: bare milliseconds");
        assertEquals(java.time.Duration.ofSeconds(3), c.publishTimeout());
        assertEquals(java.time.Duration.ofMinutes(90), c.mail().digestEvery(), "old _MINUTES name: bare minutes");
        var e = assertThrows(IllegalArgumentException.class, () -> NotifyConfig.from(new Settings(Map.of(
                "REELCARS_TOKEN_SECRET", SECRET, "REELCARS_NOTIFY_WEBHOOK_BACKOFF", "500"))));
        assertTrue(e.getMessage().startsWith("REELCARS_NOTIFY_WEBHOOK_BACKOFF must be a duration with its unit"),
                e.getMessage());
    }

    private static final String SECRET = java.util.Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void refusesBadValuesWithAMessageThatNeverEchoesAPassword() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> NotifyConfig.from(new Settings(Map.of("REELCARS_NOTIFY_REVIEWERS", "alice-no-colon-s3cret",
                        "REELCARS_TOKEN_SECRET", SECRET))));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> NotifyConfig.from(new Settings(Map.of("REELCARS_CONSENSUS", "0", "REELCARS_TOKEN_SECRET", SECRET))));
        assertThrows(IllegalArgumentException.class,
                () -> NotifyConfig.from(new Settings(Map.of("REELCARS_NOTIFY_WEBHOOKS", "ftp://x", "REELCARS_TOKEN_SECRET", SECRET))));
        assertThrows(IllegalArgumentException.class,
                () -> NotifyConfig.from(new Settings(Map.of("REELCARS_NOTIFY_INGEST_PUBLIC_URL", "not a url", "REELCARS_TOKEN_SECRET", SECRET))));
    }
}
