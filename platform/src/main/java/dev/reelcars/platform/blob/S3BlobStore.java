package dev.reelcars.platform.blob;

import dev.reelcars.events.BlobKeys;
import dev.reelcars.platform.blob.BlobStore.BlobStoreException.Kind;
import dev.reelcars.platform.blob.BlobStore.BlobStoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A blob store on an S3-compatible service (AWS S3, MinIO, Ceph, Garage, S3Proxy): blob {@code k} is the object
 * {@code <prefix>k} in one bucket, which must exist.
 *
 * <p>The promises of {@link BlobStore} hold as follows. An S3 PUT is atomic, so an object is visible whole or not at
 * all; each PUT carries {@code Content-MD5}, so the service refuses bytes damaged on the way, and each read is
 * checked against its sha-256 key. A put asks first (HEAD) and skips the upload when the object exists. The SDK
 * retries a failed call with exponential back-off and jitter; when the service stays down every operation fails as
 * {@link Kind#UNAVAILABLE} within a bounded time (a refused connection after the retries' back-off, at most about
 * 1.5 s, measured 0.3-1.0 s against a stopped S3Proxy; an unreachable host after at most {@link #MAX_ATTEMPTS}
 * connect timeouts), never as {@link Kind#NOT_FOUND}, which is only said of a key the bucket does not hold.
 */
final class S3BlobStore implements BlobStore {
    /** One try and three retries: rides out a restart of one node or a dropped connection. */
    static final int MAX_ATTEMPTS = 4;
    /** Retry delays grow from here, with full jitter, so many clients do not retry in step... */
    private static final Duration BACKOFF_BASE = Duration.ofMillis(200);
    /** ...up to this: the whole retry budget stays well under an uploader's patience. */
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(2);
    /** A reachable service accepts a connection at once; waiting longer only delays the 503. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Silence on an open connection this long means a stuck server, not a slow image. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
    /** One try of a call, and the whole call with its retries: a hard bound whatever the network does. */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(45);

    private final BlobStoreConfig.S3 config;
    private final S3Client s3;

    S3BlobStore(BlobStoreConfig.S3 config) {
        this.config = config;
        this.s3 = client(config);
    }

    private static S3Client client(BlobStoreConfig.S3 config) {
        RetryStrategy retries = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(MAX_ATTEMPTS)
                .backoffStrategy(BackoffStrategy.exponentialDelay(BACKOFF_BASE, BACKOFF_MAX))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(BACKOFF_BASE, BACKOFF_MAX))
                .build();
        S3ClientBuilder builder = S3Client.builder()
                // The JDK's HttpURLConnection: no extra HTTP library in every service's jar.
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT))
                .overrideConfiguration(o -> o
                        .retryStrategy(retries)
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT))
                .region(Region.of(config.region()))
                .forcePathStyle(config.pathStyle())
                // The SDK's default CRC trailers (aws-chunked uploads) are not understood by every S3-compatible
                // service; Content-MD5, which all of them check, and the sha-256 key already protect the bytes.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(credentials(config));
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(BlobStoreConfig.S3 config) {
        return config.credentials()
                .<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(c.accessKey(), c.secretKey())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
    }

    @Override
    public String put(byte[] bytes) {
        String key = BlobStore.keyOf(bytes);
        if (exists(key)) {
            return key;
        }
        try {
            s3.putObject(r -> r.bucket(config.bucket())
                            .key(objectKey(key))
                            .contentLength((long) bytes.length)
                            .contentType("application/octet-stream")
                            .contentMD5(md5(bytes)),
                    RequestBody.fromBytes(bytes));
            return key;
        } catch (SdkException e) {
            throw failure("cannot store blob " + key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        if (!BlobKeys.isValid(key)) {
            return false;
        }
        try {
            s3.headObject(r -> r.bucket(config.bucket()).key(objectKey(key)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            // A HEAD answer has no body, so a missing key may come as a bare 404.
            if (e.statusCode() == 404 && (e.awsErrorDetails() == null
                    || !"NoSuchBucket".equals(e.awsErrorDetails().errorCode()))) {
                return false;
            }
            throw failure("cannot look up blob " + key, e);
        } catch (SdkException e) {
            throw failure("cannot look up blob " + key, e);
        }
    }

    @Override
    public byte[] read(String key) {
        if (!BlobKeys.isValid(key)) {
            throw new BlobStoreException(Kind.NOT_FOUND, "not a blob key: " + key, null);
        }
        byte[] bytes;
        try {
            bytes = s3.getObjectAsBytes(r -> r.bucket(config.bucket()).key(objectKey(key))).asByteArrayUnsafe();
        } catch (NoSuchKeyException e) {
            throw new BlobStoreException(Kind.NOT_FOUND, "no blob " + key + " in " + config.location(), e);
        } catch (SdkException e) {
            throw failure("cannot read blob " + key, e);
        }
        if (!key.equals(BlobStore.keyOf(bytes))) {
            // Not "not found": the object exists, and dead-lettering its record would lose it for good.
            throw new BlobStoreException(Kind.UNAVAILABLE, "blob " + key + " in " + config.location()
                    + " does not hold the bytes its key names (" + bytes.length + " bytes read)", null);
        }
        return bytes;
    }

    /** The object key of a valid blob key: nothing else reaches the bucket. */
    String objectKey(String key) {
        BlobKeys.require(key);
        return config.prefix() + key;
    }

    private BlobStoreException failure(String message, SdkException e) {
        String detail = e.getMessage();
        if (e instanceof S3Exception s && s.awsErrorDetails() != null) {
            String code = String.valueOf(s.awsErrorDetails().errorCode());
            detail = "HTTP " + s.statusCode() + " " + code + ": " + s.awsErrorDetails().errorMessage();
            // MinIO says XMinioStorageFull (507) when its disks fill; quotas say QuotaExceeded.
            if (s.statusCode() == 507 || code.contains("StorageFull") || code.contains("QuotaExceeded")) {
                return new BlobStoreException(Kind.FULL, message + " in " + config.location() + ": " + detail, e);
            }
        }
        return new BlobStoreException(Kind.UNAVAILABLE, message + " in " + config.location() + ": " + detail, e);
    }

    private static String md5(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return "S3 blob store " + config.location()
                + config.endpoint().map(u -> " at " + u).orElse(" on AWS " + config.region())
                + (config.pathStyle() ? " (path-style)" : "");
    }
}
