package dev.reelcars.platform.kafka;

import dev.reelcars.events.PoisonRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads whole topics from the beginning and then follows them live, without a consumer group: every instance gets
 * every record. This is how state is rebuilt from Kafka at start (identify's gallery, notify's review queue), and
 * {@link #awaitCaughtUp} tells when everything that existed at start has been applied.
 *
 * <p>A record the handler cannot process goes to the dead-letter topic and is skipped; since nothing is committed,
 * a restart replays it and dead-letters it again (the dead-letter headers carry its offset, so copies are easy to
 * recognise). A retriable failure (the blob store or the cluster briefly down) is no fault of the record: the replay
 * waits on that record, retrying with back-off, so a good record is never skipped for an outage.
 */
public final class TopicReplay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicReplay.class);
    /** Waits between tries of a record that failed for a passing reason: quick at first, then every few seconds. */
    private static final long RETRY_BACKOFF_MIN_MILLIS = 100;
    private static final long RETRY_BACKOFF_MAX_MILLIS = 5_000;

    private final String name;
    private final Consumer<String, byte[]> consumer;
    private final List<String> topics;
    private final RecordHandler handler;
    private final DeadLetters deadLetters;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final PollThread poll;

    public TopicReplay(String name, Consumer<String, byte[]> consumer, List<String> topics, RecordHandler handler,
            DeadLetters deadLetters) {
        this.name = name;
        this.consumer = consumer;
        this.poll = new PollThread(name, consumer);
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.deadLetters = deadLetters;
    }

    public void start() {
        poll.start(this::run);
    }

    /** Waits until every record present at start has been handled. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(60))) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
            checkCaughtUp(end);
            while (!poll.closing()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> record : records) {
                    apply(record);
                }
                if (caughtUp.getCount() > 0) {
                    checkCaughtUp(end);
                }
            }
        } catch (WakeupException e) {
            if (!poll.closing()) {
                log.error("{} woken up unexpectedly", name, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("{} stopped by an unexpected error", name, e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("{} consumer close failed", name, e);
            }
        }
    }

    private void checkCaughtUp(Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return;
            }
        }
        caughtUp.countDown();
    }

    private void apply(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        long backoffMillis = RETRY_BACKOFF_MIN_MILLIS;
        while (true) {
            try {
                handler.handle(record);
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (Failures.classify(e) != Failures.RETRIABLE) {
                    deadLetter(record, e);
                    return;
                }
                if (poll.closing()) {
                    // Nothing is committed: the next start replays this record.
                    return;
                }
                log.warn("{}: {}-{}@{} waits {} ms for a passing failure: {}", name, record.topic(),
                        record.partition(), record.offset(), backoffMillis, e.toString());
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, RETRY_BACKOFF_MAX_MILLIS);
            }
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, Exception e) throws InterruptedException {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                ? e.getCause() : e;
        if (!(cause instanceof PoisonRecordException)) {
            log.error("{}: cannot apply {}-{}@{}", name, record.topic(), record.partition(), record.offset(), e);
        }
        try {
            deadLetters.send(record, Failures.reason(e), cause);
        } catch (InterruptedException ie) {
            throw ie;
        } catch (Exception dltFailure) {
            log.error("{}: cannot dead-letter {}-{}@{}: {}", name, record.topic(), record.partition(),
                    record.offset(), dltFailure.toString());
        }
    }

    @Override
    public void close() {
        poll.close();
    }
}
