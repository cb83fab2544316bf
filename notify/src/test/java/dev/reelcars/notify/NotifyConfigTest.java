package dev.reelcars.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.contracts.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifyConfigTest {

    @Test
    void withoutConfiguredReviewersTheDemoReviewerWorksOutOfTheBox() {
        NotifyConfig c = NotifyConfig.from(new Settings(Map.of()));
        assertTrue(c.demoReviewer());
        assertEquals(8080, c.port());
        assertEquals(2, c.consensus());
        assertEquals("http://localhost:8081", c.ingestPublicUrl());
        Account demo = c.accounts().get(0);
        assertEquals("demo", demo.name());
        assertTrue(demo.matches("demo".toCharArray()));
    }

    @Test
    void configuredReviewersTurnTheDemoReviewerOffAndKeepOnlyHashes() {
        NotifyConfig c = NotifyConfig.from(new Settings(Map.of("REELCARS_REVIEWERS", "alice:s3cret-pw",
                "REELCARS_CONSENSUS", "1")));
        assertFalse(c.demoReviewer());
        assertEquals(1, c.accounts().size());
        Account alice = c.accounts().get(0);
        assertTrue(alice.matches("s3cret-pw".toCharArray()));
        assertFalse(alice.matches("wrong".toCharArray()));
        assertFalse(new String(alice.hash(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("s3cret-pw"));
        assertFalse(c.toString().contains("s3cret-pw"), c.toString());
        assertEquals(1, c.consensus());
    }

    @Test
    void theDemoReviewerCanBeTurnedOff() {
        NotifyConfig c = NotifyConfig.from(new Settings(Map.of("REELCARS_DEMO_REVIEWER", "false")));
        assertTrue(c.accounts().isEmpty());
    }

    @Test
    void refusesBadValuesWithAMessageThatNeverEchoesAPassword() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> NotifyConfig.from(new Settings(Map.of("REELCARS_REVIEWERS", "alice-no-colon-s3cret"))));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> NotifyConfig.from(new Settings(Map.of("REELCARS_CONSENSUS", "0"))));
        assertThrows(IllegalArgumentException.class,
                () -> NotifyConfig.from(new Settings(Map.of("REELCARS_WEBHOOKS", "ftp://x"))));
        assertThrows(IllegalArgumentException.class,
                () -> NotifyConfig.from(new Settings(Map.of("REELCARS_INGEST_PUBLIC_URL", "not a url"))));
    }
}
