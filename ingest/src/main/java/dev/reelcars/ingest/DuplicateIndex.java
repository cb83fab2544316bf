package dev.reelcars.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What has been submitted, for duplicate detection: blob key (exact bytes) to the first id, and every perceptual
 * hash with the id of the first submission of that shot. It lives in memory and is rebuilt from the topics at start,
 * so it needs no local database. Thread-safe.
 */
final class DuplicateIndex {
    private final int maxDistance;
    private final Map<String, String> byBlobKey = new HashMap<>();
    private final Set<String> hashedIds = new HashSet<>();
    private final List<ImageSignature> signatures = new ArrayList<>();
    private final List<String> roots = new ArrayList<>();

    DuplicateIndex(int maxDistance) {
        this.maxDistance = maxDistance;
    }

    synchronized Optional<String> exact(String blobKey) {
        return Optional.ofNullable(byBlobKey.get(blobKey));
    }

    /** The first submission of the nearest shot within the distance, if any. */
    synchronized Optional<String> near(ImageSignature signature) {
        int best = maxDistance + 1;
        String root = null;
        for (int i = 0; i < signatures.size() && best > 0; i++) {
            int d = signatures.get(i).distance(signature);
            if (d < best) {
                best = d;
                root = roots.get(i);
            }
        }
        return Optional.ofNullable(root);
    }

    /**
     * Records a submission; a second record of the same id (our own publish seen again by the replay) is a no-op.
     * {@code signature} may be null when unknown; {@code duplicateOf} names the first submission of the shot, if any.
     */
    synchronized void record(String id, String blobKey, ImageSignature signature, String duplicateOf) {
        byBlobKey.putIfAbsent(blobKey, id);
        if (signature == null || !hashedIds.add(id)) {
            return;
        }
        signatures.add(signature);
        roots.add(duplicateOf != null ? duplicateOf : id);
    }

    synchronized int size() {
        return byBlobKey.size();
    }
}
