package dev.reelcars.ingest;

import static dev.reelcars.ingest.IngestHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.accounts.Tokens;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.testkit.EmbeddedBroker;
import dev.reelcars.testkit.Multipart;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 (trust) on ingest: every upload has an owner, and a refusal is decided from the headers alone. */
class UploadTrustTest {
    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();

    @TempDir
    Path tempDir;
    IngestHarness ingest;

    @AfterEach
    void stopIngest() {
        if (ingest != null) {
            ingest.close();
        }
    }

    private IngestHarness start(Map<String, String> settings) throws Exception {
        ingest = new IngestHarness(broker.kafka(), tempDir, settings).start();
        return ingest;
    }

    private static Multipart still() {
        return new Multipart().field("film", "Orchard Road")
                .file("image", "a.jpg", "image/jpeg", Fixtures.image("home.jpg"));
    }

    @Test
    void anonymousUploadsOfStillsClipsAndReferencesAre401() throws Exception {
        start(Map.of());
        for (String path : new String[] {"/api/stills", "/api/references", "/api/clips"}) {
            HttpResponse<String> r = ingest.postAs(null, path, still().field("label", "anything"));
            assertEquals(401, r.statusCode(), path + " " + r.body());
            assertEquals("unauthorized", json(r).path("error").asText(), path);
        }
        assertEquals(0, ingest.records(ingest.topics.stills()).size());
        assertEquals(0, ingest.records(ingest.topics.referenceProposals()).size());
        assertEquals(0, ingest.records(ingest.topics.references()).size());
    }

    @Test
    void theContributorIsTheAccountAndTheOldFieldIsRefused() throws Exception {
        start(Map.of());
        // When bo uploads, and someone tries to name another contributor in the form
        HttpResponse<String> own = ingest.postAs("bo", "/api/stills", still());
        HttpResponse<String> spoofed = ingest.postAs("bo", "/api/stills", new Multipart()
                .field("contributor", "demo").file("image", "b.jpg", "image/jpeg", Fixtures.image("building.jpg")));

        // Then the still is bo's, and the spoof is refused with a clear code
        assertEquals(202, own.statusCode(), own.body());
        assertEquals(400, spoofed.statusCode(), spoofed.body());
        assertEquals("contributor-field-removed", json(spoofed).path("error").asText());
        var events = ingest.records(ingest.topics.stills());
        assertEquals(1, events.size());
        assertEquals("bo", EventCodec.decode(events.get(0).value(), StillSubmitted.class).contributor());
    }

    @Test
    void aReviewerWithoutTheContributorRoleAndAForgedTokenAreRefused() throws Exception {
        start(Map.of());
        HttpResponse<String> reviewer = ingest.postAs("rex", "/api/stills", still());
        String forged = new Tokens("another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8))
                .issue("ana", Tokens.Kind.SESSION, Instant.now(), Instant.now().plusSeconds(60));
        HttpResponse<String> forgedUpload = ingest.send(HttpRequest.newBuilder(ingest.uri("/api/stills"))
                .header("Authorization", "Bearer " + forged).header("Content-Type", still().contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(still().bytes())).build());
        assertEquals(403, reviewer.statusCode(), reviewer.body());
        assertEquals(401, forgedUpload.statusCode(), forgedUpload.body());
    }

    @Test
    void aCookieUploadMustComeFromThePagesOrigin() throws Exception {
        start(Map.of("REELCARS_PUBLIC_URL", "http://localhost:8080"));
        Multipart form = still();
        HttpRequest.Builder b = HttpRequest.newBuilder(ingest.uri("/api/stills"))
                .header("Cookie", "reelcars_session=" + IngestHarness.token("ana"))
                .header("Content-Type", form.contentType());
        HttpResponse<String> foreign = ingest.send(b.copy().header("Origin", "http://localhost:9999")
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build());
        HttpResponse<String> page = ingest.send(b.copy().header("Origin", "http://localhost:8080")
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build());
        assertEquals(403, foreign.statusCode(), foreign.body());
        assertEquals("cross-site", json(foreign).path("error").asText());
        assertEquals(202, page.statusCode(), page.body());
    }

    @Test
    void aOnePixelStillIs422WithItsOwnCode() throws Exception {
        start(Map.of());
        byte[] tiny = Fixtures.reencode(Fixtures.image("home.jpg"), ".png", m -> {
            var out = new org.opencv.core.Mat();
            org.opencv.imgproc.Imgproc.resize(m, out, new org.opencv.core.Size(1, 1));
            return out;
        });
        HttpResponse<String> r = ingest.postAs("ana", "/api/stills", new Multipart()
                .file("image", "dot.png", "image/png", tiny));
        assertEquals(422, r.statusCode(), r.body());
        assertEquals(ImageRejected.TOO_SMALL, json(r).path("error").asText());
    }

    @Test
    void aLosslessStillTooLargeToDecodeCheaplyIsRefusedUpFront() throws Exception {
        // A 7000x7000 PNG is a few KB but costs a full decode (identify would refuse it): refused here, with advice
        start(Map.of());
        HttpResponse<String> r = ingest.postAs("ana", "/api/stills", new Multipart()
                .file("image", "huge.png", "image/png", Fixtures.pngBomb(7000, 7000)));
        assertEquals(413, r.statusCode(), r.body());
        assertEquals(ImageRejected.TOO_MANY_PIXELS, json(r).path("error").asText());
        assertTrue(json(r).path("message").asText().contains("JPEG"), r.body());
    }

    @Test
    void anOverLimitOrAnonymousUploadIsAnsweredWithoutReadingItsBody() throws Exception {
        // Given an account that has used its only upload
        start(Map.of("REELCARS_INGEST_RATE_PER_MINUTE", "1", "REELCARS_INGEST_RATE_BURST", "1"));
        assertEquals(202, ingest.postAs("ana", "/api/stills", still()).statusCode());

        // When it, and an anonymous client, announce a 19 MB body and send only its first kilobyte
        String limited = headersOnly(ingest.service.port(), IngestHarness.token("ana"));
        String anonymous = headersOnly(ingest.service.port(), null);

        // Then both are answered at once, without the server waiting for the body
        assertTrue(limited.startsWith("HTTP/1.1 429"), limited);
        assertTrue(limited.toLowerCase().contains("retry-after:"), limited);
        assertTrue(anonymous.startsWith("HTTP/1.1 401"), anonymous);
    }

    /**
     * Sends an upload's headers with Content-Length 19 MB and only its first kilobyte; returns the status line and
     * headers of the answer.
     */
    private static String headersOnly(int port, String token) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            // The server must answer within 5 s although the body never comes (it would wait 30 s for it).
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/stills HTTP/1.1\r\nHost: localhost\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                    + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 19000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // The first kilobyte of the body (Jetty dispatches a request once some content has come), then nothing.
            out.write(("--x\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\n"
                    + "a".repeat(1000)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                head.append((char) c);
                if (head.toString().endsWith("\r\n\r\n")) {
                    break;
                }
            }
            return head.toString();
        }
    }

    @Test
    void anOperatorMayAllowAnonymousStillsButNeverAnonymousReferences() throws Exception {
        start(Map.of("REELCARS_INGEST_ANONYMOUS_STILLS", "true"));
        HttpResponse<String> stillAnon = ingest.postAs(null, "/api/stills", still());
        HttpResponse<String> refAnon = ingest.postAs(null, "/api/references", still().field("label", "x"));
        assertEquals(202, stillAnon.statusCode(), stillAnon.body());
        assertEquals(401, refAnon.statusCode(), refAnon.body());
    }
}
