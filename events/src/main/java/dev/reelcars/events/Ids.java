package dev.reelcars.events;

import java.util.UUID;
import java.util.regex.Pattern;

/** Identifiers: short, URL- and file-name-safe, never taken from user input unchecked. */
public final class Ids {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private Ids() {
    }

    public static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    public static boolean isSafe(String id) {
        return id != null && SAFE.matcher(id).matches() && !id.contains("..");
    }

    static void require(String id, String name) {
        if (!isSafe(id)) {
            throw new IllegalArgumentException(name + " must match " + SAFE.pattern() + ", got " + id);
        }
    }
}
