package dev.reelcars.contracts;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer-group poll loop on its own thread: handle each record, then commit its offset. Work is therefore
 * at-least-once; handlers make it idempotent (the same still gives the same result key).
 *
 * <p>Failures are sorted on purpose (see {@link Failures}): poison records go to the dead-letter topic and the loop
 * goes on; retriable cluster errors rewind to the failed record and try again after a back-off; fatal errors stop
 * the loop; anything else is retried {@code maxAttempts} times, then dead-lettered.
 */
public final class ConsumerLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    private final String name;
    private final Consumer<String, byte[]> consumer;
    private final List<String> topics;
    private final RecordHandler handler;
    private final DeadLetters deadLetters;
    private final int maxAttempts;
    private final Duration backoff;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile boolean closing;
    private volatile boolean running;
    private volatile Throwable fatal;
    private Thread thread;

    public ConsumerLoop(String name, Consumer<String, byte[]> consumer, List<String> topics, RecordHandler handler,
            DeadLetters deadLetters, int maxAttempts, Duration backoff) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.name = name;
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException(name + " already started");
        }
        running = true;
        thread = new Thread(this::run, name);
        thread.start();
    }

    public boolean isRunning() {
        return running;
    }

    /** The error that stopped the loop, or null. */
    public Throwable fatalError() {
        return fatal;
    }

    public long processedCount() {
        return processed.get();
    }

    public long deadLetteredCount() {
        return deadLettered.get();
    }

    private void run() {
        try {
            consumer.subscribe(topics);
            while (!closing) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                        if (closing || !process(record)) {
                            // Not done: rewind so the next poll hands us this record again.
                            consumer.seek(partition, record.offset());
                            break;
                        }
                        commit(partition, record.offset() + 1);
                    }
                }
            }
        } catch (WakeupException e) {
            if (!closing) {
                fatal = e;
                log.error("{} woken up unexpectedly", name, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (FatalConsumerException e) {
            fatal = e.getCause();
            log.error("{} stopped: {}", name, e.getCause().toString(), e.getCause());
        } catch (RuntimeException e) {
            fatal = e;
            log.error("{} stopped by an unexpected error", name, e);
        } finally {
            running = false;
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("{} consumer close failed", name, e);
            }
            stopped.countDown();
        }
    }

    /** Returns true when the record is finished (handled or dead-lettered), false when it must be retried. */
    private boolean process(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                handler.handle(record);
                processed.incrementAndGet();
                return true;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                switch (Failures.classify(e)) {
                    case POISON -> {
                        return deadLetter(record, e);
                    }
                    case FATAL -> throw new FatalConsumerException(e);
                    case RETRIABLE -> {
                        log.warn("{}: retriable failure on {}-{}@{}, will retry: {}", name, record.topic(),
                                record.partition(), record.offset(), e.toString());
                        pause();
                        return false;
                    }
                    case UNEXPECTED -> {
                        if (attempt >= maxAttempts) {
                            log.error("{}: giving up on {}-{}@{} after {} attempts", name, record.topic(),
                                    record.partition(), record.offset(), attempt, e);
                            return deadLetter(record, e);
                        }
                        log.warn("{}: attempt {} on {}-{}@{} failed: {}", name, attempt, record.topic(),
                                record.partition(), record.offset(), e.toString());
                        pause();
                    }
                }
            }
        }
    }

    private boolean deadLetter(ConsumerRecord<String, byte[]> record, Exception cause) throws InterruptedException {
        try {
            deadLetters.send(record, Failures.reason(cause), cause instanceof java.util.concurrent.ExecutionException
                    && cause.getCause() != null ? cause.getCause() : cause);
            deadLettered.incrementAndGet();
            return true;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // The dead-letter topic is unreachable: keep the record (do not commit) and try again later.
            log.warn("{}: cannot dead-letter {}-{}@{} yet: {}", name, record.topic(), record.partition(),
                    record.offset(), e.toString());
            pause();
            return false;
        }
    }

    private void commit(TopicPartition partition, long nextOffset) {
        try {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(nextOffset)));
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // The partition moved to another instance; it will redeliver from the last commit, and handling is
            // idempotent, so the only cost is repeated work.
            log.info("{}: commit of {} lost to a rebalance: {}", name, partition, e.getMessage());
        }
    }

    private void pause() throws InterruptedException {
        if (!closing) {
            Thread.sleep(backoff.toMillis());
        }
    }

    /** Stops polling, lets the record in hand finish, closes the consumer. Waits up to 30 s. */
    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            if (thread != null && !stopped.await(30, TimeUnit.SECONDS)) {
                log.warn("{} did not stop within 30 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class FatalConsumerException extends RuntimeException {
        FatalConsumerException(Throwable cause) {
            super(cause);
        }
    }
}
