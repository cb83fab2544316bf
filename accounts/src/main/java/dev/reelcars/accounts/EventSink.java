package dev.reelcars.accounts;

import dev.reelcars.events.Event;

/** Publishes an event and returns once the broker acknowledged it (the service's publisher). */
@FunctionalInterface
public interface EventSink {
    void publish(String topic, Event event);
}
