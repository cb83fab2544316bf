package dev.reelcars.platform.kafka;

import dev.reelcars.events.Event;
import dev.reelcars.events.EventCodec;
import dev.reelcars.platform.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes an event on behalf of an HTTP request and waits for the broker's acknowledgement, at most
 * {@code timeout}; otherwise the request gets {@link Unavailable} (503 with Retry-After). When the wait runs out,
 * the producer is closed at once, which aborts the record still waiting in its buffer, so a request answered 503 is
 * not published behind the client's back when the broker returns; the next publish gets a fresh producer.
 */
public final class EventPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final KafkaSettings kafka;
    private final String role;
    private final Duration timeout;
    private final int retryAfterSeconds;
    private final ExecutorService senders;
    private KafkaProducer<String, byte[]> producer;
    private boolean closed;

    /**
     * @param role names the producer's client.id and its sender threads (one role per service and purpose)
     * @param timeout how long {@link #publish} waits for the acknowledgement
     * @param retryAfterSeconds the {@code Retry-After} of the 503 when it does not come
     */
    public EventPublisher(KafkaSettings kafka, String role, Duration timeout, int retryAfterSeconds) {
        this.kafka = kafka;
        this.role = role;
        this.timeout = timeout;
        this.retryAfterSeconds = retryAfterSeconds;
        this.senders = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, role + "-publish");
            t.setDaemon(true);
            return t;
        });
    }

    /** Returns once the event is durable on the broker; otherwise throws {@link Unavailable}. */
    public void publish(String topic, Event event) {
        publish(topic, event, Map.of());
    }

    /** As {@link #publish(String, Event)}, with these record headers. */
    public void publish(String topic, Event event, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.key(), EventCodec.encode(event));
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        send(record);
    }

    /** A tombstone (null value) for {@code key}: on a compacted topic it removes the key. Same guarantees. */
    public void publishTombstone(String topic, String key) {
        send(new ProducerRecord<>(topic, key, null));
    }

    private void send(ProducerRecord<String, byte[]> record) {
        KafkaProducer<String, byte[]> p = producer();
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            // send() itself may block up to max.block.ms waiting for metadata, so it runs on a sender thread and
            // the whole publish is bounded by our timeout; closing the producer wakes a blocked send.
            senders.execute(() -> {
                try {
                    p.send(record, (metadata, error) -> {
                        if (error != null) {
                            acked.completeExceptionally(error);
                        } else {
                            acked.complete(metadata);
                        }
                    });
                } catch (RuntimeException e) {
                    acked.completeExceptionally(e);
                }
            });
            acked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            throw unavailable("the service is stopping");
        } catch (TimeoutException e) {
            discard(p);
            throw unavailable("no acknowledgement from Kafka within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            discard(p);
            throw unavailable("Kafka refused the event: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discard(p);
            throw unavailable("interrupted while waiting for Kafka");
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (closed) {
            throw unavailable("the service is stopping");
        }
        if (producer == null) {
            producer = KafkaClients.producer(kafka, role);
        }
        return producer;
    }

    private void discard(KafkaProducer<String, byte[]> failed) {
        synchronized (this) {
            if (producer == failed) {
                producer = null;
            }
        }
        // Zero timeout: abort buffered records instead of delivering them late.
        failed.close(Duration.ZERO);
    }

    private Unavailable unavailable(String why) {
        log.warn("{}: publish failed: {}", role, why);
        return new Unavailable(why, retryAfterSeconds);
    }

    @Override
    public void close() {
        KafkaProducer<String, byte[]> p;
        synchronized (this) {
            closed = true;
            p = producer;
            producer = null;
        }
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
        senders.shutdownNow();
    }

    /** Kafka did not take the event, and it will not be published later either: the client should retry. */
    public static final class Unavailable extends ApiException {
        Unavailable(String why, int retryAfterSeconds) {
            super(503, "kafka-unavailable",
                    "cannot record this right now (" + why + "); nothing was published, try again later",
                    retryAfterSeconds);
        }
    }
}
