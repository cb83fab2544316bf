package dev.reelcars.platform;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads configuration once, at the edge (environment variables, or a map in tests), with a default for every key
 * and a clear message for every bad value. Services turn it into their own immutable config record.
 */
public final class Settings {
    private final Map<String, String> source;
    /** Every key asked for, so a test can check that a deployment file sets only keys the code reads. */
    private final java.util.Set<String> keysRead = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Settings(Map<String, String> source) {
        this.source = Map.copyOf(source);
    }

    /** The keys the code has asked for so far. */
    public java.util.Set<String> keysRead() {
        return java.util.Set.copyOf(keysRead);
    }

    public static Settings fromEnvironment() {
        return new Settings(System.getenv());
    }

    public Optional<String> optional(String key) {
        keysRead.add(key);
        String v = source.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String string(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    public int integer(String key, int fallback, int min, int max) {
        return (int) longValue(key, fallback, min, max);
    }

    public long longValue(String key, long fallback, long min, long max) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        long v;
        try {
            v = Long.parseLong(raw.get());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + raw.get() + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + " must be in " + min + ".." + max + ", got " + v);
        }
        return v;
    }

    public double decimal(String key, double fallback, double min, double max) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        double v;
        try {
            v = Double.parseDouble(raw.get());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + raw.get() + "'");
        }
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(key + " must be in " + min + ".." + max + ", got " + v);
        }
        return v;
    }

    public boolean bool(String key, boolean fallback) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        return switch (raw.get().toLowerCase()) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, got '" + raw.get() + "'");
        };
    }

    public Path path(String key, Path fallback) {
        return optional(key).map(Path::of).orElse(fallback);
    }

    /** Settings with some keys overridden (the launcher's defaults, a test's ports). */
    public Settings with(Map<String, String> overrides) {
        var merged = new java.util.HashMap<>(source);
        merged.putAll(overrides);
        return new Settings(merged);
    }
}
