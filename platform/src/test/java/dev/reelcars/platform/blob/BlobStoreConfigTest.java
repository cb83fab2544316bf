package dev.reelcars.platform.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.platform.Common;
import dev.reelcars.platform.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BlobStoreConfigTest {
    private static final Path DATA = Path.of("/var/lib/reelcars");

    private static BlobStoreConfig read(String... keysAndValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return BlobStoreConfig.from(new Settings(env), DATA);
    }

    @Test
    void keepsBlobsInTheDataDirectoryByDefault() {
        assertEquals(new BlobStoreConfig.Directory(DATA.resolve("blobs")), read());
    }

    @Test
    void stillAcceptsTheOlderBlobDirectorySetting() {
        assertEquals(new BlobStoreConfig.Directory(Path.of("/blobs")), read("REELCARS_BLOB_DIR", "/blobs"));
    }

    @Test
    void takesADirectoryFromTheBlobStoreSettingBeforeTheOlderOne() {
        assertEquals(new BlobStoreConfig.Directory(Path.of("/mnt/blobs")),
                read("REELCARS_BLOB_STORE", "/mnt/blobs", "REELCARS_BLOB_DIR", "/blobs"));
    }

    @Test
    void readsAnS3BucketWithItsEndpointCredentialsAndPathStyle() {
        BlobStoreConfig config = read("REELCARS_BLOB_STORE", "s3://reelcars-prod/stills/v1",
                "REELCARS_S3_ENDPOINT", "http://minio:9000",
                "REELCARS_S3_REGION", "eu-central-1",
                "REELCARS_S3_ACCESS_KEY", "reelcars",
                "REELCARS_S3_SECRET_KEY", "very-secret");

        BlobStoreConfig.S3 s3 = assertInstanceOf(BlobStoreConfig.S3.class, config);
        assertEquals("reelcars-prod", s3.bucket());
        assertEquals("stills/v1/", s3.prefix());
        assertEquals(Optional.of(URI.create("http://minio:9000")), s3.endpoint());
        assertEquals("eu-central-1", s3.region());
        assertEquals("reelcars", s3.credentials().orElseThrow().accessKey());
        assertTrue(s3.pathStyle(), "a self-hosted endpoint gets path-style access unless told otherwise");
    }

    @Test
    void usesAwsDefaultsWhenOnlyTheBucketIsGiven() {
        BlobStoreConfig.S3 s3 = assertInstanceOf(BlobStoreConfig.S3.class,
                read("REELCARS_BLOB_STORE", "s3://reelcars-prod"));
        assertEquals("", s3.prefix());
        assertEquals(Optional.empty(), s3.endpoint());
        assertEquals("us-east-1", s3.region());
        assertEquals(Optional.empty(), s3.credentials(), "the SDK's default chain (environment, profile, role)");
        assertFalse(s3.pathStyle(), "AWS S3 gets virtual-hosted access");
    }

    @ParameterizedTest
    @CsvSource({"s3://b-1/p, p/", "s3://b-1/p/, p/", "s3://b-1/, ''", "s3://b-1/a/b/c, a/b/c/"})
    void normalisesThePrefixToSegmentsEndingInASlash(String location, String prefix) {
        assertEquals(prefix, ((BlobStoreConfig.S3) read("REELCARS_BLOB_STORE", location)).prefix());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://", "s3://Upper", "s3://ab", "s3://b_1/x", "s3://bucket/../other",
            "s3://bucket/a/./b", "s3://bucket//x", "s3://bucket/a b", "gs://bucket/x", "file:///tmp/blobs"})
    void refusesAMalformedLocationWithAMessage(String location) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("REELCARS_BLOB_STORE", location));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void refusesAnAccessKeyWithoutItsSecretAndAnEndpointThatIsNoUrl() {
        assertThrows(IllegalArgumentException.class,
                () -> read("REELCARS_BLOB_STORE", "s3://bucket", "REELCARS_S3_ACCESS_KEY", "a"));
        assertThrows(IllegalArgumentException.class,
                () -> read("REELCARS_BLOB_STORE", "s3://bucket", "REELCARS_S3_ENDPOINT", "minio:9000"));
        assertThrows(IllegalArgumentException.class,
                () -> read("REELCARS_BLOB_STORE", "s3://bucket", "REELCARS_S3_PATH_STYLE", "sometimes"));
    }

    @Test
    void keepsTheSecretKeyOutOfLogs() {
        BlobStoreConfig config = read("REELCARS_BLOB_STORE", "s3://bucket",
                "REELCARS_S3_ACCESS_KEY", "reelcars", "REELCARS_S3_SECRET_KEY", "very-secret");
        assertFalse(config.toString().contains("very-secret"), config.toString());
        assertTrue(config.toString().contains("reelcars"), "the access key names who is configured");
    }

    @Test
    void commonSettingsCarryTheStoreAndTheDirectoryOfADirectoryStore() {
        Common common = Common.from(new Settings(Map.of("REELCARS_DATA_DIR", "/data")), "test");
        assertEquals(Path.of("/data/blobs"), common.blobDir());
        Common s3 = Common.from(new Settings(Map.of("REELCARS_BLOB_STORE", "s3://bucket")), "test");
        assertThrows(IllegalStateException.class, s3::blobDir, "an S3 store has no directory");
    }
}
