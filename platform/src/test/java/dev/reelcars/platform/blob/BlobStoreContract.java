package dev.reelcars.platform.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.platform.blob.BlobStore.BlobStoreException.Kind;
import dev.reelcars.platform.blob.BlobStore.BlobStoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every {@link BlobStore} promises, run against each implementation by a subclass that supplies a fresh, empty
 * store per test and a way to take its storage down.
 */
abstract class BlobStoreContract {
    private static final Logger log = LoggerFactory.getLogger(BlobStoreContract.class);
    /** How long an operation on a store that is down may take before it reports so. */
    static final Duration DOWN_REPORTED_WITHIN = Duration.ofSeconds(10);

    /** The store under test: fresh and empty for each test. */
    abstract BlobStore store();

    /** Makes the store's storage unusable (the server stopped, the directory gone) for the rest of the test. */
    abstract void takeStorageDown() throws Exception;

    @Test
    void storesBytesUnderTheirSha256AndReadsThemBack() {
        byte[] bytes = "a still".getBytes(StandardCharsets.UTF_8);

        String key = store().put(bytes);

        assertEquals(BlobStore.keyOf(bytes), key, "the key is the content's sha-256");
        assertEquals(64, key.length());
        assertTrue(store().exists(key), "a stored blob exists");
        assertArrayEquals(bytes, store().read(key));
    }

    @Test
    void storingTheSameBytesTwiceIsANoOpUnderTheSameKey() {
        byte[] bytes = "the same still, uploaded twice".getBytes(StandardCharsets.UTF_8);

        String first = store().put(bytes);
        String second = store().put(bytes.clone());

        assertEquals(first, second, "the same content gets the same key");
        assertArrayEquals(bytes, store().read(second));
    }

    @Test
    void storesEmptyAndMultiMegabyteBlobsWhole() {
        byte[] empty = new byte[0];
        byte[] large = new byte[5 * 1024 * 1024 + 17];
        new Random(21).nextBytes(large);

        String emptyKey = store().put(empty);
        String largeKey = store().put(large);

        assertArrayEquals(empty, store().read(emptyKey));
        assertArrayEquals(large, store().read(largeKey), "every byte of a 5 MiB blob comes back");
    }

    @Test
    void concurrentUploadsOfTheSameBytesAllSucceed() throws Exception {
        byte[] bytes = "uploaded by four contributors at once".getBytes(StandardCharsets.UTF_8);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> keys = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                keys.add(pool.submit(() -> store().put(bytes)));
            }
            for (Future<String> key : keys) {
                assertEquals(BlobStore.keyOf(bytes), key.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertArrayEquals(bytes, store().read(BlobStore.keyOf(bytes)));
    }

    @Test
    void reportsAMissingBlobAsNotFound() {
        String absent = BlobStore.keyOf("never stored".getBytes(StandardCharsets.UTF_8));

        assertFalse(store().exists(absent));
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> store().read(absent));
        assertEquals(Kind.NOT_FOUND, e.kind(), "a missing key is not an outage: " + e.getMessage());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"../../etc/passwd", "../aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "/etc/passwd", "ab/../../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd",
            "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
            "abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678",
            "abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567890",
            "abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678\n",
            "abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567?x"})
    void refusesAnythingButADigestAsAKeySoNoNameEscapesTheStore(String key) {
        assertFalse(store().exists(key), "not a key: " + key);
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> store().read(key));
        assertEquals(Kind.NOT_FOUND, e.kind());
    }

    @Test
    void reportsAnOutageAsUnavailableNotAsAMissingBlobWithinBoundedTime() throws Exception {
        // Given a stored blob, then the storage goes down
        byte[] stored = "stored before the outage".getBytes(StandardCharsets.UTF_8);
        String key = store().put(stored);
        takeStorageDown();

        // When the blob is read and another is stored, then both fail as an outage, soon
        assertUnavailableWithinBound("read", () -> store().read(key));
        assertUnavailableWithinBound("put", () -> store().put("stored during".getBytes(StandardCharsets.UTF_8)));
    }

    static void assertUnavailableWithinBound(String what, Executable operation) {
        long start = System.nanoTime();
        BlobStoreException e = assertThrows(BlobStoreException.class, operation, what);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(Kind.UNAVAILABLE, e.kind(), what + " during an outage: " + e.getMessage());
        assertTrue(took.compareTo(DOWN_REPORTED_WITHIN) < 0, what + " reported the outage after " + took);
        log.info("{} on a store that is down failed as UNAVAILABLE after {} ms", what, took.toMillis());
    }
}
