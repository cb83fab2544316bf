package dev.reelcars.identify.service;

import dev.reelcars.events.PoisonRecordException;
import dev.reelcars.platform.blob.BlobStore;

/** Reading a claim-checked image: a missing blob can never appear later, so its record is poison. */
final class Blobs {
    private Blobs() {
    }

    static byte[] readOrPoison(BlobStore blobs, String key) {
        try {
            return blobs.read(key);
        } catch (BlobStore.BlobStoreException e) {
            if (e.kind() == BlobStore.BlobStoreException.Kind.NOT_FOUND) {
                throw new PoisonRecordException("missing-blob", "blob " + key + " does not exist", e);
            }
            // Full or unavailable storage is an outage, not a bad record: let the loop retry.
            throw e;
        }
    }
}
