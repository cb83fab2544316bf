package dev.reelcars.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.accounts.AccountsKeys;
import dev.reelcars.catalogue.CatalogueConfig;
import dev.reelcars.catalogue.CatalogueKeys;
import dev.reelcars.identify.service.IdentifyConfig;
import dev.reelcars.identify.service.IdentifyKeys;
import dev.reelcars.ingest.IngestConfig;
import dev.reelcars.ingest.IngestKeys;
import dev.reelcars.notify.NotifyConfig;
import dev.reelcars.notify.NotifyKeys;
import dev.reelcars.platform.CommonKeys;
import dev.reelcars.platform.Key;
import dev.reelcars.platform.Keys;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.SettingsTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The READMEs' settings tables say what the code declares: the top-level README lists every key of the stack, each
 * module's README its own, and every declared key is read by some service. A table that differs fails with the keys
 * missing or extra; {@code mvn -o -pl launcher -am verify -Dtest=SettingsTableTest -Dreelcars.writeReadme=true
 * -Dsurefire.failIfNoSpecifiedTests=false} rewrites the tables from the code.
 */
class SettingsTableTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String BEGIN = "<!-- settings: generated from the code's Keys, checked by SettingsTableTest -->\n";
    static final String END = "<!-- end of settings -->";
    static final Pattern ROW_KEY = Pattern.compile("(?m)^\\| `([A-Z0-9_]+)` \\|");

    /** Each README and the table it holds. */
    static Map<Path, String> expected() {
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(ROOT.resolve("README.md"), SettingsTable.markdown(LauncherKeys.all()));
        files.put(ROOT.resolve("platform/README.md"), SettingsTable.markdown(CommonKeys.KEYS));
        files.put(ROOT.resolve("accounts/README.md"), SettingsTable.markdown(AccountsKeys.KEYS));
        files.put(ROOT.resolve("ingest/README.md"), SettingsTable.markdown(IngestKeys.KEYS));
        files.put(ROOT.resolve("identify/README.md"), SettingsTable.markdown(IdentifyKeys.KEYS));
        files.put(ROOT.resolve("notify/README.md"), SettingsTable.markdown(NotifyKeys.KEYS));
        files.put(ROOT.resolve("catalogue/README.md"), SettingsTable.markdown(CatalogueKeys.KEYS));
        files.put(ROOT.resolve("launcher/README.md"), SettingsTable.markdown(LauncherKeys.KEYS));
        return files;
    }

    @Test
    void everyReadmeTableListsExactlyTheKeysTheCodeDeclares() throws IOException {
        boolean write = Boolean.getBoolean("reelcars.writeReadme");
        for (var e : expected().entrySet()) {
            String text = Files.readString(e.getKey());
            int begin = text.indexOf(BEGIN);
            int end = text.indexOf(END, begin);
            assertTrue(begin >= 0 && end > begin, e.getKey() + " holds a settings table between its markers");
            String table = text.substring(begin + BEGIN.length(), end);
            if (write) {
                Files.writeString(e.getKey(), text.substring(0, begin + BEGIN.length()) + e.getValue()
                        + text.substring(end));
                continue;
            }
            Set<String> missing = keys(e.getValue());
            missing.removeAll(keys(table));
            Set<String> extra = keys(table);
            extra.removeAll(keys(e.getValue()));
            assertEquals(Set.of(), missing, ROOT.relativize(e.getKey()) + " lacks declared keys");
            assertEquals(Set.of(), extra, ROOT.relativize(e.getKey()) + " lists keys the code does not declare");
            assertEquals(e.getValue(), table, ROOT.relativize(e.getKey())
                    + ": a default, meaning or old name differs from the declaration");
        }
    }

    @Test
    void everyDeclaredKeyIsReadBySomeServiceAndDeclaredOnce() {
        // Given settings that take every branch: an S3 store, a first admin (whose name is then read)
        Map<String, String> env = new HashMap<>();
        env.put("REELCARS_BLOB_STORE", "s3://bucket/prefix");
        env.put("REELCARS_S3_ENDPOINT", "http://localhost:9000");
        env.put("REELCARS_S3_ACCESS_KEY", "access");
        env.put("REELCARS_S3_SECRET_KEY", "secret");
        env.put("REELCARS_NOTIFY_ADMIN_PASSWORD", "a-long-admin-password");
        env.put("REELCARS_PASSWORD_MEMORY_KIB", "64");
        env.put("REELCARS_TOKEN_SECRET", Base64.getEncoder().encodeToString(new byte[32]));
        Settings s = new Settings(env);
        // When every service and the launcher read their configuration
        IngestConfig.from(s);
        IdentifyConfig.from(s);
        NotifyConfig.from(s);
        CatalogueConfig.from(s);
        LauncherConfig.from(s);
        // Then every declared key was read (only compose's own are for compose), and no name is declared twice
        Set<String> unread = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        for (Keys group : LauncherKeys.all()) {
            for (Key key : group.all()) {
                assertTrue(names.add(key.name()), key.name() + " is declared twice");
                key.aliases().forEach(a -> assertTrue(names.add(a.name()), a.name() + " is declared twice"));
                if (group != LauncherKeys.COMPOSE && !s.keysRead().contains(key.name())) {
                    unread.add(key.name());
                }
            }
        }
        assertEquals(Set.of(), unread, "declared keys no service reads");
    }

    private static Set<String> keys(String table) {
        Set<String> out = new TreeSet<>();
        Matcher m = ROW_KEY.matcher(table);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
