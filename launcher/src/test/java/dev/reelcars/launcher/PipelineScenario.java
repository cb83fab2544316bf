package dev.reelcars.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.kafka.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The user's journey through a running stack, shared by the embedded-broker and the Testcontainers tests: upload a
 * still of a demo-gallery car, see it proposed in the review queue, confirm it, find the decision in Kafka.
 */
final class PipelineScenario {
    private PipelineScenario() {
    }

    static void uploadIdentifyConfirm(Launcher stack) {
        StackClient client = new StackClient(stack.ingest().port(), stack.notifyService().port());

        // Given the stack with its demo gallery, and a reviewer signed in
        client.signIn("demo", "demo");

        // When a film still of the demo gallery's pickup truck is uploaded
        StackClient.Response upload = client.uploadStill(StackClient.resource("demo-still.jpg"), "still.jpg",
                Map.of("film", "Orchard Road <i>", "year", "1982", "timecode", "00:41:07"));
        assertEquals(202, upload.status(), "upload accepted: " + upload);
        String stillId = upload.body().get("id").asText();

        // Then the review queue proposes the truck, with an outline on the still
        JsonNode story = awaitSubmission(client, stillId, s -> !candidates(s).isEmpty());
        JsonNode best = candidates(story).get(0);
        assertEquals("Blue pickup truck", best.get("label").asText(), "the pickup truck is proposed: " + story);
        assertEquals(4, best.get("outline").size(), "the outline has four corners");
        assertTrue(best.get("confidence").asDouble() > 0 && best.get("confidence").asDouble() <= 1);

        // When the reviewer confirms it (the test stack needs one agreeing reviewer)
        int galleryBefore = stack.identify().gallerySize();
        StackClient.Response review = client.review(stillId, Map.of("verdict", "confirm"));
        assertTrue(review.status() / 100 == 2, "decision accepted: " + review);

        // Then the decision is on the decisions topic, with who decided
        Common common = stack.common("test");
        ReviewDecision decision = awaitDecision(common, stillId);
        assertEquals(ReviewDecision.Verdict.CONFIRM, decision.verdict());
        assertEquals("demo", decision.reviewer());
        assertEquals("Blue pickup truck", decision.label());

        // And the confirmed still becomes a new reference view in identify's gallery
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.identify().gallerySize() == galleryBefore + 1);
    }

    static void stillWithoutKnownCarEndsAsNoMatch(Launcher stack) {
        StackClient client = new StackClient(stack.ingest().port(), stack.notifyService().port());
        client.signIn("demo", "demo");

        StackClient.Response upload = client.uploadStill(StackClient.resource("no-vehicle.jpg"), "house.jpg",
                Map.of("film", "No cars here"));
        assertEquals(202, upload.status(), "upload accepted: " + upload);
        String stillId = upload.body().get("id").asText();

        JsonNode story = awaitSubmission(client, stillId, PipelineScenario::identified);
        assertEquals(0, candidates(story).size(), "no candidate for a still without a gallery car: " + story);
    }

    static JsonNode awaitSubmission(StackClient client, String stillId, java.util.function.Predicate<JsonNode> until) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            StackClient.Response r = client.submission(stillId);
            last[0] = r.body();
            return r.status() == 200 && until.test(r.body());
        });
        return last[0];
    }

    /** The submission's identification has arrived (with or without candidates). */
    static boolean identified(JsonNode story) {
        JsonNode task = story.path("current");
        return !task.isMissingNode() && !task.isNull() && task.has("candidates");
    }

    static JsonNode candidates(JsonNode story) {
        JsonNode c = story.path("current").path("candidates");
        return c.isArray() ? c : EventCodec.mapper().createArrayNode();
    }

    static ReviewDecision awaitDecision(Common common, String stillId) {
        ReviewDecision[] found = new ReviewDecision[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (ConsumerRecord<String, byte[]> r : readAll(common, common.topics().decisions())) {
                if (!stillId.equals(r.key())) {
                    continue;
                }
                ReviewDecision d = EventCodec.decode(r.value(), ReviewDecision.class);
                if (d.stillId().equals(stillId)) {
                    found[0] = d;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    static List<ConsumerRecord<String, byte[]>> readAll(Common common, String topic) {
        return TopicReader.readAll(common.kafka(), "test-reader", topic, Duration.ofSeconds(10));
    }
}
