package dev.reelcars.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads configuration once, at the edge (environment variables, or a map in tests), through declared {@link Key}s:
 * each read takes its default from the declaration, falls back to the key's old names, and fails with a message
 * naming the key for every bad value. Services turn it into their own immutable config record; the launcher hands
 * the records on, it never rewrites the environment.
 */
public final class Settings {
    private static final Logger log = LoggerFactory.getLogger(Settings.class);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
    private static final Pattern BARE = Pattern.compile("\\d{1,12}");

    private final Map<String, String> source;
    /** Every key asked for, so a test can check that a deployment file sets only keys the code reads. */
    private final Set<String> keysRead = ConcurrentHashMap.newKeySet();

    public Settings(Map<String, String> source) {
        this.source = Map.copyOf(source);
    }

    /** The process environment, without looking at its keys (tools and tests). */
    public static Settings fromEnvironment() {
        return new Settings(System.getenv());
    }

    /**
     * The process environment, after logging once what an operator should mend in it: old names still in use and
     * {@code REELCARS_} keys that {@code program} does not read ({@link #warnings}).
     */
    public static Settings fromEnvironment(String program, Collection<Keys> known) {
        Settings settings = fromEnvironment();
        settings.warnings(program, known).forEach(log::warn);
        return settings;
    }

    /** The names of the keys the code has asked for so far. */
    public Set<String> keysRead() {
        return Set.copyOf(keysRead);
    }

    /**
     * What is wrong with the keys themselves: each old name in use, naming its new key (and whether the new one,
     * also set, wins), and each {@code REELCARS_…} key none of {@code known} declares, with the closest known name.
     * Another service's {@code REELCARS_<SERVICE>_…} keys are left alone (one environment may serve several).
     */
    public List<String> warnings(String program, Collection<Keys> known) {
        Map<String, Key> byName = new HashMap<>();
        Map<String, Key> byOldName = new HashMap<>();
        Set<String> services = new java.util.HashSet<>();
        for (Keys group : known) {
            services.add(group.service());
            for (Key key : group.all()) {
                byName.put(key.name(), key);
                key.aliases().forEach(a -> byOldName.put(a.name(), key));
            }
        }
        List<String> out = new ArrayList<>();
        for (String name : new TreeMap<>(source).keySet()) {
            Key renamed = byOldName.get(name);
            if (renamed != null && !byName.containsKey(name)) {
                out.add(isSet(renamed.name())
                        ? name + " is a deprecated name of " + renamed.name() + ", which is also set and wins; remove "
                                + name
                        : name + " is deprecated: rename it to " + renamed.name() + hint(renamed, name, source.get(name)));
            } else if (name.startsWith("REELCARS_") && !byName.containsKey(name) && !otherService(name, services)) {
                String closest = closest(name, byName.keySet(), byOldName);
                out.add(name + " is set but " + program + " reads no such setting"
                        + (closest == null ? "" : "; did you mean " + closest + "?"));
            }
        }
        return out;
    }

    /** For an old duration name holding a bare number: the value in the new style ({@code =2s} for 2000 ms). */
    private static String hint(Key key, String oldName, String value) {
        for (Key.Alias a : key.aliases()) {
            if (a.name().equals(oldName) && a.bareUnit() != null && BARE.matcher(value.trim()).matches()) {
                return "=" + format(Duration.of(Long.parseLong(value.trim()), a.bareUnit()));
            }
        }
        return "";
    }

    private static boolean otherService(String name, Set<String> present) {
        for (String service : Keys.SERVICES) {
            if (!present.contains(service) && name.startsWith("REELCARS_" + service.toUpperCase(Locale.ROOT) + "_")) {
                return true;
            }
        }
        return false;
    }

    /** The known key nearest by edit distance, if it is near enough to be a typo (an old name gives its new key). */
    private static String closest(String name, Set<String> names, Map<String, Key> oldNames) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        List<String> candidates = new ArrayList<>(names);
        candidates.addAll(oldNames.keySet());
        candidates.sort(null);
        for (String candidate : candidates) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = oldNames.containsKey(candidate) ? oldNames.get(candidate).name() : candidate;
            }
        }
        // A typo changes a few characters; beyond a third of the name it is another word.
        return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    private boolean isSet(String name) {
        String v = source.get(name);
        return v != null && !v.isBlank();
    }

    /** A value as set, and the name it was set under (the key's, or an old one). */
    private record Raw(String name, String text, ChronoUnit bareUnit) {
    }

    private Optional<Raw> raw(Key key) {
        keysRead.add(key.name());
        if (isSet(key.name())) {
            return Optional.of(new Raw(key.name(), source.get(key.name()).trim(), null));
        }
        for (Key.Alias alias : key.aliases()) {
            if (isSet(alias.name())) {
                return Optional.of(new Raw(alias.name() + " (the old name of " + key.name() + ")",
                        source.get(alias.name()).trim(), alias.bareUnit()));
            }
        }
        return Optional.empty();
    }

    /** The declared default, for reads without a fallback. */
    private Raw declared(Key key) {
        if (key.computed()) {
            throw new IllegalStateException(key.name() + "'s default is computed at start: read it with a fallback");
        }
        return new Raw(key.name() + " (its default)", key.defaultValue().orElseThrow(), null);
    }

    /** Reads with a fallback are for computed defaults only, so the declaration and the code cannot disagree. */
    private static void requireComputed(Key key) {
        if (!key.computed()) {
            throw new IllegalStateException(key.name() + " declares its default '" + key.defaultValue().orElseThrow()
                    + "': read it without a fallback");
        }
    }

    /** The value as set (under the key's name or an old one), or empty. */
    public Optional<String> optional(Key key) {
        return raw(key).map(Raw::text);
    }

    /** Whether the environment sets the key (or one of its old names). */
    public boolean isSet(Key key) {
        return raw(key).isPresent();
    }

    public String string(Key key) {
        return raw(key).orElseGet(() -> declared(key)).text();
    }

    public String string(Key key, String fallback) {
        requireComputed(key);
        return optional(key).orElse(fallback);
    }

    public int integer(Key key, int min, int max) {
        return (int) longValue(key, min, max);
    }

    public int integer(Key key, int fallback, int min, int max) {
        return (int) longValue(key, fallback, min, max);
    }

    public long longValue(Key key, long min, long max) {
        return parseLong(raw(key).orElseGet(() -> declared(key)), min, max);
    }

    public long longValue(Key key, long fallback, long min, long max) {
        requireComputed(key);
        Optional<Raw> raw = raw(key);
        return raw.isEmpty() ? fallback : parseLong(raw.get(), min, max);
    }

    private static long parseLong(Raw raw, long min, long max) {
        long v;
        try {
            v = Long.parseLong(raw.text());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(raw.name() + " must be an integer, got '" + raw.text() + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(raw.name() + " must be in " + min + ".." + max + ", got " + v);
        }
        return v;
    }

    public double decimal(Key key, double min, double max) {
        return parseDecimal(raw(key).orElseGet(() -> declared(key)), min, max);
    }

    public double decimal(Key key, double fallback, double min, double max) {
        requireComputed(key);
        Optional<Raw> raw = raw(key);
        return raw.isEmpty() ? fallback : parseDecimal(raw.get(), min, max);
    }

    private static double parseDecimal(Raw raw, double min, double max) {
        double v;
        try {
            v = Double.parseDouble(raw.text());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(raw.name() + " must be a number, got '" + raw.text() + "'");
        }
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(raw.name() + " must be in " + min + ".." + max + ", got " + v);
        }
        return v;
    }

    public boolean bool(Key key) {
        return parseBool(raw(key).orElseGet(() -> declared(key)));
    }

    public boolean bool(Key key, boolean fallback) {
        requireComputed(key);
        return raw(key).map(Settings::parseBool).orElse(fallback);
    }

    private static boolean parseBool(Raw raw) {
        return switch (raw.text().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(raw.name() + " must be true or false, got '" + raw.text()
                    + "'");
        };
    }

    public Path path(Key key) {
        return Path.of(string(key));
    }

    public Path path(Key key, Path fallback) {
        requireComputed(key);
        return optional(key).map(Path::of).orElse(fallback);
    }

    /**
     * A duration written with its unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 12h}, {@code 7d}; {@code 0}
     * alone is zero). Under an old name that carried its unit ({@code …_MS}), a bare number is read in that unit.
     */
    public Duration duration(Key key, Duration min, Duration max) {
        Raw raw = raw(key).orElseGet(() -> declared(key));
        Duration d = parseDuration(raw);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(raw.name() + " must be between " + format(min) + " and " + format(max)
                    + ", got " + raw.text());
        }
        return d;
    }

    private static Duration parseDuration(Raw raw) {
        Matcher m = DURATION.matcher(raw.text());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (BARE.matcher(raw.text()).matches()) {
            long n = Long.parseLong(raw.text());
            if (raw.bareUnit() != null) {
                return Duration.of(n, raw.bareUnit());
            }
            if (n == 0) {
                return Duration.ZERO;
            }
        }
        throw new IllegalArgumentException(raw.name() + " must be a duration with its unit, such as 500ms, 30s, 5m, "
                + "12h or 7d, got '" + raw.text() + "'");
    }

    /** A duration in the settings' own style, in the largest unit that holds it exactly ({@code 15s}, {@code 1h}). */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }
}
