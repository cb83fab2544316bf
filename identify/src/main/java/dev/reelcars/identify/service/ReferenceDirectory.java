package dev.reelcars.identify.service;

import dev.reelcars.events.ReferenceAdded;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What identify knows about each reference beyond its features: the blob to show beside a match. */
final class ReferenceDirectory {
    private final Map<String, ReferenceAdded> byId = new ConcurrentHashMap<>();

    void put(ReferenceAdded ref) {
        byId.put(ref.referenceId(), ref);
    }

    void remove(String referenceId) {
        byId.remove(referenceId);
    }

    Optional<ReferenceAdded> get(String referenceId) {
        return Optional.ofNullable(byId.get(referenceId));
    }

    int labels() {
        return (int) byId.values().stream().map(ReferenceAdded::label).distinct().count();
    }
}
