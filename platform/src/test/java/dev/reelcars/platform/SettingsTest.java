package dev.reelcars.platform;

import static java.time.temporal.ChronoUnit.MILLIS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Declared keys, their old names, durations in one style, and the warnings an operator gets at start. */
class SettingsTest {
    /** A group like a service's: one group per test class is enough, since declarations are per group. */
    static final Keys INGEST = new Keys("ingest");
    static final Key PORT = INGEST.key("REELCARS_INGEST_PORT", "8081", "HTTP port", Keys.was("INGEST_PORT"));
    static final Key TIMEOUT = INGEST.key("REELCARS_INGEST_PUBLISH_TIMEOUT", "10s", "ack wait",
            Keys.was("INGEST_PUBLISH_TIMEOUT_MS", MILLIS));
    static final Key MAX_IMAGE_BYTES = INGEST.key("REELCARS_INGEST_MAX_IMAGE_BYTES", "20971520", "largest image");
    static final Key DECODES = INGEST.computed("REELCARS_INGEST_MAX_CONCURRENT_DECODES", "number of cores", "decodes");
    static final List<Keys> KNOWN = List.of(CommonKeys.KEYS, INGEST);

    @Test
    void aDeprecatedNameIsStillReadAndTheWarningNamesTheNewKey() {
        Settings s = new Settings(Map.of("INGEST_PORT", "9001", "INGEST_PUBLISH_TIMEOUT_MS", "2500"));

        assertEquals(9001, s.integer(PORT, 0, 65535), "the old name's value is used");
        assertEquals(Duration.ofMillis(2500), s.duration(TIMEOUT, Duration.ZERO, Duration.ofMinutes(10)),
                "a bare number under an old _MS name means milliseconds");
        List<String> warnings = s.warnings("ingest", KNOWN);
        assertTrue(warnings.contains("INGEST_PORT is deprecated: rename it to REELCARS_INGEST_PORT"), warnings::toString);
        assertTrue(warnings.contains("INGEST_PUBLISH_TIMEOUT_MS is deprecated: rename it to "
                + "REELCARS_INGEST_PUBLISH_TIMEOUT=2500ms"), warnings::toString);
        assertEquals(2, warnings.size(), warnings::toString);
    }

    @Test
    void theNewKeyWinsOverItsOldNameAndTheWarningSaysSo() {
        Settings s = new Settings(Map.of("INGEST_PORT", "9001", "REELCARS_INGEST_PORT", "9002"));

        assertEquals(9002, s.integer(PORT, 0, 65535));
        assertEquals(List.of("INGEST_PORT is a deprecated name of REELCARS_INGEST_PORT, which is also set and wins; "
                + "remove INGEST_PORT"), s.warnings("ingest", KNOWN));
    }

    @Test
    void anUnknownReelcarsKeyIsWarnedAboutWithTheClosestKnownName() {
        Settings s = new Settings(Map.of("REELCARS_INGEST_PROT", "1", "REELCARS_PARTITONS", "6",
                "REELCARS_SOMETHING_ELSE_ENTIRELY", "x", "PATH", "/usr/bin"));

        List<String> warnings = s.warnings("ingest", KNOWN);

        assertEquals(List.of(
                "REELCARS_INGEST_PROT is set but ingest reads no such setting; did you mean REELCARS_INGEST_PORT?",
                "REELCARS_PARTITONS is set but ingest reads no such setting; did you mean REELCARS_PARTITIONS?",
                "REELCARS_SOMETHING_ELSE_ENTIRELY is set but ingest reads no such setting"), warnings,
                "typos get a suggestion, a far-off name none, and variables outside REELCARS_ are not reelcars' to judge");
    }

    @Test
    void aTypoOfAnOldNameSuggestsTheNewKeyAndAnotherServicesKeysAreLeftAlone() {
        Settings s = new Settings(Map.of("REELCARS_BLOB_DIRS", "/b", "REELCARS_NOTIFY_PORT", "8080"));

        assertEquals(List.of("REELCARS_BLOB_DIRS is set but ingest reads no such setting; did you mean "
                + "REELCARS_BLOB_STORE?"), s.warnings("ingest", KNOWN),
                "notify's key in a shared environment is not ingest's typo");
    }

    @Test
    void durationsAreWrittenWithTheirUnit() {
        Duration max = Duration.ofDays(30);
        assertEquals(Duration.ofSeconds(10), new Settings(Map.of()).duration(TIMEOUT, Duration.ZERO, max),
                "the declared default");
        assertEquals(Duration.ofMillis(500), read("500ms", max));
        assertEquals(Duration.ofSeconds(30), read("30s", max));
        assertEquals(Duration.ofMinutes(5), read("5m", max));
        assertEquals(Duration.ofHours(12), read("12h", max));
        assertEquals(Duration.ofDays(7), read("7d", max));
        assertEquals(Duration.ZERO, read("0", max), "zero needs no unit");
    }

    @Test
    void aBadDurationIsRefusedWithAMessageNamingTheKey() {
        for (String bad : new String[] {"10000", "10 s", "1.5h", "10sec", "-5s", "PT10S", "ten"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> read(bad, Duration.ofDays(1)), bad);
            assertEquals("REELCARS_INGEST_PUBLISH_TIMEOUT must be a duration with its unit, such as 500ms, 30s, 5m, "
                    + "12h or 7d, got '" + bad + "'", e.getMessage());
        }
        var range = assertThrows(IllegalArgumentException.class, () -> read("2h", Duration.ofHours(1)));
        assertEquals("REELCARS_INGEST_PUBLISH_TIMEOUT must be between 0 and 1h, got 2h", range.getMessage());
        var old = assertThrows(IllegalArgumentException.class, () -> new Settings(Map.of("INGEST_PUBLISH_TIMEOUT_MS",
                "soon")).duration(TIMEOUT, Duration.ZERO, Duration.ofHours(1)));
        assertTrue(old.getMessage().startsWith("INGEST_PUBLISH_TIMEOUT_MS (the old name of "
                + "REELCARS_INGEST_PUBLISH_TIMEOUT) must be a duration"), old.getMessage());
    }

    @Test
    void otherBadValuesNameTheKeyToo() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Settings(Map.of("REELCARS_INGEST_PORT", "http")).integer(PORT, 0, 65535));
        assertEquals("REELCARS_INGEST_PORT must be an integer, got 'http'", e.getMessage());
    }

    @Test
    void aDeclaredDefaultIsTheOnlyDefault() {
        Settings empty = new Settings(Map.of());
        assertEquals(8081, empty.integer(PORT, 0, 65535));
        assertEquals(20L << 20, empty.longValue(MAX_IMAGE_BYTES, 1, Long.MAX_VALUE));
        assertEquals(4, empty.integer(DECODES, 4, 1, 64), "a computed default comes from the code");
        assertThrows(IllegalStateException.class, () -> empty.integer(PORT, 9999, 0, 65535),
                "a second default in the code would let the README lie");
        assertThrows(IllegalStateException.class, () -> empty.integer(DECODES, 1, 64),
                "a computed default must be given");
    }

    @Test
    void keysAreNamedAfterTheirServiceAndDeclaredOnce() {
        Keys group = new Keys("notify");
        assertThrows(IllegalArgumentException.class, () -> group.key("REELCARS_PORT", "1", "x"),
                "a notify key is REELCARS_NOTIFY_…");
        assertThrows(IllegalArgumentException.class, () -> new Keys(Keys.SHARED).key("REELCARS_NOTIFY_X", "1", "x"),
                "a shared key carries no service's name");
        group.key("REELCARS_NOTIFY_X", "1", "x");
        assertThrows(IllegalArgumentException.class, () -> group.key("REELCARS_NOTIFY_X", "2", "y"));
        assertThrows(IllegalArgumentException.class, () -> new Keys("ingset"), "services are a known list");
    }

    @Test
    void theTableListsEveryKeyWithDefaultMeaningAndOldName() {
        String table = SettingsTable.markdown(INGEST);
        assertTrue(table.contains("| `REELCARS_INGEST_PUBLISH_TIMEOUT` | `10s` | ack wait | "
                + "`INGEST_PUBLISH_TIMEOUT_MS` (millis) |"), table);
        assertTrue(table.contains("| `REELCARS_INGEST_MAX_CONCURRENT_DECODES` | number of cores | decodes |  |"), table);
        assertFalse(SettingsTable.markdown(List.of(CommonKeys.KEYS)).contains("INGEST"));
    }

    @Test
    void formatsDurationsInTheLargestExactUnit() {
        assertEquals("15s", Settings.format(Duration.ofMillis(15_000)));
        assertEquals("1500ms", Settings.format(Duration.ofMillis(1500)));
        assertEquals("2h", Settings.format(Duration.ofMinutes(120)));
        assertEquals("0", Settings.format(Duration.ZERO));
    }

    private static Duration read(String value, Duration max) {
        return new Settings(Map.of("REELCARS_INGEST_PUBLISH_TIMEOUT", value)).duration(TIMEOUT, Duration.ZERO, max);
    }
}
