package dev.reelcars.platform.blob;

import dev.reelcars.platform.CommonKeys;
import dev.reelcars.platform.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the blob store keeps its bytes, read once from {@link Settings} ({@link CommonKeys} declares the keys):
 * <ul>
 *   <li>{@code REELCARS_BLOB_STORE}: a directory path (default {@code <REELCARS_DATA_DIR>/blobs}; the older name
 *       {@code REELCARS_BLOB_DIR} is still read), or {@code s3://bucket/prefix} for an S3-compatible service;</li>
 *   <li>with {@code s3://} only: {@code REELCARS_S3_ENDPOINT} (unset: AWS S3 itself; MinIO, Ceph, Garage, S3Proxy
 *       need their URL), {@code REELCARS_S3_REGION} (default {@code us-east-1}), {@code REELCARS_S3_ACCESS_KEY} and
 *       {@code REELCARS_S3_SECRET_KEY} (both or neither; neither: the AWS SDK's default chain, e.g. an instance
 *       role), {@code REELCARS_S3_PATH_STYLE} (bucket in the path instead of the host name; default true when an
 *       endpoint is set, since most self-hosted services need it).</li>
 * </ul>
 */
public sealed interface BlobStoreConfig permits BlobStoreConfig.Directory, BlobStoreConfig.S3 {

    static BlobStoreConfig from(Settings s, Path dataDir) {
        // REELCARS_BLOB_DIR, the name from before S3 existed, is the key's old name: optional() reads it too.
        Optional<String> store = s.optional(CommonKeys.BLOB_STORE);
        if (store.isEmpty()) {
            return new Directory(dataDir.resolve("blobs"));
        }
        String value = store.get();
        if (value.startsWith("s3://")) {
            return S3.from(s, value);
        }
        if (value.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            throw new IllegalArgumentException(
                    "REELCARS_BLOB_STORE must be a directory or s3://bucket/prefix, got '" + value + "'");
        }
        return new Directory(Path.of(value));
    }

    /** The embedded default: a local directory (a shared volume when services run apart). */
    record Directory(Path root) implements BlobStoreConfig {
        public Directory {
            Objects.requireNonNull(root, "blob store directory");
        }
    }

    /**
     * An S3 bucket: blobs are the objects {@code <prefix><sha-256 hex>}.
     *
     * @param prefix empty, or path segments ending in {@code /}
     * @param endpoint the service's URL; empty for AWS S3 (resolved from the region)
     * @param credentials empty: the AWS SDK's default credentials chain
     */
    record S3(String bucket, String prefix, Optional<URI> endpoint, String region, Optional<Credentials> credentials,
            boolean pathStyle) implements BlobStoreConfig {
        // S3's bucket naming rules (3..63 lowercase letters, digits, dots and hyphens, starting and ending alnum).
        private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
        // Characters S3 documents as safe in keys; '.' and '..' segments are refused below.
        private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9!_.*'()-]+/)*");
        private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");

        public S3 {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(credentials, "credentials");
            if (!BUCKET.matcher(bucket).matches()) {
                throw new IllegalArgumentException(
                        "S3 bucket must be 3..63 lowercase letters, digits, '.' or '-', got '" + bucket + "'");
            }
            String segments = "/" + prefix;
            if (!PREFIX.matcher(prefix).matches() || segments.contains("/./") || segments.contains("/../")) {
                throw new IllegalArgumentException("S3 key prefix must be path segments of letters, digits and "
                        + "!_.*'()- ending in '/', got '" + prefix + "'");
            }
            endpoint.ifPresent(uri -> {
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException(
                            "REELCARS_S3_ENDPOINT must be an http(s) URL, got '" + uri + "'");
                }
            });
            if (!REGION.matcher(region).matches()) {
                throw new IllegalArgumentException("REELCARS_S3_REGION must look like us-east-1, got '" + region + "'");
            }
        }

        static S3 from(Settings s, String location) {
            String rest = location.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            // "s3://b/p", "s3://b/p/" and "s3://b/" all mean what they look like.
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                prefix = prefix + "/";
            }
            Optional<URI> endpoint = s.optional(CommonKeys.S3_ENDPOINT).map(S3::uri);
            Optional<String> accessKey = s.optional(CommonKeys.S3_ACCESS_KEY);
            Optional<String> secretKey = s.optional(CommonKeys.S3_SECRET_KEY);
            if (accessKey.isPresent() != secretKey.isPresent()) {
                throw new IllegalArgumentException(
                        "set both REELCARS_S3_ACCESS_KEY and REELCARS_S3_SECRET_KEY, or neither");
            }
            Optional<Credentials> credentials = accessKey.map(a -> new Credentials(a, secretKey.get()));
            return new S3(bucket, prefix, endpoint, s.string(CommonKeys.S3_REGION), credentials,
                    s.bool(CommonKeys.S3_PATH_STYLE, endpoint.isPresent()));
        }

        private static URI uri(String text) {
            try {
                return new URI(text);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("REELCARS_S3_ENDPOINT must be an http(s) URL, got '" + text + "'");
            }
        }

        /** {@code s3://bucket/prefix}, as configured. */
        public String location() {
            return "s3://" + bucket + "/" + prefix;
        }
    }

    /** A static access key; {@link #toString()} leaves the secret out of logs. */
    record Credentials(String accessKey, String secretKey) {
        public Credentials {
            Objects.requireNonNull(accessKey, "access key");
            Objects.requireNonNull(secretKey, "secret key");
        }

        @Override
        public String toString() {
            return "Credentials[accessKey=" + accessKey + ", secretKey=(hidden)]";
        }
    }
}
