package dev.reelcars.contracts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {

    @Test
    void storesBytesUnderTheirSha256AndReadsThemBack(@TempDir Path dir) {
        BlobStore store = new BlobStore(dir);
        byte[] bytes = "a still".getBytes(StandardCharsets.UTF_8);

        String key = store.put(bytes);

        assertEquals(BlobStore.keyOf(bytes), key);
        assertEquals(64, key.length());
        assertArrayEquals(bytes, store.read(key));
        assertEquals(key, store.put(bytes), "the same content gets the same key");
    }

    @Test
    void leavesNoPartialFilesBehind(@TempDir Path dir) throws Exception {
        BlobStore store = new BlobStore(dir);
        store.put(new byte[] {1, 2, 3});
        try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
            assertEquals(0, tmp.count(), "temporary files are renamed or removed");
        }
    }

    @Test
    void refusesKeysThatAreNotDigestsSoNoPathEscapesTheRoot(@TempDir Path dir) {
        BlobStore store = new BlobStore(dir);
        assertFalse(store.exists("../../etc/passwd"));
        BlobStore.BlobStoreException e = assertThrows(BlobStore.BlobStoreException.class,
                () -> store.read("../" + "a".repeat(61)));
        assertEquals(BlobStore.BlobStoreException.Kind.NOT_FOUND, e.kind());
        assertThrows(IllegalArgumentException.class, () -> store.pathOf("/etc/passwd"));
    }

    @Test
    void reportsAMissingBlobAsNotFound(@TempDir Path dir) {
        BlobStore store = new BlobStore(dir);
        var e = assertThrows(BlobStore.BlobStoreException.class, () -> store.read("b".repeat(64)));
        assertEquals(BlobStore.BlobStoreException.Kind.NOT_FOUND, e.kind());
    }

    @Test
    void failsAsUnavailableWhenTheDirectoryIsReadOnly(@TempDir Path dir) throws Exception {
        BlobStore store = new BlobStore(dir);
        Path shard = dir.resolve("ab");
        Files.createDirectories(shard);
        // Root bypasses permission bits, so make the shard a file instead: a write below it must fail.
        Files.delete(shard);
        Files.writeString(shard, "not a directory");
        byte[] bytes = findBytesWithPrefix("ab");
        var e = assertThrows(BlobStore.BlobStoreException.class, () -> store.put(bytes));
        assertTrue(e.kind() != BlobStore.BlobStoreException.Kind.NOT_FOUND, "a write failure is not 'not found'");
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
        var e = BlobStore.BlobStoreException.from("cannot store blob",
                new java.io.IOException("No space left on device"));
        assertEquals(BlobStore.BlobStoreException.Kind.FULL, e.kind());
        var other = BlobStore.BlobStoreException.from("cannot store blob",
                new java.nio.file.FileSystemException("/blobs/x", null, "Read-only file system"));
        assertEquals(BlobStore.BlobStoreException.Kind.UNAVAILABLE, other.kind());
    }
}
