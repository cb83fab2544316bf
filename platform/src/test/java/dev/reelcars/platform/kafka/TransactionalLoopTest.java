package dev.reelcars.platform.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reelcars.broker.EmbeddedKafka;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.events.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionalLoopTest {
    @TempDir
    static Path dir;
    static EmbeddedKafka broker;
    Topics topics;
    KafkaSettings kafka;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafka.start(dir.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void freshTopics() {
        topics = Topics.withPrefix("t" + UUID.randomUUID() + ".");
        kafka = KafkaSettings.of(broker.bootstrapServers(), "test");
        TopicAdmin.ensureTopics(kafka, topics, 30_000);
    }

    /** Copies each still's id to the identifications topic, decoding it first (so bad JSON is poison). */
    TransactionalLoop.Transformer copyStillIds(AtomicInteger calls) {
        return r -> {
            calls.incrementAndGet();
            String id = EventCodec.decode(r.value(), StillSubmitted.class).stillId();
            return List.of(new ProducerRecord<>(topics.identifications(), id, id.getBytes(StandardCharsets.UTF_8)));
        };
    }

    TransactionalLoop loop(String group, TransactionalLoop.Transformer t) {
        return new TransactionalLoop("test-loop", KafkaClients.groupConsumer(kafka, "c", group),
                KafkaClients.transactionalProducer(kafka, "p", "tx-" + group), List.of(topics.stills()), t, 3,
                Duration.ofMillis(50));
    }

    @Test
    void sendsAPoisonRecordToTheDeadLetterTopicWithItsReasonAndGoesOn() throws Exception {
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "test-producer");
                TransactionalLoop loop = loop("g-" + UUID.randomUUID(), copyStillIds(new AtomicInteger()))) {
            loop.start();
            // Given a good record, a poison record and another good record
            producer.send(new ProducerRecord<>(topics.stills(), "k", EventCodec.encode(SampleEvents.still()))).get();
            producer.send(new ProducerRecord<>(topics.stills(), "k", "{oops".getBytes(StandardCharsets.UTF_8))).get();
            StillSubmitted second = new StillSubmitted(1, "still-2", SampleEvents.KEY, "image/png", 5, 5, null,
                    null, null, null, null, null, null, SampleEvents.T);
            producer.send(new ProducerRecord<>(topics.stills(), "k", EventCodec.encode(second))).get();

            // Then both good records have their output and the poison one is in the DLT with its reason
            await().atMost(Duration.ofSeconds(30)).until(() -> values(topics.identifications()).size() == 2);
            assertEquals(List.of("still-1", "still-2"), values(topics.identifications()).stream().sorted().toList());
            ConsumerRecord<String, byte[]> dead = firstRecord(kafka, Topics.deadLetter(topics.stills()));
            assertEquals("invalid-json", DeadLetters.header(dead.headers(), DeadLetters.REASON));
            assertEquals(topics.stills(), DeadLetters.header(dead.headers(), DeadLetters.TOPIC));
            assertEquals("{oops", new String(dead.value(), StandardCharsets.UTF_8), "the record is kept unchanged");
            assertEquals(1, loop.deadLetteredCount());
        }
    }

    @Test
    void retriesAnUnexpectedFailureThenDeadLettersItAfterMaxAttempts() throws Exception {
        // Given a transformer that always fails on one record with a bug-like exception
        AtomicInteger badAttempts = new AtomicInteger();
        TransactionalLoop.Transformer flaky = r -> {
            if ("bad".equals(r.key())) {
                badAttempts.incrementAndGet();
                throw new IllegalStateException("a bug");
            }
            return List.of(new ProducerRecord<>(topics.identifications(), r.key(), r.value()));
        };
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "test-producer");
                TransactionalLoop loop = loop("g-" + UUID.randomUUID(), flaky)) {
            loop.start();
            producer.send(new ProducerRecord<>(topics.stills(), 0, "bad", "x".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topics.stills(), 0, "good", "y".getBytes(StandardCharsets.UTF_8))).get();

            // Then the good record's output appears once, and the bad one ends in the DLT after 3 attempts
            await().atMost(Duration.ofSeconds(30)).until(() -> loop.deadLetteredCount() == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> values(topics.identifications()).size() == 1);
            assertEquals(List.of("y"), values(topics.identifications()), "aborted attempts leave no output behind");
            ConsumerRecord<String, byte[]> dead = firstRecord(kafka, Topics.deadLetter(topics.stills()));
            assertEquals("processing-failed", DeadLetters.header(dead.headers(), DeadLetters.REASON));
            assertEquals(3, badAttempts.get(), "the bad record was tried maxAttempts times, no more, no less");
        }
    }

    @Test
    void resumesAfterTheLastCommittedBatchWhenRestarted() throws Exception {
        String group = "g-" + UUID.randomUUID();
        AtomicInteger calls = new AtomicInteger();
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "test-producer")) {
            producer.send(new ProducerRecord<>(topics.stills(), "k", EventCodec.encode(SampleEvents.still()))).get();
            // Given a loop that processed one record and stopped
            try (TransactionalLoop first = loop(group, copyStillIds(calls))) {
                first.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> values(topics.identifications()).size() == 1);
            }
            // When another record arrives while it is down and the group starts again
            StillSubmitted second = new StillSubmitted(1, "still-2", SampleEvents.KEY, "image/png", 5, 5, null,
                    null, null, null, null, null, null, SampleEvents.T);
            producer.send(new ProducerRecord<>(topics.stills(), "k", EventCodec.encode(second))).get();
            try (TransactionalLoop again = loop(group, copyStillIds(calls))) {
                again.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> values(topics.identifications()).size() >= 2);
            }
            // Then only the new record is processed: nothing lost, nothing repeated
            assertEquals(List.of("still-1", "still-2"), values(topics.identifications()).stream().sorted().toList());
            assertEquals(2, calls.get(), "the first record was not processed again");
        }
    }

    @Test
    void retriesACommitThatTimedOutInsteadOfAbortingItAndGoesOn() throws Exception {
        // Given a producer whose first commit times out (the coordinator's broker died) and which then, like
        // KafkaProducer, refuses an abort until that commit is retried
        KafkaProducer<String, byte[]> real = KafkaClients.transactionalProducer(kafka, "p", "tx-" + UUID.randomUUID());
        AtomicInteger commits = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean commitPending = new java.util.concurrent.atomic.AtomicBoolean();
        @SuppressWarnings("unchecked")
        org.apache.kafka.clients.producer.Producer<String, byte[]> flaky =
                (org.apache.kafka.clients.producer.Producer<String, byte[]>) java.lang.reflect.Proxy.newProxyInstance(
                        getClass().getClassLoader(), new Class<?>[] {org.apache.kafka.clients.producer.Producer.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("commitTransaction") && commits.incrementAndGet() == 1) {
                                commitPending.set(true);
                                throw new org.apache.kafka.common.errors.TimeoutException(
                                        "Timeout expired after 10000ms while awaiting EndTxn(true)");
                            }
                            if (method.getName().equals("abortTransaction") && commitPending.get()) {
                                throw new IllegalStateException("Cannot attempt operation `abortTransaction` because "
                                        + "the previous call to `commitTransaction` timed out and must be retried");
                            }
                            if (method.getName().equals("commitTransaction")) {
                                commitPending.set(false);
                            }
                            try {
                                return method.invoke(real, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
        String group = "g-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "test-producer");
                TransactionalLoop loop = new TransactionalLoop("test-loop", KafkaClients.groupConsumer(kafka, "c", group),
                        flaky, List.of(topics.stills()), copyStillIds(new AtomicInteger()), 3, Duration.ofMillis(50))) {
            loop.start();
            // When a record is processed and its commit times out
            producer.send(new ProducerRecord<>(topics.stills(), "k", EventCodec.encode(SampleEvents.still()))).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> values(topics.identifications()).size() == 1);
            // Then the commit was retried, the output is there once, and the loop goes on with the next record
            StillSubmitted second = new StillSubmitted(1, "still-2", SampleEvents.KEY, "image/png", 5, 5, null,
                    null, null, null, null, null, null, SampleEvents.T);
            producer.send(new ProducerRecord<>(topics.stills(), "k", EventCodec.encode(second))).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> values(topics.identifications()).size() == 2);
            assertEquals(List.of("still-1", "still-2"), values(topics.identifications()).stream().sorted().toList());
            assertEquals(true, loop.isRunning(), "the loop still runs");
        }
    }

    /** Committed values on a topic (read_committed). */
    List<String> values(String topic) {
        return TopicReader.readAll(kafka, "reader", topic, Duration.ofSeconds(10)).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    /** The first record on {@code topic}, waiting up to 30 s for one to arrive. */
    private static ConsumerRecord<String, byte[]> firstRecord(KafkaSettings kafka, String topic) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> TopicReader.readAll(kafka, "dlt-reader", topic, Duration.ofSeconds(10)), r -> !r.isEmpty())
                .get(0);
    }
}
