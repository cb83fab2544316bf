package dev.reelcars.platform.image;

/**
 * Loads the OpenCV native library once per JVM, for every service that decodes images (ingest, identify, notify).
 * The openpnp loader unpacks the library to a temp directory (about half a second), so every entry point calls
 * {@link #load()} and only the first pays.
 */
public final class OpenCvNatives {
    private static volatile boolean loaded;

    private OpenCvNatives() {
    }

    /** Idempotent and thread-safe. */
    public static void load() {
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
