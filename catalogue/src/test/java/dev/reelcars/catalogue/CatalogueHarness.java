package dev.reelcars.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.events.Event;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.blob.BlobStores;
import dev.reelcars.platform.kafka.KafkaClients;
import dev.reelcars.platform.kafka.KafkaSettings;
import dev.reelcars.platform.kafka.TopicReader;
import dev.reelcars.testkit.ApiClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One catalogue under test: its own topics (unique prefix), data dir and free port, a producer for the events a
 * test plays in, and an HTTP client that speaks to the real server.
 */
final class CatalogueHarness implements AutoCloseable {
    static final byte[] SECRET = new byte[32];

    final Topics topics;
    final Map<String, String> settings;
    final BlobStore blobs;
    final KafkaProducer<String, byte[]> producer;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ApiClient api = new ApiClient(this::base);
    CatalogueService service;

    CatalogueHarness(String bootstrap, Path dataDir, Map<String, String> extra) {
        String prefix = "t" + UUID.randomUUID() + ".";
        this.topics = Topics.withPrefix(prefix);
        Map<String, String> s = new HashMap<>();
        s.put("REELCARS_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        s.put("REELCARS_TOPIC_PREFIX", prefix);
        s.put("REELCARS_PARTITIONS", "2");
        s.put("REELCARS_DATA_DIR", dataDir.toString());
        s.put("REELCARS_CATALOGUE_PORT", "0");
        s.put("REELCARS_CONSENSUS", "2");
        s.put("REELCARS_TOKEN_SECRET", Base64.getEncoder().encodeToString(SECRET));
        s.putAll(extra);
        this.settings = Map.copyOf(s);
        this.blobs = BlobStores.directory(dataDir.resolve("blobs"));
        this.producer = KafkaClients.producer(KafkaSettings.of(bootstrap, "test-" + prefix), "test");
    }

    CatalogueHarness start() throws Exception {
        service = new CatalogueService(CatalogueConfig.from(new Settings(settings)));
        service.start();
        return this;
    }

    void restart() throws Exception {
        service.stop();
        start();
    }

    String base() {
        return "http://localhost:" + service.port();
    }

    void publish(String topic, Event event) throws Exception {
        producer.send(new ProducerRecord<>(topic, event.key(), EventCodec.encode(event))).get(30, TimeUnit.SECONDS);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, null);
    }

    HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return api.get(path, token);
    }

    /** A POST with these headers (name, value, name, value, …). */
    HttpResponse<String> post(String path, String contentType, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON POST as a script sends it: the token as a bearer. */
    HttpResponse<String> postJson(String path, String token, String json) throws IOException, InterruptedException {
        return api.post(path, token, json);
    }

    HttpResponse<byte[]> getBytes(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Every record on a topic so far (keys and values), read from the beginning. */
    java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> readAll(String topic) {
        return TopicReader.readAll(KafkaSettings.of(settings.get("REELCARS_KAFKA_BOOTSTRAP_SERVERS"), "test-read"),
                "test-read", topic, Duration.ofSeconds(20));
    }

    JsonNode json(String path) throws IOException, InterruptedException {
        HttpResponse<String> res = get(path);
        if (res.statusCode() != 200) {
            throw new AssertionError(path + " answered " + res.statusCode() + " " + res.body());
        }
        return ApiClient.json(res);
    }

    @Override
    public void close() {
        if (service != null) {
            service.stop();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
