package dev.reelcars.platform.blob;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the blob store a {@link BlobStoreConfig} names: the one place that knows the implementations. */
public final class BlobStores {
    private static final Logger log = LoggerFactory.getLogger(BlobStores.class);

    private BlobStores() {
    }

    /**
     * The configured store. Opening contacts no server: a service starts while S3 is down, and its operations fail
     * as {@link BlobStore.BlobStoreException.Kind#UNAVAILABLE} until it is back.
     */
    public static BlobStore open(BlobStoreConfig config) {
        // Java 17 has no pattern switch; the interface is sealed, so these two are all there is.
        BlobStore store = config instanceof BlobStoreConfig.S3 s3
                ? new S3BlobStore(s3)
                : new DirectoryBlobStore(((BlobStoreConfig.Directory) config).root());
        log.info("blobs in the {}", store);
        return store;
    }

    /** A store on a local directory (the embedded default; tests). */
    public static BlobStore directory(Path root) {
        return new DirectoryBlobStore(root);
    }
}
