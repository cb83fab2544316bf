package dev.reelcars.ingest;

/**
 * Loads the OpenCV native library once per JVM. The openpnp loader unpacks the library to a temp directory (about
 * half a second), so every entry point calls {@link #load()} and only the first pays.
 */
final class OpenCvNatives {
    private static volatile boolean loaded;

    private OpenCvNatives() {
    }

    /** Idempotent and thread-safe. */
    static void load() {
        if (loaded) {
            return;
        }
        synchronized (OpenCvNatives.class) {
            if (!loaded) {
                nu.pattern.OpenCV.loadLocally();
                loaded = true;
            }
        }
    }
}
