package dev.reelcars.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.reelcars.events.Candidate;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.Identification;
import dev.reelcars.events.Point;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.notify.ReviewQueue;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.blob.BlobStores;
import dev.reelcars.platform.kafka.KafkaClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * notify restarted while reviewers' decisions are arriving: no acknowledged decision is lost, no task duplicated,
 * and the consensus state is the one the decisions imply, the same after a further restart.
 */
class NotifyRestartUnderLoadTest {
    /**
     * Retro-matching off: the five confirmations publish review references, and 5 s later notify would send the two
     * rejected stills back to identify, whose new identifications rightly make them pending again. Once the second
     * restart came after that (its stop waits for the scheduled re-match), and the state compared across it had
     * changed for that reason, not the restart's. Retro-matching has tests of its own.
     */
    @RegisterExtension
    static final TestStack STACK = TestStack.with(Map.of("REELCARS_NOTIFY_REVIEWERS", "rita:rita-pw,sam:sam-pw",
            "REELCARS_LAUNCHER_DEMO_ACCOUNTS", "false", "REELCARS_CONSENSUS", "2", "REELCARS_NOTIFY_RETRO_MATCH", "false"));
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Longer than notify's wait for a broker ack (15 s), after which it answers 503 itself. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    @Test
    void losesNoDecisionAndDuplicatesNoTaskWhenRestartedMidStream() throws Exception {
        Common common = STACK.launcher().common("test");
        int n = 10;
        // Given ten identified stills in the queue
        List<String> ids = publishIdentifications(common, n);
        await().atMost(Duration.ofSeconds(30)).until(() -> STACK.launcher().notifyService().queue().tasks().size() >= n);

        // When two reviewers decide on all of them while notify is restarted in the middle
        Map<String, String> plan = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            plan.put(ids.get(i), i < 5 ? "confirm/confirm" : i < 8 ? "confirm/reject" : "reject/reject");
        }
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicReference<String> lastOutcome = new AtomicReference<>("none yet");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reviewers = new Thread(() -> {
            try {
                plan.forEach((still, verdicts) -> {
                    String[] v = verdicts.split("/");
                    decide("rita", "rita-pw", still, v[0], lastOutcome);
                    acknowledged.incrementAndGet();
                    decide("sam", "sam-pw", still, v[1], lastOutcome);
                    acknowledged.incrementAndGet();
                });
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "reviewers");
        reviewers.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.get() >= 6);
        long restartStart = System.nanoTime();
        STACK.launcher().restartNotify();
        long restartMs = (System.nanoTime() - restartStart) / 1_000_000;
        reviewers.join(Duration.ofSeconds(150).toMillis());
        String context = " (restart took " + restartMs + " ms; last answer: " + lastOutcome.get() + ")";
        assertNull(failure.get(), () -> "the reviewers gave up: " + failure.get() + context);
        assertFalse(reviewers.isAlive(), () -> "the reviewers were still waiting after 150 s" + context);
        assertEquals(2 * n, acknowledged.get(), "every decision was eventually acknowledged" + context);

        // Then the state is exactly what the decisions imply
        Map<String, ReviewQueue.Status> expected = new TreeMap<>();
        plan.forEach((still, verdicts) -> expected.put(still, switch (verdicts) {
            case "confirm/confirm" -> ReviewQueue.Status.CONFIRMED;
            case "reject/reject" -> ReviewQueue.Status.REJECTED;
            default -> ReviewQueue.Status.DISPUTED;
        }));
        await().atMost(Duration.ofSeconds(30)).until(() -> statuses(ids).equals(expected));
        assertEquals(n, STACK.launcher().notifyService().queue().tasks().size(), "one task per still, none duplicated");

        // And a further restart rebuilds the same state from Kafka, and publishes no extra review reference
        Map<String, ReviewQueue.Status> before = statuses(ids);
        STACK.launcher().restartNotify();
        assertEquals(before, statuses(ids), "consensus state survives a restart unchanged");
        await().atMost(Duration.ofSeconds(30)).until(() -> reviewReferences(common) == 5);
        assertEquals(5, reviewReferences(common), "one new reference view per confirmed still");
    }

    private static Map<String, ReviewQueue.Status> statuses(List<String> ids) {
        Map<String, ReviewQueue.Status> out = new TreeMap<>();
        for (String id : ids) {
            STACK.launcher().notifyService().queue().task(id).ifPresent(t -> out.put(id, t.status()));
        }
        return out;
    }

    private static long reviewReferences(Common common) {
        return PipelineScenario.readAll(common, common.topics().references()).stream()
                .filter(r -> r.value() != null)
                .map(r -> EventCodec.decode(r.value(), ReferenceAdded.class))
                .filter(ref -> "review".equals(ref.source()))
                .map(ReferenceAdded::referenceId).distinct().count();
    }

    /**
     * Posts a decision, retrying (new port, new sign-in) until notify acknowledges it, as a page would. Each request
     * has a deadline of its own: one caught in the stopping server must not hold the reviewer forever. Every retry
     * carries the same decisionId, so a decision recorded just before the restart (its answer lost) is answered
     * again rather than refused as a second vote (CI saw 409 already-confirmed for such a retry).
     */
    private static void decide(String name, String password, String stillId, String verdict,
            AtomicReference<String> lastOutcome) {
        String decisionId = "decision-" + name + "-" + stillId;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String base = "http://localhost:" + STACK.launcher().notifyService().port();
                HttpResponse<String> session = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/session"))
                        .timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"password\":\""
                                + password + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
                String token = dev.reelcars.events.EventCodec.mapper().readTree(session.body()).get("token")
                        .asText();
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/reviews/" + stillId))
                        .timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"verdict\":\"" + verdict
                                + "\",\"decisionId\":\"" + decisionId + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                lastOutcome.set(name + " on " + stillId + ": " + r.statusCode() + " " + r.body());
                if (r.statusCode() / 100 == 2) {
                    return;
                }
            } catch (Exception | AssertionError e) {
                // notify is restarting: try again, as a reviewer's page would
                lastOutcome.set(name + " on " + stillId + ": " + e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("decision by " + name + " on " + stillId + " never acknowledged");
    }

    private static List<String> publishIdentifications(Common common, int n) throws Exception {
        BlobStore blobs = BlobStores.open(common.blobStore());
        String stillKey = blobs.put(StackClient.resource("demo-still.jpg"));
        String refKey = blobs.put(StackClient.resource("demo-gallery/blue-pickup-truck.jpg"));
        List<String> ids = new ArrayList<>();
        try (var producer = KafkaClients.producer(common.kafka(), "test")) {
            for (int i = 0; i < n; i++) {
                String id = "still-restart-" + i;
                StillSubmitted still = new StillSubmitted(1, id, stillKey, "image/jpeg", 1280, 720, "Restart " + i,
                        1982, null, null, "someone-else", null, null, Instant.now());
                Candidate c = new Candidate("demo-blue-pickup-truck", "Blue pickup truck", refKey, 0.97, 120,
                        List.of(new Point(400, 200), new Point(900, 200), new Point(900, 600), new Point(400, 600)),
                        List.of());
                Identification ident = new Identification(1, id, still, List.of(c), List.of(), 7, 1000, "test", Instant.now());
                producer.send(new ProducerRecord<>(common.topics().identifications(), id, EventCodec.encode(ident)))
                        .get();
                ids.add(id);
            }
        }
        return ids;
    }
}
