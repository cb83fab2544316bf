package dev.reelcars.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.accounts.Account;
import dev.reelcars.accounts.Role;
import dev.reelcars.accounts.Tokens;
import dev.reelcars.broker.EmbeddedKafka;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.kafka.KafkaClients;
import dev.reelcars.platform.kafka.KafkaSettings;
import dev.reelcars.platform.kafka.TopicAdmin;
import dev.reelcars.platform.kafka.TopicReader;
import dev.reelcars.testkit.Multipart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One ingest service on the shared embedded broker, with its own topic prefix and directories, plus the HTTP and
 * Kafka helpers the integration tests share.
 */
final class IngestHarness implements AutoCloseable {
    final EmbeddedKafka kafka;
    final Topics topics;
    final Path dataDir;
    final Path blobDir;
    private final Map<String, String> settings;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    IngestService service;

    IngestHarness(EmbeddedKafka kafka, Path tempDir, Map<String, String> overrides) {
        this.kafka = kafka;
        String prefix = "t" + UUID.randomUUID() + ".";
        this.topics = Topics.withPrefix(prefix);
        this.dataDir = tempDir.resolve("data-" + prefix);
        this.blobDir = dataDir.resolve("blobs");
        Map<String, String> s = new HashMap<>();
        s.put("REELCARS_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        s.put("REELCARS_TOPIC_PREFIX", prefix);
        s.put("REELCARS_PARTITIONS", "1");
        s.put("REELCARS_DATA_DIR", dataDir.toString());
        s.put("REELCARS_INGEST_PORT", "0");
        s.put("REELCARS_TOKEN_SECRET", Base64.getEncoder().encodeToString(SECRET));
        s.putAll(overrides);
        this.settings = Map.copyOf(s);
    }

    /** The token secret the harness shares with its ingest, so it can sign tokens as notify would. */
    static final byte[] SECRET = "ingest-test-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);
    /** Contributors the harness creates before ingest starts; {@link #post} uploads as {@value #DEFAULT_USER}. */
    static final String DEFAULT_USER = "ana";

    /** Creates the accounts on the accounts topic: ana and bo contribute, rex only reviews. */
    private void createAccounts() throws Exception {
        Instant now = Instant.now().minusSeconds(60);
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(
                KafkaSettings.of(kafka.bootstrapServers(), "ingest-test"), "accounts")) {
            // One partition, as REELCARS_PARTITIONS says for the service: tests read a topic's records in order.
            TopicAdmin.ensureTopics(new KafkaSettings(kafka.bootstrapServers(), "ingest-test", 1, (short) 1), topics,
                    30_000);
            for (var e : Map.of("ana", Set.of(Role.CONTRIBUTOR), "bo", Set.of(Role.CONTRIBUTOR),
                    "rex", Set.of(Role.REVIEWER)).entrySet()) {
                Account a = new Account(Account.CURRENT_VERSION, e.getKey(), e.getValue(), Account.Status.ACTIVE,
                        "$argon2id$unused", now, List.of(), now, "test");
                producer.send(new ProducerRecord<>(topics.accounts(), a.key(), EventCodec.encode(a)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A session token for {@code name}, as notify would issue it. */
    static String token(String name) {
        Instant now = Instant.now();
        return new Tokens(SECRET).issue(name, Tokens.Kind.SESSION, now, now.plusSeconds(3600));
    }

    private boolean accountsCreated;

    IngestHarness start() throws Exception {
        if (!accountsCreated) {
            createAccounts();
            accountsCreated = true;
        }
        service = new IngestService(IngestConfig.from(new Settings(settings)));
        service.start();
        return this;
    }

    /** Stops the service and starts a new one on the same topics and directories (a restart). */
    IngestHarness restart() throws Exception {
        service.stop();
        return start();
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + service.port() + path);
    }

    /** Posts the form as {@value #DEFAULT_USER}. */
    HttpResponse<String> post(String path, Multipart form) {
        return postAs(DEFAULT_USER, path, form);
    }

    /** Posts the form with {@code user}'s bearer token; a null user posts anonymously. */
    HttpResponse<String> postAs(String user, String path, Multipart form) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes()));
        if (user != null) {
            b.header("Authorization", "Bearer " + token(user));
        }
        return send(b.build());
    }

    HttpResponse<String> postStill(String filename, byte[] bytes, String... fields) {
        Multipart form = new Multipart();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            form.field(fields[i], fields[i + 1]);
        }
        return post("/api/stills", form.file("image", filename, "image/jpeg", bytes));
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token(DEFAULT_USER))
                .GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return EventCodec.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Every record now on {@code topic}, read from the beginning to its current end. */
    List<ConsumerRecord<String, byte[]>> records(String topic) {
        return TopicReader.readAll(KafkaSettings.of(kafka.bootstrapServers(), "ingest-test"), "reader", topic,
                Duration.ofSeconds(20));
    }

    /** Blob files written (the store's tmp/ directory excluded). */
    long blobCount() {
        if (!Files.isDirectory(blobDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(blobDir)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getParent().getFileName().toString()
                    .equals("tmp")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (service != null) {
            service.stop();
        }
    }
}
