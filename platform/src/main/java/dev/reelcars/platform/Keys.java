package dev.reelcars.platform;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The settings one module declares: each key once, with its default, its meaning and its old names. A module keeps
 * its group in one class of constants (e.g. {@code IngestKeys}); its config record reads them through
 * {@link Settings}, and the README tables are rendered from the groups ({@link SettingsTable}).
 *
 * <pre>{@code
 * public static final Keys KEYS = new Keys("ingest");
 * public static final Key PORT = KEYS.key("REELCARS_INGEST_PORT", "8081", "HTTP port; `0` picks a free one",
 *         Keys.was("INGEST_PORT"));
 * }</pre>
 *
 * A group's keys are named {@code REELCARS_<SERVICE>_…}; the shared group's ({@code all}) are {@code REELCARS_…}
 * without a service's name. Durations are written {@code 500ms}, {@code 30s}, {@code 5m}, {@code 12h}, {@code 7d}.
 */
public final class Keys {
    /** Every service, so a service alone knows that another's {@code REELCARS_<SERVICE>_…} keys are not typos. */
    public static final Set<String> SERVICES = Set.of("ingest", "identify", "notify", "catalogue", "launcher");
    /** The label of keys every service reads. */
    public static final String SHARED = "all";

    private final String service;
    private final String readBy;
    private final List<Key> keys;

    public Keys(String service) {
        this(service, service, new ArrayList<>());
        if (!service.equals(SHARED) && !SERVICES.contains(service)) {
            throw new IllegalArgumentException("unknown service " + service + "; add it to Keys.SERVICES");
        }
    }

    private Keys(String service, String readBy, List<Key> keys) {
        this.service = service;
        this.readBy = readBy;
        this.keys = keys;
    }

    /** An old name of a key. */
    public static Key.Alias was(String oldName) {
        return new Key.Alias(oldName, null);
    }

    /** An old name of a duration, under which a bare number meant {@code unit} ({@code _MS}: milliseconds). */
    public static Key.Alias was(String oldName, ChronoUnit unit) {
        return new Key.Alias(oldName, unit);
    }

    /** The same group, its next keys shown as read by {@code services} (a shared key only some services read). */
    public Keys readBy(String services) {
        return new Keys(service, services, keys);
    }

    /** A key with a default, written as the environment would spell it ({@code "8081"}, {@code "10s"}, {@code "true"}). */
    public Key key(String name, String defaultValue, String meaning, Key.Alias... was) {
        return add(name, defaultValue, "`" + defaultValue + "`", meaning, was);
    }

    /** A key with no default: unset unless the environment sets it. */
    public Key unset(String name, String meaning, Key.Alias... was) {
        return add(name, "", "unset", meaning, was);
    }

    /** A key whose default is worked out at start (described by {@code defaultText}); read with a fallback. */
    public Key computed(String name, String defaultText, String meaning, Key.Alias... was) {
        return add(name, null, defaultText, meaning, was);
    }

    /** A variable the platform sets, not reelcars (e.g. {@code HOSTNAME}): exempt from the naming scheme. */
    public Key external(String name, String defaultValue, String meaning) {
        Key key = new Key(name, readBy, defaultValue, "`" + defaultValue + "`", meaning, List.of());
        register(key);
        return key;
    }

    private Key add(String name, String defaultValue, String defaultText, String meaning, Key.Alias... was) {
        String prefix = service.equals(SHARED) ? "REELCARS_" : "REELCARS_" + service.toUpperCase(Locale.ROOT) + "_";
        if (!name.startsWith(prefix) || !name.matches("[A-Z0-9_]+")) {
            throw new IllegalArgumentException(name + ": a key of " + service + " is named " + prefix + "…");
        }
        if (service.equals(SHARED)) {
            for (String other : SERVICES) {
                if (name.startsWith("REELCARS_" + other.toUpperCase(Locale.ROOT) + "_")) {
                    throw new IllegalArgumentException(name + ": a shared key must not carry a service's name");
                }
            }
        }
        Key key = new Key(name, readBy, defaultValue, defaultText, meaning, Arrays.asList(was));
        register(key);
        return key;
    }

    private void register(Key key) {
        for (Key k : keys) {
            if (k.name().equals(key.name())) {
                throw new IllegalArgumentException(key.name() + " is declared twice");
            }
        }
        keys.add(key);
    }

    /** The service these keys belong to ({@code all}: shared). */
    public String service() {
        return service;
    }

    /** The keys in declaration order. */
    public List<Key> all() {
        return List.copyOf(keys);
    }
}
