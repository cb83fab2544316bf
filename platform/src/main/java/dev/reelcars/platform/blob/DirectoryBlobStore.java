package dev.reelcars.platform.blob;

import dev.reelcars.events.BlobKeys;
import dev.reelcars.platform.blob.BlobStore.BlobStoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The embedded blob store: a local directory, a blob's file {@code root/ab/abcdef...}.
 *
 * <p>Writes go to a temporary file, are forced to disk, then atomically renamed: a crash leaves either the whole
 * blob or nothing under its key. Keys are validated, so no name from outside can reach a path outside the root.
 */
final class DirectoryBlobStore implements BlobStore {
    private final Path root;
    private final Path tmp;

    DirectoryBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new BlobStoreException(BlobStoreException.Kind.UNAVAILABLE, "cannot create blob store at " + root, e);
        }
    }

    Path root() {
        return root;
    }

    @Override
    public String put(byte[] bytes) {
        String key = BlobStore.keyOf(bytes);
        Path target = pathOf(key);
        if (Files.exists(target)) {
            return key;
        }
        Path partial = tmp.resolve(UUID.randomUUID() + ".part");
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
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

    @Override
    public boolean exists(String key) {
        return BlobKeys.isValid(key) && Files.isRegularFile(pathOf(key));
    }

    @Override
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
    Path pathOf(String key) {
        BlobKeys.require(key);
        return root.resolve(key.substring(0, 2)).resolve(key);
    }

    @Override
    public String toString() {
        return "directory blob store " + root;
    }
}
