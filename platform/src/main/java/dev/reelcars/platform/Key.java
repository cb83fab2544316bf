package dev.reelcars.platform;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One setting, as its module declares it in a {@link Keys} group: its name, who reads it, its default, what it
 * means, and the names it had before. Only {@link Keys} makes keys, so every key {@link Settings} reads is declared,
 * and the README's settings table is rendered from the declarations ({@link SettingsTable}).
 */
public final class Key {
    private final String name;
    private final String service;
    private final String defaultValue;
    private final String defaultText;
    private final String meaning;
    private final List<Alias> aliases;

    Key(String name, String service, String defaultValue, String defaultText, String meaning, List<Alias> aliases) {
        this.name = Objects.requireNonNull(name, "name");
        this.service = Objects.requireNonNull(service, "service");
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.meaning = Objects.requireNonNull(meaning, "meaning");
        this.aliases = List.copyOf(aliases);
    }

    /**
     * A name this key had before, still read (with a warning at start) while the new name is unset.
     *
     * @param bareUnit for a duration: the unit a bare number under the old name meant (the old names carried it:
     *     {@code _MS}, {@code _SECONDS}, …); null for other keys
     */
    public record Alias(String name, ChronoUnit bareUnit) {
        public Alias {
            Objects.requireNonNull(name, "name");
        }
    }

    public String name() {
        return name;
    }

    /** Which service reads it ({@code all} for the shared keys). */
    public String service() {
        return service;
    }

    /** The declared default, as the environment would spell it; empty when it is computed at start. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The default as the README shows it: the value, {@code unset}, or how it is computed. */
    public String defaultText() {
        return defaultText;
    }

    public String meaning() {
        return meaning;
    }

    /** Older names, the newest first. */
    public List<Alias> aliases() {
        return aliases;
    }

    /** Whether the default is worked out at start ({@link Settings}' reads with a fallback) instead of declared. */
    public boolean computed() {
        return defaultValue == null;
    }

    @Override
    public String toString() {
        return name;
    }
}
