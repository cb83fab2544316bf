package dev.reelcars.notify;

import static dev.reelcars.notify.Fixtures.candidate;
import static dev.reelcars.notify.Fixtures.identification;
import static dev.reelcars.notify.Fixtures.still;
import static dev.reelcars.notify.NotifyHarness.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.testkit.EmbeddedBroker;
import java.awt.Color;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Kafka is the source of truth: a restarted notify rebuilds the same queue, and a broker outage is a 503. */
class NotifyRestartTest {
    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();
    @TempDir
    Path dataDir;

    @Test
    void aRestartLosesNoDecisionAndDuplicatesNoTask() throws Exception {
        try (NotifyHarness h = new NotifyHarness(broker.kafka().bootstrapServers(), dataDir, Map.of()).start()) {
            // Given a match, delivered twice, and alice's confirmation
            String key = h.blobs.put(Fixtures.png(320, 200, Color.BLUE));
            var id = identification(still("s1", "Bullitt", "zoe", null, key), Instant.now(),
                    candidate("r1", "Ford Mustang", 0.9));
            h.publish(h.topics.identifications(), id);
            h.publish(h.topics.identifications(), id);
            h.publish(h.topics.identifications(), identification(still("s2", "Ronin"), Instant.now(),
                    candidate("r2", "Audi S8", 0.6)));
            await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().tasks().size() == 2);
            assertEquals(201, h.review(h.signIn("alice", "alice-pw"), "s1", "confirm").statusCode());

            // When notify restarts against the same broker
            h.restart();

            // Then the queue is the same: two tasks, alice's vote still counted
            String alice = h.signIn("alice", "alice-pw");
            assertEquals(2, h.service.queue().tasks().size());
            var aliceQueue = json(h.get("/api/queue", alice));
            assertEquals(1, aliceQueue.get("items").size(), "s1 is still off alice's queue");
            assertEquals("s2", aliceQueue.get("items").get(0).get("stillId").asText());
            assertEquals(1, json(h.get("/api/submissions/s1", alice)).get("decisions").size());

            // And bob's agreement confirms it and grows the gallery once, also across another restart
            assertEquals(201, h.review(h.signIn("bob", "bob-pw"), "s1", "confirm").statusCode());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> h.readEvents(h.topics.references(), ReferenceAdded.class).size() == 1);
            h.restart();
            assertEquals(ReviewQueue.Status.CONFIRMED, h.service.queue().task("s1").orElseThrow().status());
            assertEquals(1, h.readEvents(h.topics.references(), ReferenceAdded.class).size(),
                    "a confirmed match already in the gallery is not published again");

            // stop() is idempotent (the harness stops it once more on close)
            h.service.stop();
            h.service.stop();
        }
    }

    @Test
    void aDecisionWhileKafkaIsDownIsRefusedWith503AndRetryAfter() throws Exception {
        try (NotifyHarness h = new NotifyHarness(broker.kafka().bootstrapServers(), dataDir,
                Map.of("REELCARS_NOTIFY_PUBLISH_TIMEOUT", "2000ms")).start()) {
            h.publish(h.topics.identifications(), identification(still("s1", "Bullitt"), Instant.now(),
                    candidate("r1", "Ford Mustang", 0.9)));
            await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s1").isPresent());
            String alice = h.signIn("alice", "alice-pw");
            broker.kafka().stop();
            try {
                var res = h.review(alice, "s1", "confirm");
                assertEquals(503, res.statusCode(), res.body());
                assertEquals("kafka-unavailable", json(res).get("error").asText());
                assertTrue(res.headers().firstValue("Retry-After").isPresent());
            } finally {
                broker.kafka().restart();
            }
        }
    }
}
