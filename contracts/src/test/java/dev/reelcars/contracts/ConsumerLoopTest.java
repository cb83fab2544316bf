package dev.reelcars.contracts;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reelcars.broker.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumerLoopTest {
    @TempDir
    static Path dir;
    static EmbeddedKafka broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafka.start(dir.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void sendsAPoisonRecordToTheDeadLetterTopicWithItsReasonAndGoesOn() throws Exception {
        // Given a fresh set of topics and a handler that decodes stills
        Topics topics = Topics.withPrefix("t" + UUID.randomUUID() + ".");
        KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers(), "test");
        TopicAdmin.ensureTopics(kafka, topics, 30_000);
        List<String> handled = new CopyOnWriteArrayList<>();
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "test-producer");
                ConsumerLoop loop = new ConsumerLoop("test-loop",
                        KafkaClients.groupConsumer(kafka, "test-consumer", "g-" + UUID.randomUUID()),
                        List.of(topics.stills()),
                        r -> handled.add(EventCodec.decode(r.value(), StillSubmitted.class).stillId()),
                        new DeadLetters(producer, "test-loop"), 3, Duration.ofMillis(50))) {
            loop.start();

            // When a good record, a poison record and another good record arrive
            producer.send(new ProducerRecord<>(topics.stills(), "k", EventCodec.encode(EventCodecTest.still()))).get();
            producer.send(new ProducerRecord<>(topics.stills(), "k", "{oops".getBytes(StandardCharsets.UTF_8))).get();
            StillSubmitted second = new StillSubmitted(1, "still-2", EventCodecTest.KEY, "image/png", 5, 5, null,
                    null, null, null, null, null, null, EventCodecTest.T);
            producer.send(new ProducerRecord<>(topics.stills(), "k", EventCodec.encode(second))).get();

            // Then both good records are handled and the poison one is in the DLT with its reason
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 2);
            assertEquals(List.of("still-1", "still-2"), handled);
            ConsumerRecord<String, byte[]> dead = DeadLetterTestSupport.readOne(kafka, Topics.deadLetter(topics.stills()));
            assertEquals("invalid-json", DeadLetters.header(dead.headers(), DeadLetters.REASON));
            assertEquals(topics.stills(), DeadLetters.header(dead.headers(), DeadLetters.TOPIC));
            assertEquals("{oops", new String(dead.value(), StandardCharsets.UTF_8), "the record is kept unchanged");
            assertEquals(1, loop.deadLetteredCount());
        }
    }

    @Test
    void resumesFromTheLastCommittedRecordAfterARestart() throws Exception {
        // Given a group that handled two records and stopped
        Topics topics = Topics.withPrefix("t" + UUID.randomUUID() + ".");
        KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers(), "test");
        TopicAdmin.ensureTopics(kafka, topics, 30_000);
        String group = "g-" + UUID.randomUUID();
        List<String> handled = new CopyOnWriteArrayList<>();
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "test-producer")) {
            RecordHandler handler = r -> handled.add(new String(r.value(), StandardCharsets.UTF_8));
            for (String v : List.of("a", "b")) {
                producer.send(new ProducerRecord<>(topics.stills(), "k", v.getBytes(StandardCharsets.UTF_8))).get();
            }
            try (ConsumerLoop loop = new ConsumerLoop("first", KafkaClients.groupConsumer(kafka, "c1", group),
                    List.of(topics.stills()), handler, new DeadLetters(producer, "first"), 3, Duration.ofMillis(50))) {
                loop.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 2);
            }

            // When a third record arrives while it is down and the group starts again
            producer.send(new ProducerRecord<>(topics.stills(), "k", "c".getBytes(StandardCharsets.UTF_8))).get();
            try (ConsumerLoop loop = new ConsumerLoop("second", KafkaClients.groupConsumer(kafka, "c2", group),
                    List.of(topics.stills()), handler, new DeadLetters(producer, "second"), 3, Duration.ofMillis(50))) {
                loop.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() >= 3);
            }

            // Then only the new record is handled: nothing lost, nothing repeated
            assertEquals(List.of("a", "b", "c"), handled);
        }
    }
}
