package dev.reelcars.platform.kafka;

import dev.reelcars.events.Topics;
import dev.reelcars.platform.metrics.Metrics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record that can never be processed to its topic's dead-letter topic, unchanged, with why in headers:
 * {@code dlt.reason} (stable code), {@code dlt.message}, {@code dlt.exception}, and where it came from
 * ({@code dlt.topic}, {@code dlt.partition}, {@code dlt.offset}, {@code dlt.consumer}).
 */
public final class DeadLetters {
    public static final String REASON = "dlt.reason";
    public static final String MESSAGE = "dlt.message";
    public static final String EXCEPTION = "dlt.exception";
    public static final String TOPIC = "dlt.topic";
    public static final String PARTITION = "dlt.partition";
    public static final String OFFSET = "dlt.offset";
    public static final String CONSUMER = "dlt.consumer";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final Producer<String, byte[]> producer;
    private final String consumerName;
    private final Metrics metrics;

    public DeadLetters(Producer<String, byte[]> producer, String consumerName) {
        this(producer, consumerName, null);
    }

    /** @param metrics where each dead letter is counted by source topic and reason; null: nowhere */
    public DeadLetters(Producer<String, byte[]> producer, String consumerName, Metrics metrics) {
        this.producer = producer;
        this.consumerName = consumerName;
        this.metrics = metrics;
    }

    /** Publishes and waits for the broker's acknowledgement, so the caller may then commit past the record. */
    public void send(ConsumerRecord<String, byte[]> record, String reason, Throwable cause)
            throws ExecutionException, InterruptedException, TimeoutException {
        producer.send(record(record, reason, cause, consumerName)).get(30, TimeUnit.SECONDS);
        if (metrics != null) {
            metrics.deadLettered(record.topic(), reason);
        }
        log.warn("dead-lettered {}-{}@{} ({}): {}", record.topic(), record.partition(), record.offset(), reason,
                cause.getMessage());
    }

    /** The dead letter for a record: same key and value, on {@code <topic>.dlt}, with why and whence in headers. */
    public static ProducerRecord<String, byte[]> record(ConsumerRecord<String, byte[]> record, String reason,
            Throwable cause, String consumerName) {
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(
                Topics.deadLetter(record.topic()), null, record.key(), record.value());
        Headers h = dead.headers();
        record.headers().forEach(h::add);
        put(h, REASON, reason);
        put(h, MESSAGE, String.valueOf(cause.getMessage()));
        put(h, EXCEPTION, cause.getClass().getName());
        put(h, TOPIC, record.topic());
        put(h, PARTITION, String.valueOf(record.partition()));
        put(h, OFFSET, String.valueOf(record.offset()));
        put(h, CONSUMER, consumerName);
        return dead;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a header written by {@link #send}, or null. */
    public static String header(Headers headers, String key) {
        var last = headers.lastHeader(key);
        return last == null ? null : new String(last.value(), StandardCharsets.UTF_8);
    }
}
