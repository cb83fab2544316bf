package dev.reelcars.events;

/** Every event on a reelcars topic: versioned, and keyed so that all events about one thing share a partition. */
public interface Event {
    int schemaVersion();

    String key();
}
