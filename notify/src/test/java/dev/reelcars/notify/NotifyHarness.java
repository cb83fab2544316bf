package dev.reelcars.notify;

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
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One notify under test: its own topics (unique prefix), data dir and port, a producer for the events a test plays
 * in, and an HTTP client that speaks to the real server.
 */
final class NotifyHarness implements AutoCloseable {
    static final String REVIEWERS = "alice:alice-pw,bob:bob-pw,carol:carol-pw";

    final String bootstrap;
    final Topics topics;
    final Path dataDir;
    final Map<String, String> settings;
    final BlobStore blobs;
    final KafkaProducer<String, byte[]> producer;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ApiClient api = new ApiClient(this::base);
    NotifyService service;

    NotifyHarness(String bootstrap, Path dataDir, Map<String, String> extra) {
        this.bootstrap = bootstrap;
        String prefix = extra.getOrDefault("REELCARS_TOPIC_PREFIX", "t" + UUID.randomUUID() + ".");
        this.topics = Topics.withPrefix(prefix);
        this.dataDir = dataDir;
        Map<String, String> s = new HashMap<>();
        s.put("REELCARS_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        s.put("REELCARS_TOPIC_PREFIX", prefix);
        s.put("REELCARS_PARTITIONS", "2");
        s.put("REELCARS_DATA_DIR", dataDir.toString());
        s.put("REELCARS_NOTIFY_PORT", "0");
        s.put("REELCARS_NOTIFY_REVIEWERS", REVIEWERS);
        s.put("REELCARS_NOTIFY_CONTRIBUTORS", "dave:dave-pw");
        s.put("REELCARS_CONSENSUS", "2");
        s.put("REELCARS_NOTIFY_PUBLISH_TIMEOUT", "4000ms");
        s.put("REELCARS_NOTIFY_RETRO_MATCH_DELAY", "100ms");
        // Every test client comes from 127.0.0.1: the per-address sign-in limit is the accounts module's to test.
        s.put("REELCARS_SIGNIN_PER_ADDRESS_PER_MINUTE", "10000");
        s.putAll(extra);
        this.settings = Map.copyOf(s);
        this.blobs = BlobStores.directory(dataDir.resolve("blobs"));
        this.producer = KafkaClients.producer(KafkaSettings.of(bootstrap, "test-" + prefix), "test");
    }

    NotifyHarness start() throws Exception {
        service = new NotifyService(NotifyConfig.from(new Settings(settings)));
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

    String signIn(String name, String password) throws Exception {
        var res = post("/api/session", null, "{\"name\":\"" + name + "\",\"password\":\"" + password + "\"}");
        if (res.statusCode() != 200) {
            throw new AssertionError("sign-in of " + name + " failed: " + res.statusCode() + " " + res.body());
        }
        return json(res).get("token").asText();
    }

    HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return api.get(path, token);
    }

    HttpResponse<String> post(String path, String token, String body) throws IOException, InterruptedException {
        return api.post(path, token, body);
    }

    HttpResponse<String> delete(String path, String token) throws IOException, InterruptedException {
        return api.delete(path, token);
    }

    HttpResponse<String> review(String token, String stillId, String verdict) throws Exception {
        return post("/api/reviews/" + stillId, token, "{\"verdict\":\"" + verdict + "\"}");
    }

    static JsonNode json(HttpResponse<String> res) throws IOException {
        return ApiClient.json(res);
    }

    /** Every record on {@code topic} so far (read from the beginning with a throw-away consumer). */
    List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        return TopicReader.readAll(KafkaSettings.of(bootstrap, "test-read"), "read", topic, Duration.ofSeconds(10));
    }

    <T extends Event> List<T> readEvents(String topic, Class<T> type) {
        return readAll(topic).stream().filter(r -> r.value() != null)
                .map(r -> EventCodec.decode(r.value(), type)).toList();
    }

    @Override
    public void close() {
        if (service != null) {
            service.stop();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
