package dev.reelcars.ingest;

import dev.reelcars.contracts.ApiException;
import dev.reelcars.contracts.Event;
import dev.reelcars.contracts.EventCodec;
import dev.reelcars.contracts.KafkaClients;
import dev.reelcars.contracts.KafkaSettings;
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
 * Publishes an event and waits for the broker's acknowledgement, at most {@code timeout}. When the wait runs out,
 * the producer is closed at once, which aborts the record still waiting in its buffer, so an upload answered 503 is
 * not published behind the client's back when the broker returns; the next upload gets a fresh producer.
 */
final class EventPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final KafkaSettings kafka;
    private final Duration timeout;
    private final int retryAfterSeconds;
    private final ExecutorService senders = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ingest-publish");
        t.setDaemon(true);
        return t;
    });
    private KafkaProducer<String, byte[]> producer;
    private boolean closed;

    EventPublisher(KafkaSettings kafka, Duration timeout, int retryAfterSeconds) {
        this.kafka = kafka;
        this.timeout = timeout;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Returns once the event is durable on the broker; otherwise throws 503 {@code kafka-unavailable}. */
    void publish(String topic, Event event, Map<String, String> headers) {
        KafkaProducer<String, byte[]> p = producer();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.key(), EventCodec.encode(event));
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
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
            throw unavailable("ingest is stopping");
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
            throw unavailable("ingest is stopping");
        }
        if (producer == null) {
            producer = KafkaClients.producer(kafka, "ingest");
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

    private ApiException unavailable(String why) {
        log.warn("publish failed: {}", why);
        return new ApiException(503, "kafka-unavailable",
                "cannot record the upload right now (" + why + "); nothing was published, try again later",
                retryAfterSeconds);
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
}
