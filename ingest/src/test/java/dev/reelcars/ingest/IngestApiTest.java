package dev.reelcars.ingest;

import static dev.reelcars.ingest.IngestHarness.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.ReferenceProposal;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.blob.BlobStores;
import dev.reelcars.testkit.EmbeddedBroker;
import dev.reelcars.testkit.Multipart;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** The HTTP API end to end on a real broker: accepted uploads, events, duplicates, restart, CORS, health. */
class IngestApiTest {
    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();

    @TempDir
    Path tempDir;
    IngestHarness ingest;

    @BeforeEach
    void startIngest() throws Exception {
        ingest = new IngestHarness(broker.kafka(), tempDir, Map.of()).start();
    }

    @AfterEach
    void stopIngest() {
        ingest.close();
    }

    @Test
    void acceptsStillAndPublishesStillSubmittedWithBlobKey() {
        // Given a JPEG still with metadata
        byte[] jpeg = Fixtures.image("home.jpg");

        // When it is uploaded
        HttpResponse<String> response = ingest.postStill("home.jpg", jpeg, "film", "Le Samourai", "year", "1967",
                "timecode", "01:02:03", "note", "DS in the rain");

        // Then it is accepted, one event is on the stills topic, and the bytes are in the blob store
        assertEquals(202, response.statusCode(), response.body());
        String id = json(response).path("id").asText();
        var records = ingest.records(ingest.topics.stills());
        assertEquals(1, records.size(), "one StillSubmitted published");
        StillSubmitted event = EventCodec.decode(records.get(0).value(), StillSubmitted.class);
        assertEquals(id, event.stillId());
        assertEquals(id, records.get(0).key(), "keyed by stillId");
        assertEquals(BlobStore.keyOf(jpeg), event.blobKey(), "claim check is the sha-256 of the bytes");
        assertEquals("image/jpeg", event.contentType());
        assertEquals(512, event.width());
        assertEquals(384, event.height());
        assertEquals("Le Samourai", event.film());
        assertEquals(1967, event.year());
        assertEquals("ana", event.contributor());
        assertNull(event.duplicateOf());
        assertTrue(BlobStores.directory(ingest.blobDir).exists(event.blobKey()), "blob stored");
    }

    @Test
    void aContributorsReferenceIsAProposalNotAGalleryView() {
        // Given a PNG reference view with a label
        Multipart form = new Multipart().field("label", "Citroen DS 1967").field("make", "Citroen")
                .field("model", "DS").field("year", "1967").field("variant", "DS 21").field("yearFrom", "1955")
                .field("yearTo", "1975").file("image", "ds.png", "image/png", Fixtures.image("fruits.png"));

        // When it is uploaded
        HttpResponse<String> response = ingest.post("/api/references", form);

        // Then a ReferenceProposal by the signed-in contributor waits for review, and the gallery's topic (which
        // identify matches against) has nothing
        assertEquals(202, response.statusCode(), response.body());
        var records = ingest.records(ingest.topics.referenceProposals());
        assertEquals(1, records.size());
        ReferenceProposal event = EventCodec.decode(records.get(0).value(), ReferenceProposal.class);
        assertEquals(json(response).path("id").asText(), event.proposalId());
        assertEquals("Citroen DS 1967", event.label());
        assertEquals("ana", event.proposedBy());
        assertEquals("image/png", event.contentType());
        assertEquals("DS 21", event.variant());
        assertEquals(1955, event.yearFrom());
        assertEquals(1975, event.yearTo());
        assertEquals(0, ingest.records(ingest.topics.references()).size(), "nothing joins the gallery unreviewed");

        // And production years that end before they begin are refused
        HttpResponse<String> backwards = ingest.post("/api/references", new Multipart().field("label", "Citroen DS")
                .field("yearFrom", "1975").field("yearTo", "1955")
                .file("image", "ds2.jpg", "image/jpeg", Fixtures.image("home.jpg")));
        assertEquals(400, backwards.statusCode(), backwards.body());
        assertEquals("invalid-field", json(backwards).path("error").asText());
    }

    @Test
    void refusesReferenceWithoutLabelWith400() {
        // Given a reference form with no label
        Multipart form = new Multipart().file("image", "ds.jpg", "image/jpeg", Fixtures.image("home.jpg"));

        // When it is uploaded
        HttpResponse<String> response = ingest.post("/api/references", form);

        // Then it is refused and nothing is published
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("missing-field", json(response).path("error").asText());
        assertEquals(0, ingest.records(ingest.topics.references()).size());
    }

    @Test
    void returnsExistingIdForExactDuplicateAndPublishesNothingNew() {
        // Given a still already submitted
        byte[] jpeg = Fixtures.image("home.jpg");
        String first = json(ingest.postStill("a.jpg", jpeg)).path("id").asText();

        // When the same bytes are uploaded again under another name
        HttpResponse<String> again = ingest.postStill("b.jpg", jpeg);

        // Then the answer is 200 with the first id, and the topic still holds one event
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(first, json(again).path("id").asText());
        assertTrue(json(again).path("duplicate").asBoolean(), "duplicate flag");
        assertEquals(1, ingest.records(ingest.topics.stills()).size());
    }

    @Test
    void acceptsNearDuplicateAsNewStillCarryingDuplicateOf() {
        // Given a still already submitted
        byte[] original = Fixtures.image("building.jpg");
        String first = json(ingest.postStill("a.jpg", original)).path("id").asText();

        // When a resized, lightly cropped, re-encoded copy is uploaded
        byte[] copy = Fixtures.reencode(original, ".jpg", m -> {
            Mat cropped = new Mat(m, new Rect(6, 5, m.cols() - 12, m.rows() - 10)).clone();
            Mat resized = new Mat();
            Imgproc.resize(cropped, resized, new Size(cropped.cols() * 0.7, cropped.rows() * 0.7));
            cropped.release();
            return resized;
        }, Imgcodecs.IMWRITE_JPEG_QUALITY, 60);
        HttpResponse<String> response = ingest.postStill("copy.jpg", copy);

        // Then it is a new submission pointing at the first one
        assertEquals(202, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertNotEquals(first, body.path("id").asText());
        assertEquals(first, body.path("duplicateOf").asText(), "duplicateOf names the first submission");
        var events = ingest.records(ingest.topics.stills()).stream()
                .map(r -> EventCodec.decode(r.value(), StillSubmitted.class)).toList();
        assertEquals(first, events.get(1).duplicateOf());
    }

    @Test
    void doesNotFlagAnUnrelatedStillAsDuplicate() {
        // Given one still submitted
        ingest.postStill("a.jpg", Fixtures.image("building.jpg"));

        // When a different picture is uploaded
        HttpResponse<String> response = ingest.postStill("b.jpg", Fixtures.image("butterfly.jpg"));

        // Then it carries no duplicateOf
        assertEquals(202, response.statusCode());
        assertFalse(json(response).has("duplicateOf"), response.body());
    }

    @Test
    void recognisesDuplicatesAfterRestartByReplayingTheTopics() throws Exception {
        // Given a still and a reference submitted, and ingest restarted (its memory gone)
        byte[] still = Fixtures.image("home.jpg");
        byte[] reference = Fixtures.image("fruits.png");
        String stillId = json(ingest.postStill("a.jpg", still)).path("id").asText();
        String refId = json(ingest.post("/api/references", new Multipart().field("label", "x")
                .file("image", "r.png", "image/png", reference))).path("id").asText();
        ingest.restart();

        // When the same still, a re-encoded copy of it, and the same reference are uploaded again
        HttpResponse<String> exact = ingest.postStill("again.jpg", still);
        HttpResponse<String> near = ingest.postStill("near.jpg",
                Fixtures.reencode(still, ".jpg", m -> m, Imgcodecs.IMWRITE_JPEG_QUALITY, 50));
        HttpResponse<String> sameRef = ingest.post("/api/references", new Multipart().field("label", "x")
                .file("image", "r.png", "image/png", reference));

        // Then all three are recognised from the replayed topics
        assertEquals(200, exact.statusCode(), exact.body());
        assertEquals(stillId, json(exact).path("id").asText());
        assertEquals(202, near.statusCode(), near.body());
        assertEquals(stillId, json(near).path("duplicateOf").asText());
        assertEquals(200, sameRef.statusCode(), sameRef.body());
        assertEquals(refId, json(sameRef).path("id").asText());
    }

    @Test
    void answersHealthWithKafkaReachability() {
        // When health is asked for
        HttpResponse<String> response = ingest.get("/health");

        // Then it says ok and that Kafka is reachable
        assertEquals(200, response.statusCode());
        assertEquals("ok", json(response).path("status").asText());
        assertTrue(json(response).path("kafka").asBoolean(), response.body());
    }

    @Test
    void allowsTheReviewerPageOriginByCors() {
        // When the reviewer page's origin sends a preflight for an upload
        HttpResponse<String> response = ingest.send(HttpRequest.newBuilder(ingest.uri("/api/stills"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:8080")
                .header("Access-Control-Request-Method", "POST").build());

        // Then the origin is allowed
        assertEquals("http://localhost:8080",
                response.headers().firstValue("Access-Control-Allow-Origin").orElse(null), response.toString());
    }

    @Test
    void letsThePageReadErrorAnswersAcrossOrigins() {
        // Given the page's origin posting a file ingest refuses
        Multipart form = new Multipart().file("image", "t.jpg", "image/jpeg", Fixtures.badInput("text.jpg"));

        // When it is posted from the page
        HttpResponse<String> response = ingest.send(HttpRequest.newBuilder(ingest.uri("/api/stills"))
                .header("Origin", "http://localhost:8080").header("Content-Type", form.contentType())
                .header("Authorization", "Bearer " + IngestHarness.token("ana"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build());

        // Then the JSON error carries the CORS header, so the page can show its message
        assertEquals(415, response.statusCode(), response.body());
        assertEquals("http://localhost:8080",
                response.headers().firstValue("Access-Control-Allow-Origin").orElse(null), response.toString());
    }

    @Test
    void answersUnknownRoutesWithJsonNotFound() {
        HttpResponse<String> response = ingest.get("/api/nothing-here");
        assertEquals(404, response.statusCode());
        assertEquals("not-found", json(response).path("error").asText());
    }

    @Test
    void stopClosesThePortAndEveryKafkaClientAndASecondStopDoesNothing() throws Exception {
        // Given an ingest with its own instance id that has published an upload, so every client it has is open
        String instance = "ingest-stop-" + UUID.randomUUID();
        try (IngestHarness own = new IngestHarness(broker.kafka(), tempDir, Map.of("REELCARS_INSTANCE_ID", instance))
                .start()) {
            assertEquals(202, own.postStill("home.jpg", Fixtures.image("home.jpg")).statusCode());
            URI health = own.uri("/health");
            assertFalse(threadsNamedFor(instance).isEmpty(), "its Kafka clients' threads carry the instance id");

            // When it is stopped twice
            own.service.stop();
            own.service.stop();

            // Then the port is closed and none of its Kafka clients' threads is left
            assertThrows(IOException.class, () -> own.http.send(HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.discarding()), "nothing listens on the port any more");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertEquals(List.of(), threadsNamedFor(instance), "threads left"));
        }
    }

    private static List<String> threadsNamedFor(String instance) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.contains(instance)).toList();
    }

    @Test
    void keepsServingConcurrentUploadsOfTheSameBytesAsOneSubmission() throws Exception {
        // Given the same still sent by 6 clients at once
        byte[] jpeg = Fixtures.image("butterfly.jpg");
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Multipart form = new Multipart().file("image", "c.jpg", "image/jpeg", jpeg);
            calls.add(ingest.http.sendAsync(HttpRequest.newBuilder(ingest.uri("/api/stills"))
                    .header("Content-Type", form.contentType())
                    .header("Authorization", "Bearer " + IngestHarness.token("ana"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }

        // Then exactly one is published and all answers carry its id
        var ids = calls.stream().map(f -> json(f.join()).path("id").asText()).distinct().toList();
        assertEquals(1, ids.size(), "one id for one picture: " + ids);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertEquals(1, ingest.records(ingest.topics.stills()).size()));
        assertTrue(Files.isDirectory(ingest.blobDir));
    }

    @Test
    void refusesOverTheRateWith429AndRotatingAccountsFromOneAddressDoesNotEscape() throws Exception {
        // Given ingest allowing 2 uploads at once, then one a minute
        ingest.close();
        ingest = new IngestHarness(broker.kafka(), tempDir,
                Map.of("REELCARS_INGEST_RATE_PER_MINUTE", "1", "REELCARS_INGEST_RATE_BURST", "2")).start();

        // When one contributor uploads three stills in a row
        ingest.postStill("a.jpg", Fixtures.image("home.jpg"));
        ingest.postStill("b.jpg", Fixtures.image("building.jpg"));
        HttpResponse<String> third = ingest.postStill("c.jpg", Fixtures.image("butterfly.jpg"));
        // and then switches to a second account from the same address
        HttpResponse<String> other = ingest.postAs("bo", "/api/stills", new Multipart()
                .file("image", "c.jpg", "image/jpeg", Fixtures.image("butterfly.jpg")));

        // Then the third is refused with 429 and Retry-After, before anything is stored; the address's own limit
        // refuses the other account too
        assertEquals(429, third.statusCode(), third.body());
        assertEquals("rate-limited", json(third).path("error").asText());
        assertTrue(Integer.parseInt(third.headers().firstValue("Retry-After").orElse("0")) > 0, "Retry-After");
        assertEquals(429, other.statusCode(), other.body());
        assertTrue(json(other).path("message").asText().contains("address:"), other.body());
        assertEquals(2, ingest.records(ingest.topics.stills()).size());
    }

    @Test
    void recordsWhereThePictureIsInsideLetterboxBars() {
        // Given a 320x213 still with 40-pixel black bars above and below
        byte[] letterboxed = Fixtures.reencode(Fixtures.image("building.jpg"), ".png", m -> {
            Mat out = new Mat();
            org.opencv.core.Core.copyMakeBorder(m, out, 40, 40, 0, 0, org.opencv.core.Core.BORDER_CONSTANT);
            return out;
        });

        // When it is uploaded
        HttpResponse<String> response = ingest.postStill("wide.png", letterboxed);

        // Then the answer and the event's header say where the picture is; the bytes are stored unchanged
        assertEquals(202, response.statusCode(), response.body());
        JsonNode box = json(response).path("contentBox");
        assertEquals(0, box.path("x").asInt(), response.body());
        assertEquals(40, box.path("y").asInt(), response.body());
        assertEquals(320, box.path("width").asInt(), response.body());
        var record = ingest.records(ingest.topics.stills()).get(0);
        String header = new String(record.headers().lastHeader("reelcars.content-box").value());
        assertTrue(header.startsWith("0,40,320,"), header);
        assertTrue(BlobStores.directory(ingest.blobDir).exists(BlobStore.keyOf(letterboxed)), "stored as uploaded");
    }
}
