package dev.reelcars.ingest;

import static dev.reelcars.ingest.IngestHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.broker.EmbeddedKafka;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.StillSubmitted;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the broker down, an upload is answered 503 with Retry-After within the bounded wait, and never published. */
class KafkaOutageTest {
    @TempDir
    Path tempDir;
    EmbeddedKafka kafka;
    IngestHarness ingest;

    @BeforeEach
    void start() throws Exception {
        kafka = EmbeddedKafka.start(tempDir.resolve("kafka"));
        ingest = new IngestHarness(kafka, tempDir, Map.of(
                "REELCARS_INGEST_PUBLISH_TIMEOUT", "2000ms",
                "REELCARS_INGEST_RETRY_AFTER", "7s")).start();
    }

    @AfterEach
    void stop() {
        ingest.close();
        kafka.close();
    }

    @Test
    void answers503WithRetryAfterWhileKafkaIsDownAndPublishesNothingLate() {
        // Given one still accepted, then the broker stopped
        HttpResponse<String> before = ingest.postStill("a.jpg", Fixtures.image("home.jpg"), "film", "before");
        assertEquals(202, before.statusCode(), before.body());
        kafka.stop();

        // When a still is uploaded during the outage
        long t0 = System.nanoTime();
        HttpResponse<String> during = ingest.postStill("b.jpg", Fixtures.image("building.jpg"), "film", "during");
        long millis = (System.nanoTime() - t0) / 1_000_000;

        // Then it is told to retry later, within the bounded wait, and health says Kafka is unreachable
        assertEquals(503, during.statusCode(), during.body());
        assertEquals("kafka-unavailable", json(during).path("error").asText());
        assertEquals("7", during.headers().firstValue("Retry-After").orElse(null));
        assertTrue(millis < 10_000, "answered in " + millis + " ms");
        assertFalse(json(ingest.get("/health")).path("kafka").asBoolean(), "health sees the outage");

        // And when the broker is back, the retry is accepted and the refused attempt never appears
        kafka.restart();
        HttpResponse<String> after = ingest.postStill("b.jpg", Fixtures.image("building.jpg"), "film", "after");
        assertEquals(202, after.statusCode(), after.body());
        List<String> films = ingest.records(ingest.topics.stills()).stream()
                .map(r -> EventCodec.decode(r.value(), StillSubmitted.class).film()).toList();
        assertEquals(List.of("before", "after"), films, "the 503'd upload was not published behind our back");
    }
}
