package dev.reelcars.platform.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.platform.Common;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.blob.BlobStore.BlobStoreException.Kind;
import dev.reelcars.platform.blob.BlobStore.BlobStoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The S3 blob store: the {@link BlobStoreContract} against a real S3-API server (S3Proxy, in this JVM, a fresh one
 * per test), and what is particular to a bucket.
 */
class S3BlobStoreTest extends BlobStoreContract {
    private static final String BUCKET = "reelcars-blobs";
    private static final String PREFIX = "blobs/";

    S3ProxyServer server;
    S3BlobStore store;

    @BeforeEach
    void startServer() throws Exception {
        server = S3ProxyServer.start(BUCKET);
        store = new S3BlobStore(server.config(BUCKET, PREFIX));
    }

    @AfterEach
    void stopServer() throws Exception {
        store.close();
        server.close();
    }

    @Override
    BlobStore store() {
        return store;
    }

    @Override
    void takeStorageDown() throws Exception {
        server.stop();
    }

    @Test
    void keepsEachBlobAsOneObjectNamedByItsKeyUnderThePrefix() {
        String key = store.put("a still".getBytes(StandardCharsets.UTF_8));
        store.put("a still".getBytes(StandardCharsets.UTF_8));

        assertEquals(List.of(PREFIX + key), objectNames(), "one object, under the prefix, named by the key");
    }

    @Test
    void skipsTheUploadWhenTheObjectExistsAndChecksWhatItReads() {
        // Given an object under a blob's key whose bytes are not that blob's (written behind the store's back)
        byte[] bytes = "the real still".getBytes(StandardCharsets.UTF_8);
        String key = BlobStore.keyOf(bytes);
        byte[] other = "other bytes".getBytes(StandardCharsets.UTF_8);
        server.backend().putBlob(BUCKET, server.backend().blobBuilder(PREFIX + key).payload(other).build());

        // When the blob is stored, then nothing was uploaded: the object still holds the other bytes
        assertEquals(key, store.put(bytes));
        assertEquals(other.length, server.backend().blobMetadata(BUCKET, PREFIX + key).getSize());

        // And reading it refuses bytes that do not match their key, as an outage rather than as a missing blob
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> store.read(key));
        assertEquals(Kind.UNAVAILABLE, e.kind(), e.getMessage());
    }

    @Test
    void reportsAMissingBucketAsUnavailableSoNoRecordIsDeadLetteredForIt() {
        String key = store.put("stored in the right bucket".getBytes(StandardCharsets.UTF_8));
        try (S3BlobStore misconfigured = new S3BlobStore(server.config("no-such-bucket", PREFIX))) {
            BlobStoreException read = assertThrows(BlobStoreException.class, () -> misconfigured.read(key));
            assertEquals(Kind.UNAVAILABLE, read.kind(), read.getMessage());
            BlobStoreException put = assertThrows(BlobStoreException.class,
                    () -> misconfigured.put("x".getBytes(StandardCharsets.UTF_8)));
            assertEquals(Kind.UNAVAILABLE, put.kind(), put.getMessage());
        }
    }

    @Test
    void reportsWrongCredentialsAsUnavailable() {
        String key = store.put("a still".getBytes(StandardCharsets.UTF_8));
        BlobStoreConfig.S3 right = server.config(BUCKET, PREFIX);
        BlobStoreConfig.S3 wrong = new BlobStoreConfig.S3(BUCKET, PREFIX, right.endpoint(), right.region(),
                Optional.of(new BlobStoreConfig.Credentials(S3ProxyServer.ACCESS_KEY, "not-the-secret")), true);
        try (S3BlobStore denied = new S3BlobStore(wrong)) {
            BlobStoreException e = assertThrows(BlobStoreException.class, () -> denied.read(key));
            assertEquals(Kind.UNAVAILABLE, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("HTTP 403"), "the message names the refusal: " + e.getMessage());
        }
    }

    @Test
    void askingWhetherABlobExistsFailsAsUnavailableWhileTheServerIsDown() throws Exception {
        String key = store.put("a still".getBytes(StandardCharsets.UTF_8));
        server.stop();

        assertUnavailableWithinBound("exists", () -> store.exists(key));
    }

    @Test
    void isOpenedFromTheSettingsOfEveryService(@org.junit.jupiter.api.io.TempDir Path dataDir) {
        // Given the shared settings name the bucket, prefix, endpoint and credentials
        Settings settings = new Settings(Map.of(
                "REELCARS_DATA_DIR", dataDir.toString(),
                "REELCARS_BLOB_STORE", "s3://" + BUCKET + "/reelcars/images",
                "REELCARS_S3_ENDPOINT", server.endpoint().toString(),
                "REELCARS_S3_ACCESS_KEY", S3ProxyServer.ACCESS_KEY,
                "REELCARS_S3_SECRET_KEY", S3ProxyServer.SECRET_KEY));

        // When a service opens its blob store from them and stores a still
        byte[] bytes = "a still".getBytes(StandardCharsets.UTF_8);
        String key;
        try (BlobStore opened = BlobStores.open(Common.from(settings, "test").blobStore())) {
            key = opened.put(bytes);
            assertArrayEquals(bytes, opened.read(key));
        }

        // Then it is an object in that bucket under that prefix, and nothing was written to the data directory
        assertEquals(List.of("reelcars/images/" + key), objectNames());
        assertFalse(java.nio.file.Files.exists(dataDir.resolve("blobs")), "no local blob directory");
    }

    private List<String> objectNames() {
        Iterable<? extends StorageMetadata> page = server.backend().list(BUCKET, ListContainerOptions.Builder.recursive());
        return StreamSupport.stream(page.spliterator(), false)
                .filter(m -> m.getType() == org.jclouds.blobstore.domain.StorageType.BLOB)
                .map(StorageMetadata::getName)
                .sorted()
                .toList();
    }
}
