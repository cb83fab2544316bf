package dev.reelcars.platform;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The README's table of settings, rendered from the declared {@link Keys}: the top-level README holds every key,
 * each module's README its own; launcher's {@code SettingsTableTest} checks that the files say what the code
 * declares.
 */
public final class SettingsTable {
    private SettingsTable() {
    }

    /** Every key of {@code groups}, with the service that reads it. */
    public static String markdown(Collection<Keys> groups) {
        StringBuilder out = new StringBuilder("| key | service | default | meaning | deprecated name |\n"
                + "|---|---|---|---|---|\n");
        for (Keys group : groups) {
            for (Key key : group.all()) {
                out.append("| `").append(key.name()).append("` | ").append(key.service()).append(" | ")
                        .append(cell(key.defaultText())).append(" | ").append(cell(key.meaning())).append(" | ")
                        .append(aliases(key)).append(" |\n");
            }
        }
        return out.toString();
    }

    /** One group's keys, for its module's README. */
    public static String markdown(Keys group) {
        StringBuilder out = new StringBuilder("| key | default | meaning | deprecated name |\n|---|---|---|---|\n");
        for (Key key : group.all()) {
            out.append("| `").append(key.name()).append("` | ").append(cell(key.defaultText())).append(" | ")
                    .append(cell(key.meaning())).append(" | ").append(aliases(key)).append(" |\n");
        }
        return out.toString();
    }

    private static String aliases(Key key) {
        return key.aliases().stream().map(a -> "`" + a.name() + "`"
                + (a.bareUnit() == null ? "" : " (" + a.bareUnit().toString().toLowerCase() + ")"))
                .collect(Collectors.joining(", "));
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
