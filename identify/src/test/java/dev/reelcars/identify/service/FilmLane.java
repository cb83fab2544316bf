package dev.reelcars.identify.service;

import dev.reelcars.events.Event;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.FilmProgress;
import dev.reelcars.events.FilmSubmitted;
import dev.reelcars.events.Identification;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.Topics;
import dev.reelcars.identify.matcher.Fixtures;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.blob.BlobStores;
import dev.reelcars.platform.kafka.KafkaClients;
import dev.reelcars.platform.kafka.KafkaSettings;
import dev.reelcars.platform.kafka.TopicAdmin;
import dev.reelcars.platform.kafka.TopicReader;
import dev.reelcars.testkit.EmbeddedBroker;
import dev.reelcars.testkit.Films;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the film-lane tests ({@link FilmJobTest}, {@link FilmSegmentsTest}) share: a film of the bus between two
 * shots without it, and for each test fresh topics on the broker, a blob store holding the gallery (the bus and a
 * car), the film in a film directory under its content hash, and identify's settings for a quick scan (one film
 * thread, 2 fps, a checkpoint every 4 frames). A test adds or changes settings in {@link #env} before it starts an
 * instance.
 */
final class FilmLane {
    final Topics topics;
    final KafkaSettings kafka;
    final BlobStore blobs;
    final Path filmDir;
    final Map<String, String> env;

    private FilmLane(Topics topics, KafkaSettings kafka, BlobStore blobs, Path filmDir, Map<String, String> env) {
        this.topics = topics;
        this.kafka = kafka;
        this.blobs = blobs;
        this.filmDir = filmDir;
        this.env = env;
    }

    /**
     * A 1280×720 H.264 film in {@code dir}: the home scene for {@code before} seconds, the bus pasted into the
     * building scene for {@code bus} seconds, the building alone for {@code after} seconds.
     */
    static Path film(Path dir, int before, int bus, int after) throws Exception {
        Path shots = dir.resolve("shots");
        Files.createDirectories(shots);
        Files.write(shots.resolve("a.jpg"), Fixtures.bytes("home.jpg"));
        Files.write(shots.resolve("b.jpg"),
                Fixtures.composite("bus.jpg", "building.jpg", 0.6, 4, 380, 180, true).jpeg());
        Files.write(shots.resolve("c.jpg"), Fixtures.bytes("building.jpg"));
        Path film = dir.resolve("film.mp4");
        Films.encode(film, shots.resolve("a.jpg"), before, shots.resolve("b.jpg"), bus, shots.resolve("c.jpg"), after);
        return film;
    }

    /** The film's sha-256 in hex: the name the film store gives it and what its film id is made of. */
    static String sha256(Path film) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(film)));
    }

    /** Fresh topics (one partition for the stills), the gallery published, the film copied into its directory. */
    static FilmLane fresh(EmbeddedBroker broker, Path dir, Path film, String sha) throws Exception {
        String prefix = "t" + UUID.randomUUID() + ".";
        Topics topics = Topics.withPrefix(prefix);
        KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers(), "test");
        Path blobDir = dir.resolve("blobs-" + prefix);
        BlobStore blobs = BlobStores.directory(blobDir);
        Path filmDir = dir.resolve("films-" + prefix);
        Files.createDirectories(filmDir);
        Files.copy(film, filmDir.resolve(sha + ".film"));
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("REELCARS_TOPIC_PREFIX", prefix);
        env.put("REELCARS_PARTITIONS", "1");
        env.put("REELCARS_BLOB_DIR", blobDir.toString());
        env.put("REELCARS_FILM_DIR", filmDir.toString());
        env.put("REELCARS_IDENTIFY_PORT", "0");
        env.put("REELCARS_IDENTIFY_GROUP_ID", "identify-" + prefix);
        env.put("REELCARS_IDENTIFY_FILM_GROUP_ID", "films-" + prefix);
        env.put("REELCARS_IDENTIFY_FILM_THREADS", "1");
        // 2 fps, not the default 1: twice the frames, so checkpoints every 4 leave room to pause and stop mid-film.
        env.put("REELCARS_IDENTIFY_FILM_FPS", "2");
        env.put("REELCARS_IDENTIFY_FILM_CHECKPOINT_FRAMES", "4");
        TopicAdmin.ensureTopics(new KafkaSettings(broker.bootstrapServers(), "test", 1, (short) 1), topics, 30_000);
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "test")) {
            publish(producer, topics.references(), new ReferenceAdded(1, "ref-bus", "bus", null, null, null,
                    blobs.put(Fixtures.bytes("bus.jpg")), "image/jpeg", 10, 10, "upload", null, Instant.now()));
            publish(producer, topics.references(), new ReferenceAdded(1, "ref-car", "car", null, null, null,
                    blobs.put(Fixtures.bytes("car_rear_motion.jpg")), "image/jpeg", 10, 10, "upload", null,
                    Instant.now()));
        }
        return new FilmLane(topics, kafka, blobs, filmDir, env);
    }

    static void publish(KafkaProducer<String, byte[]> producer, String topic, Event event) throws Exception {
        producer.send(new ProducerRecord<>(topic, event.key(), EventCodec.encode(event))).get();
    }

    /** Publishes the film's scan request, as ingest does for a finished upload (owner "ana"). */
    FilmSubmitted submit(Path film, String sha) throws Exception {
        FilmSubmitted submitted = new FilmSubmitted(1, FilmSubmitted.idOf(sha), sha, Files.size(film), sha + ".film",
                "Chase", 1968, "US", "en", "ana", Instant.now());
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "test")) {
            publish(producer, topics.films(), submitted);
        }
        return submitted;
    }

    /** Every checkpoint on the film-progress topic, in the order published. */
    List<FilmProgress> checkpoints() {
        return TopicReader.readAll(kafka, "reader", topics.filmProgress(), Duration.ofSeconds(20)).stream()
                .map(r -> EventCodec.decode(r.value(), FilmProgress.class)).toList();
    }

    /** The latest identification per still id of the film's review items, by still id. */
    List<Identification> reviewItems() {
        Map<String, Identification> byStill = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(kafka, "reader", topics.identifications(),
                Duration.ofSeconds(20))) {
            Identification i = EventCodec.decode(r.value(), Identification.class);
            byStill.put(i.stillId(), i);
        }
        return byStill.values().stream().sorted(Comparator.comparing(Identification::stillId)).toList();
    }

    /** Waits up to 120 s for a test's hook to be released; a worker interrupted meanwhile stops its frame. */
    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("worker stopped");
        }
    }
}
