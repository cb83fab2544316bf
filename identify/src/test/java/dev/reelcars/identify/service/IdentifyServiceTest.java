package dev.reelcars.identify.service;

import dev.reelcars.broker.EmbeddedKafka;
import dev.reelcars.events.Candidate;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.Identification;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.events.Topics;
import dev.reelcars.identify.matcher.EngineConfig;
import dev.reelcars.identify.matcher.Fixtures;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.blob.BlobStores;
import dev.reelcars.platform.kafka.DeadLetters;
import dev.reelcars.platform.kafka.KafkaClients;
import dev.reelcars.platform.kafka.KafkaSettings;
import dev.reelcars.platform.kafka.TopicAdmin;
import dev.reelcars.platform.kafka.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** identify as a Kafka service: gallery from the references topic, stills in, identifications out. */
class IdentifyServiceTest {
    @TempDir
    static Path dir;
    static EmbeddedKafka broker;

    Topics topics;
    KafkaSettings kafka;
    BlobStore blobs;
    Settings settings;
    Map<String, String> environment;

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
        String prefix = "t" + UUID.randomUUID() + ".";
        topics = Topics.withPrefix(prefix);
        kafka = KafkaSettings.of(broker.bootstrapServers(), "test");
        Path blobDir = dir.resolve("blobs-" + prefix);
        blobs = BlobStores.directory(blobDir);
        environment = Map.of(
                "REELCARS_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "REELCARS_TOPIC_PREFIX", prefix,
                "REELCARS_BLOB_STORE", blobDir.toString(),
                "REELCARS_IDENTIFY_PORT", "0",
                "REELCARS_IDENTIFY_GROUP_ID", "identify-" + prefix);
        settings = new Settings(environment);
        TopicAdmin.ensureTopics(kafka, topics, 30_000);
    }

    @Test
    void identifiesAStillOfAKnownObjectAndSaysNoMatchForAnUnknownScene() throws Exception {
        // Given a gallery of three references, published before identify starts
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "test")) {
            publish(producer, topics.references(), reference("ref-box", "Box", "box.png"));
            publish(producer, topics.references(), reference("ref-bus", "Bus", "bus.jpg"));
            publish(producer, topics.references(), reference("ref-car", "Car", "car_rear_motion.jpg"));
            try (IdentifyService identify = new IdentifyService(IdentifyConfig.from(settings))) {
                identify.start();
                assertEquals(3, identify.gallerySize(), "the gallery is loaded before stills are consumed");

                // When a still showing it and a still of an unrelated scene arrive
                publish(producer, topics.stills(), still("still-hit", "box_in_scene.png"));
                publish(producer, topics.stills(), still("still-miss", "home.jpg"));

                // Then the first is identified with an outline and the second is an explicit "no match"
                Map<String, Identification> results = awaitResults(2);
                Identification hit = results.get("still-hit");
                assertTrue(hit.matched(), "the box is found in the cluttered scene");
                assertEquals("Box", hit.candidates().get(0).label());
                assertEquals(4, hit.candidates().get(0).outline().size(), "the outline has four corners");
                assertEquals(blobs.put(Fixtures.bytes("box.png")), hit.candidates().get(0).referenceBlobKey());
                assertTrue(List.of("vehicle", "model").contains(hit.candidates().get(0).answer()),
                        "the candidate says which kind of answer it is: " + hit.candidates().get(0).answer());
                hit.nearMisses().forEach(n -> assertEquals(null, n.answer(), "a near miss claims nothing"));
                assertFalse(results.get("still-miss").matched(), "an unrelated scene is no match");
                // And each result says the threshold it was accepted against, so a reviewer sees where the line is
                EngineConfig engine = IdentifyConfig.from(settings).engine();
                assertEquals(Double.valueOf(engine.acceptConfidence()),
                        hit.acceptThresholds().get(Candidate.FEATURES));
                assertTrue(hit.candidates().get(0).confidence() >= hit.acceptThresholds().get("features"));
                assertEquals(engine.plateRows() > 0 ? engine.plates().acceptThreshold() : null,
                        results.get("still-miss").acceptThresholds().get(Candidate.PLATE));
                assertEquals("still-miss", results.get("still-miss").still().stillId(), "the story travels along");
            }
        }
    }

    @Test
    void learnsAReferenceThatArrivesWhileRunning() throws Exception {
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "test");
                IdentifyService identify = new IdentifyService(IdentifyConfig.from(settings))) {
            // Given identify running with an empty gallery
            identify.start();
            assertEquals(0, identify.gallerySize());

            // When a reference is published
            publish(producer, topics.references(), reference("ref-box", "Box", "box.png"));

            // Then it joins the gallery without a restart, and a tombstone removes it again
            await().atMost(Duration.ofSeconds(30)).until(() -> identify.gallerySize() == 1);
            producer.send(new ProducerRecord<>(topics.references(), "ref-box", null)).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> identify.gallerySize() == 0);
        }
    }

    @Test
    void deadLettersAStillWhoseImageIsMissingOrUndecodableAndGoesOn() throws Exception {
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "test");
                IdentifyService identify = new IdentifyService(IdentifyConfig.from(settings))) {
            identify.start();
            // Given a still whose blob was never stored, one whose bytes are not an image, and a good one
            StillSubmitted missing = new StillSubmitted(1, "still-missing", "f".repeat(64), "image/jpeg", 10, 10,
                    null, null, null, null, null, null, null, Instant.now());
            String garbageKey = blobs.put("this is not an image".getBytes(StandardCharsets.UTF_8));
            StillSubmitted garbage = new StillSubmitted(1, "still-garbage", garbageKey, "image/jpeg", 10, 10,
                    null, null, null, null, null, null, null, Instant.now());
            producer.send(new ProducerRecord<>(topics.stills(), "bad-json", "{".getBytes(StandardCharsets.UTF_8)))
                    .get();
            publish(producer, topics.stills(), missing);
            publish(producer, topics.stills(), garbage);
            publish(producer, topics.stills(), still("still-ok", "home.jpg"));

            // Then the good one still gets its result, and each bad one is in the DLT with its reason
            Map<String, Identification> results = awaitResults(1);
            assertTrue(results.containsKey("still-ok"));
            List<ConsumerRecord<String, byte[]>> dead = readAll(Topics.deadLetter(topics.stills()), 3);
            List<String> reasons = dead.stream().map(r -> DeadLetters.header(r.headers(), DeadLetters.REASON))
                    .sorted().toList();
            assertEquals(List.of("invalid-json", "missing-blob", "undecodable-image"), reasons);
        }
    }

    @Test
    void givesEveryStillExactlyOneResultWhenKilledMidBatchAndRestarted() throws Exception {
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "test")) {
            publish(producer, topics.references(), reference("ref-box", "Box", "box.png"));
            int n = 12;
            for (int i = 0; i < n; i++) {
                publish(producer, topics.stills(), still("still-" + i, i % 2 == 0 ? "box_in_scene.png" : "home.jpg"));
            }
            // Given identify dies abruptly (an Error on its loop thread, nothing committed or closed cleanly) while
            // it is in the middle of a batch: its clock blows up on the fifth still
            IdentifyService first = new IdentifyService(IdentifyConfig.from(settings), new CrashingClock(5));
            first.start();
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(60)).until(() -> !first.isConsuming());

            // When a new instance starts on the same group
            try (IdentifyService second = new IdentifyService(IdentifyConfig.from(settings))) {
                second.start();

                // Then each still has exactly one committed result: the crashed batch was aborted, not half-published
                Map<String, List<Identification>> byStill = awaitAllResults(n);
                assertEquals(n, byStill.size(), "every still was identified");
                byStill.forEach((id, rs) -> assertEquals(1, rs.size(), "exactly one result for " + id));
            } finally {
                first.stop();
            }
        }
    }

    /** The test's settings for another instance (two containers differ by their instance id). */
    private Settings instance(String id) {
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("REELCARS_INSTANCE_ID", id);
        return new Settings(env);
    }

    @Test
    void twoInstancesInOneGroupShareTheStillsAndEachHoldsTheWholeGallery() throws Exception {
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "test")) {
            publish(producer, topics.references(), reference("ref-box", "Box", "box.png"));
            publish(producer, topics.references(), reference("ref-bus", "Bus", "bus.jpg"));
            // Given two instances in the same consumer group (distinct instance ids, as two containers have)
            try (IdentifyService a = new IdentifyService(IdentifyConfig.from(instance("identify-a")));
                    IdentifyService b = new IdentifyService(IdentifyConfig.from(instance("identify-b")))) {
                a.start();
                b.start();
                assertEquals(2, a.gallerySize(), "each instance holds the whole gallery");
                assertEquals(2, b.gallerySize(), "each instance holds the whole gallery");

                await().atMost(Duration.ofSeconds(30))
                        .until(() -> a.assignedPartitions() > 0 && b.assignedPartitions() > 0
                                && a.assignedPartitions() + b.assignedPartitions() == 3);

                // When stills arrive on all partitions
                int n = 12;
                for (int i = 0; i < n; i++) {
                    publish(producer, topics.stills(), still("still-" + i, i % 2 == 0 ? "box_in_scene.png"
                            : "home.jpg"));
                }

                // Then each still is identified exactly once, and both instances did part of the work
                Map<String, List<Identification>> byStill = awaitAllResults(n);
                byStill.forEach((id, rs) -> assertEquals(1, rs.size(), "exactly one result for " + id));
                await().atMost(Duration.ofSeconds(30)).until(() -> a.stillsProcessed() + b.stillsProcessed() == n);
                assertTrue(a.stillsProcessed() > 0 && b.stillsProcessed() > 0,
                        "the partitions are shared: a=" + a.stillsProcessed() + " b=" + b.stillsProcessed());
            }
        }
    }

    /** A clock that works {@code failAt - 1} times, then throws an Error as a crashing process would. */
    static final class CrashingClock extends java.time.Clock {
        private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        private final int failAt;

        CrashingClock(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            if (calls.incrementAndGet() >= failAt) {
                throw new Error("simulated crash");
            }
            return Instant.now();
        }
    }

    private ReferenceAdded reference(String id, String label, String fixture) {
        byte[] bytes = Fixtures.bytes(fixture);
        return new ReferenceAdded(1, id, label, null, null, null, blobs.put(bytes), "image/png", 10, 10, "upload",
                null, Instant.now());
    }

    private StillSubmitted still(String id, String fixture) {
        return new StillSubmitted(1, id, blobs.put(Fixtures.bytes(fixture)), "image/jpeg", 10, 10, "Test film", 1980,
                null, null, null, null, null, Instant.now());
    }

    private static void publish(KafkaProducer<String, byte[]> producer, String topic,
            dev.reelcars.events.Event event) throws Exception {
        producer.send(new ProducerRecord<>(topic, event.key(), EventCodec.encode(event))).get();
    }

    private long countResults() {
        return readAll(topics.identifications(), 0).size();
    }

    private Map<String, Identification> awaitResults(int n) {
        Map<String, Identification> byId = new HashMap<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (ConsumerRecord<String, byte[]> r : readAll(topics.identifications(), 0)) {
                Identification i = EventCodec.decode(r.value(), Identification.class);
                byId.put(i.stillId(), i);
            }
            return byId.size() >= n;
        });
        return byId;
    }

    private Map<String, List<Identification>> awaitAllResults(int n) {
        Map<String, List<Identification>> byId = new HashMap<>();
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            byId.clear();
            for (ConsumerRecord<String, byte[]> r : readAll(topics.identifications(), 0)) {
                Identification i = EventCodec.decode(r.value(), Identification.class);
                byId.computeIfAbsent(i.stillId(), k -> new ArrayList<>()).add(i);
            }
            return byId.size() >= n;
        });
        return byId;
    }

    /** Everything on a topic now (or at least {@code atLeast} records, waiting up to 30 s for them). */
    private List<ConsumerRecord<String, byte[]>> readAll(String topic, int atLeast) {
        List<List<ConsumerRecord<String, byte[]>>> read = new ArrayList<>(List.of(List.of()));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            read.set(0, TopicReader.readAll(kafka, "reader", topic, Duration.ofSeconds(10)));
            return read.get(0).size() >= atLeast;
        });
        return read.get(0);
    }
}
