package dev.reelcars.platform.blob;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3-API server in the test's JVM: S3Proxy on jclouds' in-memory ("transient") backend, on a free port of
 * 127.0.0.1, with signature v4 authentication like AWS. The backend is reachable directly, to look at or tamper
 * with objects behind the client's back.
 */
final class S3ProxyServer {
    static final String ACCESS_KEY = "reelcars-test";
    static final String SECRET_KEY = "reelcars-test-secret";

    private final BlobStoreContext backend;
    private final S3Proxy proxy;
    private boolean running;

    private S3ProxyServer(BlobStoreContext backend, S3Proxy proxy) {
        this.backend = backend;
        this.proxy = proxy;
    }

    /** Starts a server holding one empty bucket. */
    static S3ProxyServer start(String bucket) throws Exception {
        BlobStoreContext backend = ContextBuilder.newBuilder("transient")
                .credentials("unused", "unused")
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(backend.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // Jetty's default pool is 200 threads; a test needs a handful.
                .jettyMaxThreads(16)
                .build();
        S3ProxyServer server = new S3ProxyServer(backend, proxy);
        try {
            proxy.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
                }
                Thread.sleep(5);
            }
            server.running = true;
            backend.getBlobStore().createContainerInLocation(null, bucket);
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** The store's settings for this server (path-style, as S3Proxy serves no virtual hosts). */
    BlobStoreConfig.S3 config(String bucket, String prefix) {
        return new BlobStoreConfig.S3(bucket, prefix, Optional.of(endpoint()), "us-east-1",
                Optional.of(new BlobStoreConfig.Credentials(ACCESS_KEY, SECRET_KEY)), true);
    }

    /** What S3Proxy stores into: jclouds' view of the same buckets. */
    org.jclouds.blobstore.BlobStore backend() {
        return backend.getBlobStore();
    }

    /** Stops serving; the port then refuses connections. */
    void stop() throws Exception {
        if (running) {
            running = false;
            proxy.stop();
        }
    }

    /** Stops serving and drops the backend's objects. */
    void close() throws Exception {
        try {
            stop();
        } finally {
            backend.close();
        }
    }
}
