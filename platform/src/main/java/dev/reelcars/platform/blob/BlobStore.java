package dev.reelcars.platform.blob;

import dev.reelcars.events.BlobKeys;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content-addressed storage of image bytes: a blob's key is the sha-256 of its bytes. Events carry keys, never bytes
 * (claim check). Open one with {@link BlobStores#open}: a local directory (the default) or an S3 bucket.
 *
 * <p>Every implementation keeps the same promises: a key names the whole blob or nothing (no reader ever sees a
 * half-written blob), storing the same bytes twice is a no-op, only valid keys ({@link BlobKeys}) reach storage, and
 * failures are a {@link BlobStoreException} whose {@link BlobStoreException.Kind} tells a missing blob from an
 * outage.
 */
public interface BlobStore extends AutoCloseable {

    /** The key of these bytes: their sha-256 as 64 lowercase hex digits. */
    static String keyOf(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Stores the bytes (a no-op when a blob with the same content exists) and returns their key. */
    String put(byte[] bytes);

    /** Whether a blob has this key; false for anything that is not a valid key. */
    boolean exists(String key);

    /** The blob's bytes; {@link BlobStoreException.Kind#NOT_FOUND} when no blob has that key (or it is no key). */
    byte[] read(String key);

    /** Releases the store's connections, if it has any. */
    @Override
    default void close() {
    }

    /** Why a blob operation failed, in terms an HTTP layer can map: missing, full, or otherwise unavailable. */
    final class BlobStoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public enum Kind {
            /** No blob has that key: it will not appear by retrying. */
            NOT_FOUND,
            /** The store has no room: a retry later may succeed (HTTP 507). */
            FULL,
            /** The store cannot be reached or refuses to work: a retry later may succeed (HTTP 503). */
            UNAVAILABLE
        }

        private final Kind kind;

        public BlobStoreException(Kind kind, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }

        /** Classifies a file-system failure of the directory store. */
        static BlobStoreException from(String message, IOException e) {
            String text = String.valueOf(e.getMessage());
            boolean full = text.contains("No space left") || text.contains("Disk quota");
            Kind kind = full ? Kind.FULL : Kind.UNAVAILABLE;
            if (e instanceof AccessDeniedException || (e instanceof FileSystemException
                    && text.contains("Read-only"))) {
                kind = Kind.UNAVAILABLE;
            }
            return new BlobStoreException(kind, message + ": " + text, e);
        }
    }
}
