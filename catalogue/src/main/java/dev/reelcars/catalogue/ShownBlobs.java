package dev.reelcars.catalogue;

import java.util.HashMap;
import java.util.Map;

/**
 * Which images the catalogue shows (a confirmed still, a reference view), counted by how many appearances and views
 * show each: only those are served, so a still under review or rejected stays private even if its key is known.
 * Not thread-safe: the {@link Catalogue} owns it.
 */
final class ShownBlobs {
    private final Map<String, Integer> counts = new HashMap<>();

    void show(String blobKey) {
        counts.merge(blobKey, 1, Integer::sum);
    }

    void unshow(String blobKey) {
        counts.computeIfPresent(blobKey, (k, n) -> n == 1 ? null : n - 1);
    }

    boolean shows(String blobKey) {
        return counts.containsKey(blobKey);
    }
}
