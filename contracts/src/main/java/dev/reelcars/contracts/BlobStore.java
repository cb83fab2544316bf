package dev.reelcars.contracts;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Content-addressed storage of image bytes: a blob's key is the sha-256 of its bytes, its file
 * {@code root/ab/abcdef...}. Events carry keys, never bytes (claim check).
 *
 * <p>Writes go to a temporary file, are forced to disk, then atomically renamed: a crash leaves either the whole
 * blob or nothing under its key. Keys are validated, so no name from outside can reach a path outside the root.
 */
public final class BlobStore {
    private final Path root;
    private final Path tmp;

    public BlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new BlobStoreException(BlobStoreException.Kind.UNAVAILABLE, "cannot create blob store at " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    public static String keyOf(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Stores the bytes (a no-op when a blob with the same content exists) and returns their key. */
    public String put(byte[] bytes) {
        String key = keyOf(bytes);
        Path target = pathOf(key);
        if (Files.exists(target)) {
            return key;
        }
        Path partial = tmp.resolve(UUID.randomUUID() + ".part");
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                out.write(bytes);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                // A concurrent upload of the same bytes won the race: same content, same key.
            }
            return key;
        } catch (IOException e) {
            throw BlobStoreException.from("cannot store blob " + key, e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // Best effort: a leftover .part file in tmp/ holds no key and is never read.
            }
        }
    }

    public boolean exists(String key) {
        return BlobKeys.isValid(key) && Files.isRegularFile(pathOf(key));
    }

    /** The blob's bytes; {@link BlobStoreException.Kind#NOT_FOUND} when no blob has that key. */
    public byte[] read(String key) {
        if (!BlobKeys.isValid(key)) {
            throw new BlobStoreException(BlobStoreException.Kind.NOT_FOUND, "not a blob key: " + key, null);
        }
        try {
            return Files.readAllBytes(pathOf(key));
        } catch (NoSuchFileException e) {
            throw new BlobStoreException(BlobStoreException.Kind.NOT_FOUND, "no blob " + key, e);
        } catch (IOException e) {
            throw BlobStoreException.from("cannot read blob " + key, e);
        }
    }

    /** The file of a valid key (which may not exist). */
    public Path pathOf(String key) {
        BlobKeys.require(key);
        return root.resolve(key.substring(0, 2)).resolve(key);
    }

    /** Why a blob operation failed, in terms an HTTP layer can map: missing, full, or otherwise unavailable. */
    public static final class BlobStoreException extends RuntimeException {
        public enum Kind { NOT_FOUND, FULL, UNAVAILABLE }

        private final Kind kind;

        public BlobStoreException(Kind kind, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }

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
