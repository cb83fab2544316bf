package dev.reelcars.identify.service;

import dev.reelcars.broker.EmbeddedKafka;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.events.Topics;
import dev.reelcars.identify.matcher.Fixtures;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.blob.BlobStores;
import dev.reelcars.platform.kafka.KafkaClients;
import dev.reelcars.platform.kafka.KafkaSettings;
import dev.reelcars.platform.kafka.TopicAdmin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** identify's GET /metrics: match time histogram, outcomes, gallery, dead letters by reason, the group's lag. */
class IdentifyMetricsTest {
    @TempDir
    Path dir;

    @Test
    void measuresMatchesDeadLettersAndTheGroupsLag() throws Exception {
        String prefix = "t" + UUID.randomUUID() + ".";
        Topics topics = Topics.withPrefix(prefix);
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"))) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers(), "test");
            BlobStore blobs = BlobStores.directory(dir.resolve("blobs"));
            String group = "identify-" + prefix;
            Settings settings = new Settings(Map.of(
                    "REELCARS_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "REELCARS_TOPIC_PREFIX", prefix,
                    "REELCARS_BLOB_STORE", dir.resolve("blobs").toString(),
                    "REELCARS_IDENTIFY_PORT", "0",
                    "REELCARS_IDENTIFY_GROUP_ID", group));
            TopicAdmin.ensureTopics(kafka, topics, 30_000);
            try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "test");
                    IdentifyService identify = new IdentifyService(IdentifyConfig.from(settings))) {
                // Given a gallery of one reference
                ReferenceAdded box = new ReferenceAdded(1, "ref-box", "Box", null, null, null,
                        blobs.put(Fixtures.bytes("box.png")), "image/png", 10, 10, "upload", null, Instant.now());
                producer.send(new ProducerRecord<>(topics.references(), box.key(), EventCodec.encode(box))).get();
                identify.start();

                // When a still of it, an unrelated still and a record that is not JSON arrive
                for (String[] s : new String[][] {{"still-hit", "box_in_scene.png"}, {"still-miss", "home.jpg"}}) {
                    StillSubmitted still = new StillSubmitted(1, s[0], blobs.put(Fixtures.bytes(s[1])), "image/jpeg",
                            10, 10, "Test film", 1980, null, null, null, null, null, Instant.now());
                    producer.send(new ProducerRecord<>(topics.stills(), still.key(), EventCodec.encode(still))).get();
                }
                producer.send(new ProducerRecord<>(topics.stills(), "bad-json", "{".getBytes(StandardCharsets.UTF_8)))
                        .get();

                // Then a scrape from loopback shows each
                HttpClient http = HttpClient.newHttpClient();
                URI metrics = URI.create("http://127.0.0.1:" + identify.port() + "/metrics");
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    HttpResponse<String> res = http.send(HttpRequest.newBuilder(metrics).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, res.statusCode());
                    String text = res.body();
                    assertTrue(text.contains("reelcars_match_seconds_bucket{service=\"identify\",le=\""), text);
                    assertTrue(text.contains("reelcars_match_seconds_count{service=\"identify\"} 2"), text);
                    assertTrue(text.contains(
                            "reelcars_stills_matched_total{outcome=\"identified\",service=\"identify\"} 1.0"), text);
                    assertTrue(text.contains(
                            "reelcars_stills_matched_total{outcome=\"unidentified\",service=\"identify\"} 1.0"), text);
                    assertTrue(text.contains("reelcars_gallery_views{service=\"identify\"} 1.0"), text);
                    assertTrue(java.util.regex.Pattern.compile(
                            "reelcars_gallery_descriptor_file_bytes\\{service=\"identify\"} [1-9]").matcher(text)
                            .find(), "the view's descriptors are in the file: " + text);
                    assertTrue(text.contains("reelcars_gallery_descriptor_file_free_bytes{service=\"identify\"} 0.0"),
                            text);
                    assertTrue(text.contains("reelcars_dead_letters_total{reason=\"invalid-json\",service=\"identify\","
                            + "topic=\"" + topics.stills() + "\"} 1.0"), text);
                    assertTrue(text.contains("kafka_consumer_lag_records{group=\"" + group
                            + "\",service=\"identify\"} 0.0"), text);
                });
            }
        }
    }
}
