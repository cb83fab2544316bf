package dev.reelcars.notify;

import static dev.reelcars.notify.Fixtures.candidate;
import static dev.reelcars.notify.Fixtures.identification;
import static dev.reelcars.notify.Fixtures.still;
import static dev.reelcars.notify.NotifyHarness.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.testkit.EmbeddedBroker;
import java.awt.Color;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API on a real broker: every request goes through java.net.http to the running service. */
class NotifyApiTest {
    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();
    @TempDir
    Path dataDir;
    private NotifyHarness h;

    @BeforeEach
    void startNotify() throws Exception {
        h = new NotifyHarness(broker.kafka().bootstrapServers(), dataDir, Map.of()).start();
    }

    @AfterEach
    void stopNotify() {
        h.close();
    }

    @Test
    void refusesAnonymousReadersWith401AndContributorsWith403() throws Exception {
        var anonymous = h.get("/api/queue", null);
        assertEquals(401, anonymous.statusCode());
        assertEquals("unauthorized", json(anonymous).get("error").asText());

        String dave = h.signIn("dave", "dave-pw");
        var contributor = h.get("/api/queue", dave);
        assertEquals(403, contributor.statusCode());
        assertEquals(403, h.review(dave, "s1", "confirm").statusCode());

        var wrong = h.post("/api/session", null, "{\"name\":\"alice\",\"password\":\"nope\"}");
        assertEquals(401, wrong.statusCode());
        assertEquals("bad-credentials", json(wrong).get("error").asText());
    }

    @Test
    void aPublishedIdentificationAppearsOnceInTheQueueEvenWhenRedelivered() throws Exception {
        // Given a reviewer
        String alice = h.signIn("alice", "alice-pw");
        // When identify publishes a match twice (a redelivery)
        var id = identification(still("s1", "Bullitt"), Instant.now(), candidate("r1", "Ford Mustang", 0.9));
        h.publish(h.topics.identifications(), id);
        h.publish(h.topics.identifications(), id);
        // Then the queue shows one task for the still
        await().atMost(Duration.ofSeconds(20)).until(() -> json(h.get("/api/queue", alice)).get("items").size() == 1);
        var q = json(h.get("/api/queue", alice));
        assertEquals("s1", q.get("items").get(0).get("stillId").asText());
        assertEquals("Ford Mustang", q.get("items").get(0).get("candidates").get(0).get("label").asText());
        assertEquals(1, q.get("counts").get("pending").asInt());
    }

    @Test
    void aRetriedDecisionWithTheSameIdIsAnsweredAgainNotCountedTwice() throws Exception {
        // Given a match, and consensus 2 reached by alice and bob, bob's answer lost (he will retry)
        String alice = h.signIn("alice", "alice-pw");
        String bob = h.signIn("bob", "bob-pw");
        h.publish(h.topics.identifications(),
                identification(still("s-retry", "Bullitt"), Instant.now(), candidate("r1", "Ford Mustang", 0.9)));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s-retry").isPresent());
        assertEquals(201, h.review(alice, "s-retry", "confirm").statusCode());
        String body = "{\"verdict\":\"confirm\",\"decisionId\":\"decision-bob-s-retry\"}";
        assertEquals(201, h.post("/api/reviews/s-retry", bob, body).statusCode());

        // When bob retries the same decision, and alice tries to reuse his id
        var retry = h.post("/api/reviews/s-retry", bob, body);
        var stolen = h.post("/api/reviews/s-retry", alice, body);

        // Then the retry gets the recorded decision again, alice is refused, and the topic holds two decisions
        assertEquals(201, retry.statusCode(), retry.body());
        assertEquals("decision-bob-s-retry", json(retry).get("decision").get("decisionId").asText());
        assertEquals(409, stolen.statusCode(), stolen.body());
        assertEquals(2, h.readEvents(h.topics.decisions(), dev.reelcars.events.ReviewDecision.class).stream()
                .filter(d -> d.stillId().equals("s-retry")).count());
    }

    @Test
    void aReviewerTakesBackTheirLatestDecisionUntilTheStillIsConfirmed() throws Exception {
        // Given a match alice confirmed
        String alice = h.signIn("alice", "alice-pw");
        String bob = h.signIn("bob", "bob-pw");
        h.publish(h.topics.identifications(),
                identification(still("s-undo", "Bullitt"), Instant.now(), candidate("r1", "Ford Mustang", 0.9)));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s-undo").isPresent());
        var confirmed = h.review(alice, "s-undo", "confirm");
        assertEquals(201, confirmed.statusCode());
        String decisionId = json(confirmed).get("decision").get("decisionId").asText();
        assertTrue(json(h.get("/api/queue", alice)).get("items").isEmpty(), "voted: out of her queue");

        // When bob tries to take it back, he may not; when alice does, it is published as a retraction
        assertEquals(403, h.delete("/api/reviews/s-undo/" + decisionId, bob).statusCode());
        var undone = h.delete("/api/reviews/s-undo/" + decisionId, alice);
        assertEquals(200, undone.statusCode(), undone.body());
        assertEquals("RETRACT", json(undone).get("decision").get("verdict").asText());

        // Then her vote is gone, the item is back in her queue, and the retraction is on the topic and audited
        assertTrue(json(undone).get("task").get("votes").isEmpty());
        assertEquals(1, json(h.get("/api/queue", alice)).get("items").size());
        await().atMost(Duration.ofSeconds(20)).until(() -> h.readEvents(h.topics.decisions(), ReviewDecision.class)
                .stream().anyMatch(d -> d.verdict() == ReviewDecision.Verdict.RETRACT && "alice".equals(d.reviewer())
                        && d.schemaVersion() == ReviewDecision.CURRENT_VERSION));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.readAll(h.topics.audit()).stream()
                .anyMatch(r -> r.value() != null && new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)
                        .contains("decision.retract")));
        // A retraction cannot be taken back twice
        assertEquals(409, h.delete("/api/reviews/s-undo/" + decisionId, alice).statusCode());

        // And once alice confirms again and bob agrees, her vote can no longer be taken back
        String again = json(h.review(alice, "s-undo", "confirm")).get("decision").get("decisionId").asText();
        assertEquals(201, h.review(bob, "s-undo", "confirm").statusCode());
        var late = h.delete("/api/reviews/s-undo/" + again, alice);
        assertEquals(409, late.statusCode(), late.body());
        assertEquals("already-confirmed", json(late).get("error").asText());
    }

    @Test
    void openPagesAreToldAboutANewMatchOverServerSentEvents() throws Exception {
        // Given a reviewer's page listening for events
        String alice = h.signIn("alice", "alice-pw");
        List<String> lines = new CopyOnWriteArrayList<>();
        var req = HttpRequest.newBuilder(URI.create(h.base() + "/api/events"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + alice).GET().build();
        var stream = h.http.sendAsync(req, HttpResponse.BodyHandlers.ofLines())
                .thenAccept(res -> res.body().forEach(lines::add));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("event: hello"));
        // When a match arrives
        h.publish(h.topics.identifications(),
                identification(still("s-live", "Bullitt"), Instant.now(), candidate("r1", "Ford Mustang", 0.9)));
        // Then the page is told
        await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("event: queue")
                && lines.stream().anyMatch(l -> l.startsWith("data:") && l.contains("s-live")));
        stream.cancel(true);
    }

    @Test
    void eventsNeedAReviewerToo() throws Exception {
        assertEquals(401, h.get("/api/events", null).statusCode());
    }

    @Test
    void aDecisionIsPublishedToTheDecisionsTopicWithWhoAndWhen() throws Exception {
        String alice = h.signIn("alice", "alice-pw");
        h.publish(h.topics.identifications(),
                identification(still("s1", "Bullitt"), Instant.now(), candidate("r1", "Ford Mustang", 0.9)));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s1").isPresent());

        var res = h.review(alice, "s1", "confirm");

        assertEquals(201, res.statusCode(), res.body());
        List<ReviewDecision> published = h.readEvents(h.topics.decisions(), ReviewDecision.class);
        assertEquals(1, published.size());
        ReviewDecision d = published.get(0);
        assertEquals("alice", d.reviewer());
        assertEquals(ReviewDecision.Verdict.CONFIRM, d.verdict());
        assertEquals("r1", d.referenceId());
        assertTrue(Duration.between(d.decidedAt(), Instant.now()).abs().toSeconds() < 60);
        assertEquals(0, json(h.get("/api/queue", alice)).get("items").size(), "alice's vote takes it off her queue");
        String bob = h.signIn("bob", "bob-pw");
        assertEquals(1, json(h.get("/api/queue", bob)).get("items").size(), "bob still has to decide");
    }

    @Test
    void aContributorCannotConfirmTheirOwnSubmission() throws Exception {
        String alice = h.signIn("alice", "alice-pw");
        h.publish(h.topics.identifications(), identification(still("s1", "Bullitt", "alice", null, Fixtures.KEY),
                Instant.now(), candidate("r1", "Ford Mustang", 0.9)));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s1").isPresent());

        var res = h.review(alice, "s1", "confirm");

        assertEquals(403, res.statusCode());
        assertEquals("own-submission", json(res).get("error").asText());
    }

    @Test
    void badRequestsAreJsonErrors() throws Exception {
        String alice = h.signIn("alice", "alice-pw");
        assertEquals(404, h.review(alice, "no-such-still", "confirm").statusCode());
        h.publish(h.topics.identifications(),
                identification(still("s1", "Bullitt"), Instant.now(), candidate("r1", "Ford Mustang", 0.9)));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s1").isPresent());
        var bad = h.review(alice, "s1", "maybe");
        assertEquals(400, bad.statusCode());
        assertEquals("bad-verdict", json(bad).get("error").asText());
        assertEquals(400, h.post("/api/reviews/s1", alice, "not json").statusCode());
    }

    @Test
    void twoAgreeingReviewersPublishAReviewReferenceCroppedFromTheStill() throws Exception {
        // Given a match on a still whose image is in the blob store
        String stillKey = h.blobs.put(Fixtures.png(320, 200, Color.RED));
        h.publish(h.topics.identifications(), identification(still("s1", "Bullitt", "zoe", null, stillKey),
                Instant.now(), candidate("r1", "Ford Mustang", 0.9)));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s1").isPresent());
        // When two reviewers confirm it
        assertEquals(201, h.review(h.signIn("alice", "alice-pw"), "s1", "confirm").statusCode());
        assertEquals(201, h.review(h.signIn("bob", "bob-pw"), "s1", "confirm").statusCode());
        // Then a reference with source "review" appears on the references topic, cropped to the outline
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !h.readEvents(h.topics.references(), ReferenceAdded.class).isEmpty());
        ReferenceAdded ref = h.readEvents(h.topics.references(), ReferenceAdded.class).get(0);
        assertEquals("review", ref.source());
        assertEquals("s1", ref.derivedFromStill());
        assertEquals("Ford Mustang", ref.label());
        assertEquals(ReferencePublisher.referenceIdFor("s1", "Ford Mustang"), ref.referenceId());
        assertEquals(160, ref.width());
        assertEquals(120, ref.height());
        assertTrue(h.blobs.exists(ref.blobKey()));
        var story = json(h.get("/api/submissions/s1", h.signIn("carol", "carol-pw")));
        assertEquals("CONFIRMED", story.get("current").get("status").asText());
        assertEquals(2, story.get("decisions").size());
        assertEquals("zoe", story.get("received").get("contributor").asText());
    }

    @Test
    void reviewersCanNameAVehicleNobodyMatchedAndTheWholeStillJoinsTheGallery() throws Exception {
        // Given a still identify could not match
        String stillKey = h.blobs.put(Fixtures.png(120, 90, Color.ORANGE));
        h.publish(h.topics.identifications(), identification(still("s-un", "Duel", "zoe", null, stillKey),
                Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s-un").isPresent());
        String alice = h.signIn("alice", "alice-pw");
        assertEquals("s-un", json(h.get("/api/queue", alice)).get("unidentified").get(0).get("stillId").asText());
        assertEquals("label-required", json(h.review(alice, "s-un", "confirm")).get("error").asText());
        // When two reviewers name it the same
        String body = "{\"verdict\":\"confirm\",\"label\":\"Peterbilt 281\"}";
        assertEquals(201, h.post("/api/reviews/s-un", alice, body).statusCode());
        assertEquals(201, h.post("/api/reviews/s-un", h.signIn("bob", "bob-pw"), body).statusCode());
        // Then it is confirmed and the whole still becomes a reference
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !h.readEvents(h.topics.references(), ReferenceAdded.class).isEmpty());
        ReferenceAdded ref = h.readEvents(h.topics.references(), ReferenceAdded.class).get(0);
        assertEquals("Peterbilt 281", ref.label());
        assertEquals(120, ref.width());
        assertEquals(90, ref.height());
        assertEquals(1, json(h.get("/api/queue", alice)).get("counts").get("confirmed").asInt());
    }

    @Test
    void aNearMissIsAHintOnAnUnidentifiedStillAndNamingItCropsTheReferenceToItsOutline() throws Exception {
        // Given a still identify could not match, with a reference verified below the acceptance threshold
        String stillKey = h.blobs.put(Fixtures.png(320, 200, Color.BLUE));
        h.publish(h.topics.identifications(), Fixtures.nearMissesOnly(still("s-near", "Pyongyang 1980", "zoe", null,
                stillKey), Instant.now(), candidate("r-volga", "Paektusan", 0.47)));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s-near").isPresent());

        // Then it is listed as unidentified, with the near miss as a hint and nothing proposed
        String alice = h.signIn("alice", "alice-pw");
        var task = json(h.get("/api/queue", alice)).get("unidentified").get(0);
        assertEquals("s-near", task.get("stillId").asText());
        assertEquals("UNIDENTIFIED", task.get("status").asText());
        assertEquals(0, task.get("candidates").size(), "a near miss is never a proposal");
        assertEquals("Paektusan", task.get("nearMisses").get(0).get("label").asText());

        // When two reviewers take the hint
        String body = "{\"verdict\":\"confirm\",\"label\":\"Paektusan\"}";
        assertEquals(201, h.post("/api/reviews/s-near", alice, body).statusCode());
        assertEquals(201, h.post("/api/reviews/s-near", h.signIn("bob", "bob-pw"), body).statusCode());

        // Then the decision names the near miss's reference, and the new reference is the still cropped to its outline
        ReviewDecision first = h.readEvents(h.topics.decisions(), ReviewDecision.class).get(0);
        assertEquals("r-volga", first.referenceId());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !h.readEvents(h.topics.references(), ReferenceAdded.class).isEmpty());
        ReferenceAdded ref = h.readEvents(h.topics.references(), ReferenceAdded.class).get(0);
        assertEquals("Paektusan", ref.label());
        assertEquals(160, ref.width(), "cropped to the outline, not the whole 320 px still");
        assertEquals(120, ref.height());
    }

    @Test
    void aNewReferenceSendsUnidentifiedStillsBackToIdentify() throws Exception {
        // Given a still identify could not match
        h.publish(h.topics.identifications(), identification(still("s-none", "Vanishing Point"), Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s-none").isPresent());
        // When the gallery grows
        h.publish(h.topics.references(), new ReferenceAdded(1, "ref-new", "Dodge Challenger", "Dodge", "Challenger",
                1970, Fixtures.KEY, "image/png", 10, 10, "upload", null, Instant.now()));
        // Then the still is submitted again for matching
        await().atMost(Duration.ofSeconds(20)).until(() -> h.readEvents(h.topics.stills(), StillSubmitted.class)
                .stream().anyMatch(s -> s.stillId().equals("s-none")));
    }

    @Test
    void servesStoredImagesWithTheirSniffedTypeAndValidatesKeys() throws Exception {
        byte[] png = Fixtures.png(40, 30, Color.GREEN);
        String key = h.blobs.put(png);
        var res = h.http.send(HttpRequest.newBuilder(URI.create(h.base() + "/api/images/" + key)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, res.statusCode());
        assertEquals("image/png", res.headers().firstValue("Content-Type").orElse(""));
        assertEquals("nosniff", res.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertArrayEquals(png, res.body());

        assertEquals(400, h.get("/api/images/..%2F..%2Fetc%2Fpasswd", null).statusCode());
        assertEquals(400, h.get("/api/images/ABC", null).statusCode());
        assertEquals(404, h.get("/api/images/" + "0".repeat(64), null).statusCode());
    }

    @Test
    void thePageForbidsInlineScriptAndServesItsScriptFromAFile() throws Exception {
        var page = h.get("/", null);
        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'"), csp);
        assertFalse(csp.contains("unsafe-inline"), csp);
        assertTrue(csp.contains("http://localhost:8081"), "the upload goes to ingest: " + csp);
        assertTrue(page.body().contains("<script src=\"/app.js\""));
        assertFalse(page.body().matches("(?s).*<script>.*"), "no inline script");
        var js = h.get("/app.js", null);
        assertEquals(200, js.statusCode());
        assertTrue(js.body().contains("textContent"));
        assertFalse(js.body().contains("innerHTML ="), "data never goes through innerHTML");
    }

    @Test
    void theWholeStoryOfAStillIsAvailable() throws Exception {
        String alice = h.signIn("alice", "alice-pw");
        h.publish(h.topics.identifications(), identification(still("s1", "Bullitt"), Instant.now()));
        h.publish(h.topics.identifications(), identification(still("s1", "Bullitt"),
                Instant.now().plusSeconds(1), candidate("r1", "Ford Mustang", 0.7)));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s1")
                .map(t -> !t.candidates().isEmpty()).orElse(false));
        h.review(alice, "s1", "reject");

        var story = json(h.get("/api/submissions/s1", alice));

        assertEquals("Bullitt", story.get("received").get("film").asText());
        assertEquals(2, story.get("identifications").size());
        assertEquals("alice", story.get("decisions").get(0).get("reviewer").asText());
        assertEquals(404, h.get("/api/submissions/nope", alice).statusCode());
    }

    @Test
    void aReviewerReopensAConfirmationWithAReasonAndItsReferenceLeavesTheGallery() throws Exception {
        // Given a still alice and bob confirmed, whose review reference joined the gallery
        String stillKey = h.blobs.put(Fixtures.png(320, 200, Color.RED));
        h.publish(h.topics.identifications(), identification(still("s-re", "Bullitt", "zoe", null, stillKey),
                Instant.now(), candidate("r1", "Ford Mustang", 0.9)));
        h.publish(h.topics.identifications(), identification(still("s-open", "Bullitt"), Instant.now(),
                candidate("r1", "Ford Mustang", 0.9)));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s-re").isPresent()
                && h.service.queue().task("s-open").isPresent());
        String alice = h.signIn("alice", "alice-pw");
        String carol = h.signIn("carol", "carol-pw");
        assertEquals(201, h.review(alice, "s-re", "confirm").statusCode());
        assertEquals(201, h.review(h.signIn("bob", "bob-pw"), "s-re", "confirm").statusCode());
        String refId = ReferencePublisher.referenceIdFor("s-re", "Ford Mustang");
        await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().hasReference(refId));

        // A reason is required, a contributor may not, and a still nobody decided cannot be reopened
        assertEquals(400, h.post("/api/reviews/s-re/reopen", carol, "{}").statusCode());
        assertEquals(403, h.post("/api/reviews/s-re/reopen", h.signIn("dave", "dave-pw"),
                "{\"reason\":\"x\"}").statusCode());
        var open = h.post("/api/reviews/s-open/reopen", carol, "{\"reason\":\"x\"}");
        assertEquals(409, open.statusCode(), open.body());
        assertEquals("not-decided", json(open).get("error").asText());

        // When carol reopens the confirmation, saying why
        var reopened = h.post("/api/reviews/s-re/reopen", carol, "{\"reason\":\"the grille is a Falcon's\"}");

        // Then it is a REOPEN decision, the still is pending again and back in every reviewer's queue
        assertEquals(201, reopened.statusCode(), reopened.body());
        assertEquals("REOPEN", json(reopened).get("decision").get("verdict").asText());
        assertEquals("PENDING", json(reopened).get("task").get("status").asText());
        assertTrue(json(h.get("/api/queue", alice)).get("items").findValuesAsText("stillId").contains("s-re"),
                "alice may vote again in the fresh round");
        // And its review reference leaves the gallery (a tombstone on the compacted topic), and the audit says why
        await().atMost(Duration.ofSeconds(20)).until(() -> !h.service.queue().hasReference(refId)
                && h.readAll(h.topics.references()).stream().anyMatch(r -> r.value() == null && refId.equals(r.key())));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.readAll(h.topics.audit()).stream()
                .anyMatch(r -> r.value() != null && new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)
                        .contains("decision.reopen") && new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)
                        .contains("a Falcon")));

        // When alice and carol reject it in the new round, it is rejected and its reference stays out
        assertEquals(201, h.review(alice, "s-re", "reject").statusCode());
        assertEquals(201, h.review(carol, "s-re", "reject").statusCode());
        assertEquals(ReviewQueue.Status.REJECTED, h.service.queue().task("s-re").orElseThrow().status());
        assertFalse(h.service.queue().hasReference(refId));
    }

    @Test
    void theQueueCarriesEachCandidatesVehicleRecordAndTheThresholdItPassed() throws Exception {
        // Given two views of one vehicle in the gallery, spelt two ways, and a match that says its threshold
        h.publish(h.topics.references(), new ReferenceAdded(1, "ref-m1", "Ford Mustang", "Ford", "Mustang", 1968,
                Fixtures.KEY, "image/png", 10, 10, "upload", null, Fixtures.T0, "GT", 1964, 1973));
        h.publish(h.topics.references(), new ReferenceAdded(1, "ref-m2", "ford  mustang", "Ford", "Mustang", 1967,
                "b".repeat(64), "image/png", 10, 10, "demo", null, Fixtures.T0.plusSeconds(1)));
        var still = still("s-v", "Bullitt");
        h.publish(h.topics.identifications(), new dev.reelcars.events.Identification(1, "s-v", still,
                List.of(candidate("ref-m1", "Ford Mustang", 0.9)), List.of(), 2, 1234, "identify-test",
                Instant.now(), Map.of("features", 0.61, "plate", 0.7)));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s-v").isPresent()
                && h.service.queue().hasReference("ref-m2"));

        // When a reviewer reads the queue
        var view = json(h.get("/api/queue", h.signIn("alice", "alice-pw")));

        // Then the candidate's vehicle has its make, model, variant, years and both views
        var vehicle = view.get("vehicles").get("Ford Mustang");
        assertEquals("Ford", vehicle.get("make").asText());
        assertEquals("Mustang", vehicle.get("model").asText());
        assertEquals("GT", vehicle.get("variant").asText());
        assertEquals(1964, vehicle.get("yearFrom").asInt());
        assertEquals(1973, vehicle.get("yearTo").asInt());
        assertEquals("[1967,1968]", vehicle.get("years").toString());
        assertEquals(List.of("ref-m1", "ref-m2"), vehicle.get("views").findValuesAsText("referenceId"));
        // And the item says the threshold identify accepted it against
        assertEquals(0.61, view.get("items").get(0).get("acceptThresholds").get("features").asDouble());
    }

    @Test
    void anAnachronisticBestCandidateIsServedSecondAndAConfirmWithoutALabelConfirmsThePossibleOne() throws Exception {
        // Given a gallery where the Porsche 917 was first built in 1969 and the Mustang in 1964, and a 1968 still
        // whose best-scored candidate is the 917
        h.publish(h.topics.references(), new ReferenceAdded(1, "ref-917", "Porsche 917", "Porsche", "917", null,
                Fixtures.KEY, "image/png", 10, 10, "upload", null, Fixtures.T0, "K", 1969, 1973));
        h.publish(h.topics.references(), new ReferenceAdded(1, "ref-mustang", "Ford Mustang", "Ford", "Mustang", 1968,
                Fixtures.KEY, "image/png", 10, 10, "upload", null, Fixtures.T0, null, 1964, 1973));
        String stillKey = h.blobs.put(Fixtures.png(320, 200, Color.RED));
        h.publish(h.topics.identifications(), identification(still("s-1968", "Le Mans", "zoe", null, stillKey),
                Instant.now(), candidate("ref-917", "Porsche 917", 0.95), candidate("ref-mustang", "Ford Mustang", 0.7)));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s-1968").isPresent()
                && h.service.queue().hasReference("ref-917") && h.service.queue().hasReference("ref-mustang"));
        String alice = h.signIn("alice", "alice-pw");

        // When a reviewer reads the queue
        var item = json(h.get("/api/queue", alice)).get("items").get(0);

        // Then the Mustang comes first and the 917 second, flagged
        assertEquals("s-1968", item.get("stillId").asText());
        assertEquals(List.of("Ford Mustang", "Porsche 917"), item.get("candidates").findValuesAsText("label"));
        assertEquals("[\"Porsche 917\"]", item.get("anachronisms").toString());

        // When two reviewers confirm without naming a label
        var first = h.review(alice, "s-1968", "confirm");
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(201, h.review(h.signIn("bob", "bob-pw"), "s-1968", "confirm").statusCode());

        // Then both decisions name the Mustang and its reference, the still is confirmed as the Mustang, and the
        // gallery grows with a Mustang view (what the catalogue, reading the same decisions, shows too)
        assertEquals("Ford Mustang", json(first).get("decision").get("label").asText());
        List<ReviewDecision> decisions = h.readEvents(h.topics.decisions(), ReviewDecision.class).stream()
                .filter(d -> d.stillId().equals("s-1968")).toList();
        assertEquals(2, decisions.size());
        assertTrue(decisions.stream().allMatch(d -> "Ford Mustang".equals(d.label())
                && "ref-mustang".equals(d.referenceId())), decisions.toString());
        var task = h.service.queue().task("s-1968").orElseThrow();
        assertEquals(ReviewQueue.Status.CONFIRMED, task.status());
        assertEquals("Ford Mustang", task.label());
        String reference = ReferencePublisher.referenceIdFor("s-1968", "Ford Mustang");
        await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().hasReference(reference));
    }
}
