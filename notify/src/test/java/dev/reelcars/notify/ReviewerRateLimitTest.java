package dev.reelcars.notify;

import static dev.reelcars.notify.Fixtures.candidate;
import static dev.reelcars.notify.Fixtures.identification;
import static dev.reelcars.notify.Fixtures.still;
import static dev.reelcars.notify.NotifyHarness.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.testkit.EmbeddedBroker;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Reviewers' writes are rate-limited per account, on a real broker: over the limit, 429 and nothing published. */
class ReviewerRateLimitTest {
    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();
    @TempDir
    Path dataDir;

    @Test
    void writesOverAnAccountsLimitAre429WithRetryAfterAndPublishNothing() throws Exception {
        // Given a limit of 2 writes at once, refilled at 1 a minute, a still bob and carol confirmed, and another
        try (NotifyHarness h = new NotifyHarness(broker.kafka().bootstrapServers(), dataDir, Map.of(
                "REELCARS_NOTIFY_WRITE_RATE_PER_MINUTE", "1", "REELCARS_NOTIFY_WRITE_RATE_BURST", "2")).start()) {
            h.publish(h.topics.references(), Fixtures.reference("r-ref", "Ford Mustang"));
            h.publish(h.topics.identifications(), identification(still("s1", "Bullitt"), Instant.now(),
                    candidate("r1", "Ford Mustang", 0.9)));
            h.publish(h.topics.identifications(), identification(still("s2", "Bullitt"), Instant.now(),
                    candidate("r1", "Ford Mustang", 0.9)));
            await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s2").isPresent()
                    && h.service.queue().hasReference("r-ref"));
            String alice = h.signIn("alice", "alice-pw");
            String bob = h.signIn("bob", "bob-pw");
            assertEquals(201, h.review(bob, "s1", "confirm").statusCode());
            assertEquals(201, h.review(h.signIn("carol", "carol-pw"), "s1", "confirm").statusCode());

            // When alice confirms s2, takes it back, and then goes on writing
            var confirmed = h.review(alice, "s2", "confirm");
            assertEquals(201, confirmed.statusCode(), confirmed.body());
            var undone = h.delete("/api/reviews/s2/" + json(confirmed).get("decision").get("decisionId").asText(),
                    alice);
            assertEquals(200, undone.statusCode(), undone.body());
            List<HttpResponse<String>> refused = List.of(
                    h.review(alice, "s2", "confirm"),
                    h.post("/api/reviews/s1/reopen", alice, "{\"reason\":\"not a Mustang\"}"),
                    h.post("/api/references/r-ref/label", alice, "{\"label\":\"Ford Mustang GT\",\"reason\":\"x\"}"),
                    h.post("/api/references/r-ref/retire", alice, "{\"reason\":\"blurred\"}"));

            // Then each further write is refused 429 with Retry-After and a JSON reason
            for (HttpResponse<String> res : refused) {
                assertEquals(429, res.statusCode(), res.uri() + " " + res.body());
                assertEquals("rate-limited", json(res).get("error").asText());
                assertTrue(json(res).get("message").asText().contains("account:alice"), res.body());
                int wait = Integer.parseInt(res.headers().firstValue("Retry-After").orElse("0"));
                assertTrue(wait >= 1 && wait <= 60, "Retry-After " + wait);
            }
            // And nothing of them was published: bob's, carol's and alice's two decisions only, the reference as it was
            List<ReviewDecision> decisions = h.readEvents(h.topics.decisions(), ReviewDecision.class);
            assertEquals(List.of("alice CONFIRM", "alice RETRACT", "bob CONFIRM", "carol CONFIRM"),
                    decisions.stream().map(d -> d.reviewer() + " " + d.verdict()).sorted().toList());
            assertEquals(List.of("Ford Mustang"), h.readEvents(h.topics.references(), ReferenceAdded.class).stream()
                    .filter(r -> r.referenceId().equals("r-ref")).map(ReferenceAdded::label).toList());
            // Reads are not counted, and another reviewer's bucket is their own
            assertEquals(200, h.get("/api/queue", alice).statusCode());
            assertEquals(201, h.post("/api/reviews/s1/reopen", bob, "{\"reason\":\"not a Mustang\"}").statusCode());
        }
    }
}
