package dev.reelcars.notify;

import dev.reelcars.contracts.ApiException;
import dev.reelcars.contracts.Event;
import dev.reelcars.contracts.EventCodec;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes an event and returns only once the broker has acknowledged it; when Kafka does not answer in time the
 * caller gets {@link Unavailable} (HTTP 503 with Retry-After), never a silent loss.
 */
final class EventPublisher {
    /** Seconds a client is told to wait before retrying a request Kafka could not take. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final Producer<String, byte[]> producer;
    private final Duration timeout;

    EventPublisher(Producer<String, byte[]> producer, Duration timeout) {
        this.producer = producer;
        this.timeout = timeout;
    }

    void publish(String topic, Event event) {
        try {
            producer.send(new ProducerRecord<>(topic, event.key(), EventCodec.encode(event)))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while publishing to " + topic);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new Unavailable("Kafka did not acknowledge the event within " + timeout.toMillis() + " ms");
        }
    }

    /** Kafka could not take the event; the client should retry. */
    static final class Unavailable extends ApiException {
        Unavailable(String message) {
            super(503, "kafka-unavailable", message + "; try again shortly", RETRY_AFTER_SECONDS);
        }
    }
}
