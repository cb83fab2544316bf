package dev.reelcars.events;

import java.util.regex.Pattern;

/** Blob keys are lowercase sha-256 hex digests: nothing else can name a file in the blob store. */
public final class BlobKeys {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private BlobKeys() {
    }

    public static boolean isValid(String key) {
        return key != null && SHA256_HEX.matcher(key).matches();
    }

    public static void require(String key) {
        if (!isValid(key)) {
            throw new IllegalArgumentException("blob key must be 64 lowercase hex digits, got " + key);
        }
    }
}
