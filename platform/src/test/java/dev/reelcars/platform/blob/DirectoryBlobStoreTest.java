package dev.reelcars.platform.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.platform.blob.BlobStore.BlobStoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded blob store: the {@link BlobStoreContract} on a local directory, and what is particular to files. */
class DirectoryBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dir;
    DirectoryBlobStore store;

    @BeforeEach
    void openStore() {
        store = new DirectoryBlobStore(dir.resolve("blobs"));
    }

    @Override
    BlobStore store() {
        return store;
    }

    @Override
    void takeStorageDown() throws Exception {
        // Root bypasses permission bits, so the directory is replaced by a file: nothing below it can be reached.
        Files.move(store.root(), dir.resolve("blobs.gone"));
        Files.writeString(store.root(), "not a directory");
    }

    @Test
    void keepsEachBlobAsOneFileInAShardNamedByTheKeysFirstTwoDigits() {
        String key = store.put("a still".getBytes(StandardCharsets.UTF_8));

        assertEquals(store.root().resolve(key.substring(0, 2)).resolve(key), store.pathOf(key));
        assertTrue(Files.isRegularFile(store.pathOf(key)));
    }

    @Test
    void leavesNoPartialFilesBehind() throws Exception {
        store.put(new byte[] {1, 2, 3});
        try (Stream<Path> tmp = Files.list(store.root().resolve("tmp"))) {
            assertEquals(0, tmp.count(), "temporary files are renamed or removed");
        }
    }

    @Test
    void refusesAPathThatIsNotAKey() {
        assertThrows(IllegalArgumentException.class, () -> store.pathOf("/etc/passwd"));
    }

    @Test
    void failsAsAWriteFailureNotAsNotFoundWhenAShardCannotBeCreated() throws Exception {
        // Root bypasses permission bits, so make the shard a file instead: a write below it must fail.
        Files.writeString(store.root().resolve("ab"), "not a directory");
        byte[] bytes = findBytesWithPrefix("ab");
        var e = assertThrows(BlobStoreException.class, () -> store.put(bytes));
        assertTrue(e.kind() != BlobStoreException.Kind.NOT_FOUND, "a write failure is not 'not found'");
    }

    private static byte[] findBytesWithPrefix(String prefix) {
        for (int i = 0; ; i++) {
            byte[] b = ("x" + i).getBytes(StandardCharsets.UTF_8);
            if (BlobStore.keyOf(b).startsWith(prefix)) {
                return b;
            }
        }
    }

    @Test
    void classifiesANoSpaceErrorAsFullSoUploadsGet507() {
        var e = BlobStoreException.from("cannot store blob", new java.io.IOException("No space left on device"));
        assertEquals(BlobStoreException.Kind.FULL, e.kind());
        var other = BlobStoreException.from("cannot store blob",
                new java.nio.file.FileSystemException("/blobs/x", null, "Read-only file system"));
        assertEquals(BlobStoreException.Kind.UNAVAILABLE, other.kind());
    }
}
