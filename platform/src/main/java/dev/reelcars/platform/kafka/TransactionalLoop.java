package dev.reelcars.platform.kafka;

import dev.reelcars.platform.metrics.Metrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exactly-once read-process-write loop: each polled batch's outputs, dead letters and consumed offsets are
 * committed in one Kafka transaction. A crash or a kill at any point either commits all of a batch or none of it,
 * so every input yields exactly one output as read by {@code read_committed} consumers.
 *
 * <p>Failures are sorted as in {@link ConsumerLoop}: a poison record's dead letter is written inside the
 * transaction (so it too appears exactly once); a retriable error aborts the batch and retries it after a back-off;
 * an unexpected error aborts and retries, and after {@code maxAttempts} the record is dead-lettered; a fenced
 * producer (another instance took over) or a fatal error stops the loop.
 */
public final class TransactionalLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionalLoop.class);

    /** Turns one input record into the records to publish (an empty list publishes nothing). */
    @FunctionalInterface
    public interface Transformer {
        List<ProducerRecord<String, byte[]>> apply(ConsumerRecord<String, byte[]> record) throws Exception;
    }

    private final String name;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final List<String> topics;
    private final Transformer transformer;
    private final int maxAttempts;
    private final Duration backoff;
    private final Map<String, Integer> attempts = new HashMap<>();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final java.util.Set<TopicPartition> assigned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private volatile Throwable fatal;
    private final PollThread poll;
    /** Where dead letters are counted once their transaction commits; null: nowhere. */
    private volatile Metrics metrics;

    public TransactionalLoop(String name, Consumer<String, byte[]> consumer, Producer<String, byte[]> producer,
            List<String> topics, Transformer transformer, int maxAttempts, Duration backoff) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.name = name;
        this.consumer = consumer;
        this.poll = new PollThread(name, consumer);
        this.producer = producer;
        this.topics = List.copyOf(topics);
        this.transformer = transformer;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
    }

    /** Counts this loop's dead letters in the service's metrics (by source topic and reason), from now on. */
    public void countDeadLettersIn(Metrics metrics) {
        this.metrics = metrics;
    }

    public void start() {
        running = true;
        poll.start(this::run);
    }

    public boolean isRunning() {
        return running;
    }

    public Throwable fatalError() {
        return fatal;
    }

    /** The partitions this instance currently owns in its group (for health and scale-out checks). */
    public java.util.Set<TopicPartition> assignedPartitions() {
        return java.util.Set.copyOf(assigned);
    }

    public long processedCount() {
        return processed.get();
    }

    public long deadLetteredCount() {
        return deadLettered.get();
    }

    private void run() {
        try {
            initTransactions();
            consumer.subscribe(topics, new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                    assigned.removeAll(partitions);
                }

                @Override
                public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                    assigned.addAll(partitions);
                }

                @Override
                public void onPartitionsLost(java.util.Collection<TopicPartition> partitions) {
                    assigned.removeAll(partitions);
                }
            });
            while (!poll.closing()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty() && !poll.closing()) {
                    processBatch(records);
                }
            }
        } catch (WakeupException e) {
            if (!poll.closing()) {
                fatal = e;
                log.error("{} woken up unexpectedly", name, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ProducerFencedException | InvalidProducerEpochException | FencedInstanceIdException e) {
            fatal = e;
            log.error("{} fenced: another instance took over its work; stopping", name, e);
        } catch (FatalLoopException e) {
            fatal = e.getCause();
            log.error("{} stopped: {}", name, e.getCause().toString(), e.getCause());
        } catch (RuntimeException | Error e) {
            // The thread ends here either way; say which loop died and why, and leave any open transaction
            // unfinished, as a crash would (the next instance's initTransactions aborts it).
            fatal = e;
            log.error("{} stopped by an unexpected error", name, e);
        } finally {
            running = false;
            closeQuietly();
        }
    }

    /** Retries while the broker is unreachable: a loop started during an outage waits for it, like the rest. */
    private void initTransactions() throws InterruptedException {
        while (!poll.closing()) {
            try {
                producer.initTransactions();
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                log.warn("{}: cannot initialise transactions yet ({}); retrying", name, e.getMessage());
                Thread.sleep(backoff.toMillis());
            }
        }
    }

    private void processBatch(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        List<ProducerRecord<String, byte[]>> deadLetters = new java.util.ArrayList<>();
        int dead = 0;
        producer.beginTransaction();
        try {
            for (ConsumerRecord<String, byte[]> record : records) {
                List<ProducerRecord<String, byte[]>> out;
                try {
                    out = transformer.apply(record);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    out = List.of(onFailure(record, e));
                    deadLetters.add(out.get(0));
                    dead++;
                }
                for (ProducerRecord<String, byte[]> r : out) {
                    producer.send(r);
                }
                offsets.put(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            commit();
            processed.addAndGet(records.count() - dead);
            deadLettered.addAndGet(dead);
            Metrics m = metrics;
            if (m != null) {
                deadLetters.forEach(d -> m.deadLettered(DeadLetters.header(d.headers(), DeadLetters.TOPIC),
                        DeadLetters.header(d.headers(), DeadLetters.REASON)));
            }
            records.forEach(r -> attempts.remove(attemptKey(r)));
        } catch (ProducerFencedException | InvalidProducerEpochException | FencedInstanceIdException e) {
            throw e;
        } catch (RetryBatch | KafkaException e) {
            if (e instanceof RetryBatch && e.getCause() instanceof FatalLoopException f) {
                abortQuietly();
                throw f;
            }
            log.warn("{}: batch of {} aborted, will retry: {}", name, records.count(),
                    e instanceof RetryBatch ? e.getCause().toString() : e.toString());
            abortQuietly();
            rewind(records);
            if (!poll.closing()) {
                Thread.sleep(backoff.toMillis());
            }
        }
    }

    /**
     * Commits, retrying a commit that timed out. The client allows nothing else after a timed-out commit (an abort
     * throws IllegalStateException): the commit may already be completing on the coordinator, and only retrying it
     * tells. It times out when the transaction coordinator's broker dies and another takes over; seen in the
     * compose check (deploy/README.md), where it stopped identify's loop for good.
     */
    private void commit() throws InterruptedException {
        while (true) {
            try {
                producer.commitTransaction();
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (poll.closing()) {
                    throw e;
                }
                log.warn("{}: commit timed out, retrying it: {}", name, e.getMessage());
                Thread.sleep(backoff.toMillis());
            }
        }
    }

    /** The dead letter for a record, or a {@link RetryBatch} when the batch should be tried again. */
    private ProducerRecord<String, byte[]> onFailure(ConsumerRecord<String, byte[]> record, Exception e) {
        switch (Failures.classify(e)) {
            case POISON -> {
                return deadLetter(record, e);
            }
            case FATAL -> throw new RetryBatch(new FatalLoopException(e));
            case RETRIABLE -> throw new RetryBatch(e);
            default -> {
                int n = attempts.merge(attemptKey(record), 1, Integer::sum);
                if (n >= maxAttempts) {
                    log.error("{}: giving up on {}-{}@{} after {} attempts", name, record.topic(), record.partition(),
                            record.offset(), n, e);
                    return deadLetter(record, e);
                }
                throw new RetryBatch(e);
            }
        }
    }

    private ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> record, Exception e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                ? e.getCause() : e;
        log.warn("{}: dead-lettering {}-{}@{} ({}): {}", name, record.topic(), record.partition(), record.offset(),
                Failures.reason(e), cause.getMessage());
        return DeadLetters.record(record, Failures.reason(e), cause, name);
    }

    private static String attemptKey(ConsumerRecord<String, byte[]> r) {
        return r.topic() + "-" + r.partition() + "@" + r.offset();
    }

    /** Back to the first record of the batch on each partition, so the aborted batch is polled again. */
    private void rewind(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            if (consumer.assignment().contains(tp)) {
                consumer.seek(tp, records.records(tp).get(0).offset());
            }
        }
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (KafkaException | IllegalStateException e) {
            // IllegalStateException: closing after a timed-out commit, which may not be aborted; close() follows.
            log.warn("{}: abort failed: {}", name, e.toString());
        }
    }

    private void closeQuietly() {
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.warn("{} consumer close failed", name, e);
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.warn("{} producer close failed", name, e);
        }
    }

    /** Stops after the batch in hand (committed or aborted), then closes its consumer and producer. */
    @Override
    public void close() {
        poll.close();
    }

    private static final class RetryBatch extends RuntimeException {
        RetryBatch(Throwable cause) {
            super(cause);
        }
    }

    private static final class FatalLoopException extends RuntimeException {
        FatalLoopException(Throwable cause) {
            super(cause);
        }
    }
}
