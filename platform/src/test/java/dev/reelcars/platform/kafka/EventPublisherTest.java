package dev.reelcars.platform.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventPublisherTest {
    /** Nothing listens on port 1, so no acknowledgement ever comes. */
    private final KafkaSettings nowhere = KafkaSettings.of("localhost:1", "publisher-test-" + UUID.randomUUID());

    @Test
    void refusesWith503AndRetryAfterAndDropsTheProducerWhenNoAckComesInTime() {
        try (EventPublisher publisher = new EventPublisher(nowhere, "events", Duration.ofMillis(300), 7)) {
            // When an event is published and the broker does not answer
            long t0 = System.nanoTime();
            var e = assertThrows(EventPublisher.Unavailable.class,
                    () -> publisher.publish("stills", SampleEvents.still()));

            // Then the caller is told to retry, within the timeout rather than max.block.ms
            assertEquals(503, e.status());
            assertEquals("kafka-unavailable", e.code());
            assertEquals(7, e.retryAfterSeconds());
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 5_000, "answered within the bounded wait");
            // And the producer holding the record is closed, so the record cannot be delivered later
            await().atMost(Duration.ofSeconds(10)).until(() -> producerThreads().isEmpty());
        }
    }

    @Test
    void refusesOnceClosed() {
        EventPublisher publisher = new EventPublisher(nowhere, "events", Duration.ofMillis(300), 7);
        publisher.close();

        var e = assertThrows(EventPublisher.Unavailable.class,
                () -> publisher.publish("stills", SampleEvents.still()));
        assertTrue(e.getMessage().contains("stopping"), e.getMessage());
        assertEquals(List.of(), producerThreads(), "closing created no producer");
    }

    private List<String> producerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.contains(nowhere.clientId("events"))).toList();
    }
}
