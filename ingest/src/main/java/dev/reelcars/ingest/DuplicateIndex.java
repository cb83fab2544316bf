package dev.reelcars.ingest;

import java.util.HashMap;
import java.util.HashSet;
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
    private long[] hashes = new long[1024];
    private String[] roots = new String[1024];
    private int size;

    DuplicateIndex(int maxDistance) {
        this.maxDistance = maxDistance;
    }

    synchronized Optional<String> exact(String blobKey) {
        return Optional.ofNullable(byBlobKey.get(blobKey));
    }

    /** The first submission of the nearest shot within the distance, if any. */
    synchronized Optional<String> near(long phash) {
        int best = maxDistance + 1;
        String root = null;
        for (int i = 0; i < size; i++) {
            int d = Long.bitCount(hashes[i] ^ phash);
            if (d < best) {
                best = d;
                root = roots[i];
            }
        }
        return Optional.ofNullable(root);
    }

    /**
     * Records a submission; a second record of the same id (our own publish seen again by the replay) is a no-op.
     * {@code phash} may be null when unknown; {@code duplicateOf} names the first submission of the shot, if any.
     */
    synchronized void record(String id, String blobKey, Long phash, String duplicateOf) {
        byBlobKey.putIfAbsent(blobKey, id);
        if (phash == null || !hashedIds.add(id)) {
            return;
        }
        if (size == hashes.length) {
            hashes = java.util.Arrays.copyOf(hashes, size * 2);
            roots = java.util.Arrays.copyOf(roots, size * 2);
        }
        hashes[size] = phash;
        roots[size] = duplicateOf != null ? duplicateOf : id;
        size++;
    }

    synchronized int size() {
        return byBlobKey.size();
    }
}
