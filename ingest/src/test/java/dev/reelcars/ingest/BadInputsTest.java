package dev.reelcars.ingest;

import static dev.reelcars.ingest.IngestHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.EventCodec;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.testkit.EmbeddedBroker;
import dev.reelcars.testkit.Multipart;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and broken uploads through the real HTTP API (corpus: src/test/resources/bad-inputs/README.md). Each is
 * refused with a 4xx and a stable code, nothing is published or stored, and the service keeps answering.
 */
class BadInputsTest {
    /** Small caps so the oversize cases stay cheap. */
    static final int MAX_IMAGE_BYTES = 256 * 1024;

    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();

    @TempDir
    Path tempDir;
    IngestHarness ingest;

    @BeforeEach
    void startIngest() throws Exception {
        ingest = new IngestHarness(broker.kafka(), tempDir, Map.of(
                "REELCARS_INGEST_MAX_IMAGE_BYTES", String.valueOf(MAX_IMAGE_BYTES),
                "REELCARS_INGEST_MAX_NOTE_CHARS", "500")).start();
    }

    @AfterEach
    void stopIngest() {
        ingest.close();
    }

    static Stream<Arguments> refusedStills() {
        return Stream.of(
                Arguments.of("zero bytes", "empty.jpg", Fixtures.badInput("empty.jpg"), 400, "empty-file"),
                Arguments.of("text named .jpg", "text.jpg", Fixtures.badInput("text.jpg"), 415, "unsupported-type"),
                Arguments.of("SVG with script", "image.svg", Fixtures.badInput("image.svg"), 415, "unsupported-type"),
                Arguments.of("truncated JPEG", "t.jpg", Fixtures.badInput("truncated.jpg"), 422, "truncated-image"),
                Arguments.of("truncated PNG", "t.png", Fixtures.badInput("truncated.png"), 422, "truncated-image"),
                Arguments.of("PNG with a bad CRC", "c.png", Fixtures.badInput("bad-crc.png"), 422, "corrupt-image"),
                Arguments.of("JPEG followed by a script", "p.jpg", Fixtures.badInput("polyglot.jpg"), 422,
                        "trailing-data"),
                Arguments.of("PNG bomb 30000x30000", "bomb.png", Fixtures.pngBomb(30000, 30000), 413,
                        "too-many-pixels"),
                Arguments.of("image over the byte cap", "big.jpg", oversizedJpeg(), 413, "file-too-large"));
    }

    @ParameterizedTest(name = "{0} -> {3} {4}")
    @MethodSource("refusedStills")
    void refusesBadStillWithStableCodeAndStoresNothing(String what, String filename, byte[] bytes, int status,
            String code) {
        // Given a hostile or broken file
        // When it is uploaded as a still
        long t0 = System.nanoTime();
        HttpResponse<String> response = ingest.postStill(filename, bytes, "film", "Bad Input");
        long millis = (System.nanoTime() - t0) / 1_000_000;

        // Then it is refused with the expected status and code, and nothing is published or stored
        assertEquals(status, response.statusCode(), what + ": " + response.body());
        assertEquals(code, json(response).path("error").asText(), what + ": " + response.body());
        assertFalse(json(response).path("message").asText().isEmpty(), "a human message");
        assertEquals(0, ingest.records(ingest.topics.stills()).size(), what + ": nothing published");
        assertEquals(0, ingest.blobCount(), what + ": nothing stored");
        assertEquals(200, ingest.get("/health").statusCode(), "the service stays up");
        System.out.printf("bad input %-28s -> %d %s in %d ms%n", what, response.statusCode(), code, millis);
    }

    @Test
    void refusesPngBombFromItsHeaderInMilliseconds() {
        // Given a 30000x30000 PNG of under 1 MB, and a server past its first request (class loading, JIT)
        byte[] bomb = Fixtures.pngBomb(30000, 30000);
        assertTrue(bomb.length < 1_000_000, "the bomb is small: " + bomb.length);
        ingest.postStill("warm-up.jpg", Fixtures.badInput("text.jpg"));

        // When it is uploaded
        long t0 = System.nanoTime();
        HttpResponse<String> response = ingest.postStill("bomb.png", bomb);
        long millis = (System.nanoTime() - t0) / 1_000_000;

        // Then it is refused from the header, quickly (never decoded)
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("too-many-pixels", json(response).path("error").asText());
        assertTrue(millis < 1000, "refused in " + millis + " ms");
    }

    @Test
    void refusesOversizedChunkedUploadWithoutContentLengthWith413() {
        // Given a body over the cap streamed without a Content-Length (chunked)
        Multipart form = new Multipart().file("image", "big.jpg", "image/jpeg", oversizedJpeg());
        byte[] body = form.bytes();
        HttpRequest request = HttpRequest.newBuilder(ingest.uri("/api/stills"))
                .header("Content-Type", form.contentType())
                .header("Authorization", "Bearer " + IngestHarness.token("ana"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();

        // When it is sent
        HttpResponse<String> response = ingest.send(request);

        // Then it is a 413 with the stable code (not Jetty's 500), and nothing is stored or published
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("file-too-large", json(response).path("error").asText());
        assertEquals(0, ingest.records(ingest.topics.stills()).size());
        assertEquals(0, ingest.blobCount());
        assertEquals(200, ingest.get("/health").statusCode(), "the service stays up");
    }

    @Test
    void refusesFarOversizedUploadFromItsContentLengthWith413() {
        // Given a declared body 40 times the cap
        byte[] huge = java.util.Arrays.copyOf(Fixtures.image("home.jpg"), MAX_IMAGE_BYTES * 40);

        // When it is sent with its Content-Length
        HttpResponse<String> response = ingest.postStill("huge.jpg", huge);

        // Then it is refused with 413 and the stable code, and nothing is stored
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("file-too-large", json(response).path("error").asText());
        assertEquals(0, ingest.blobCount());
    }

    @Test
    void refusesOverlongMetadataWith400() {
        // Given a valid image with a note over the cap
        // When it is uploaded
        HttpResponse<String> response = ingest.postStill("ok.jpg", Fixtures.image("home.jpg"), "note",
                "x".repeat(501));

        // Then it is refused before anything is stored
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("field-too-long", json(response).path("error").asText());
        assertEquals(0, ingest.blobCount());
        assertEquals(0, ingest.records(ingest.topics.stills()).size());
    }

    @Test
    void refusesNonNumericYearWith400() {
        HttpResponse<String> response = ingest.postStill("ok.jpg", Fixtures.image("home.jpg"), "year", "1967abc");
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("invalid-field", json(response).path("error").asText());
        assertEquals(0, ingest.blobCount());
    }

    @Test
    void refusesBodyThatIsNotMultipartWith400() {
        HttpResponse<String> response = ingest.send(HttpRequest.newBuilder(ingest.uri("/api/stills"))
                .header("Content-Type", "image/jpeg")
                .header("Authorization", "Bearer " + IngestHarness.token("ana"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.image("home.jpg"))).build());
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("bad-multipart", json(response).path("error").asText());
    }

    @Test
    void refusesFormWithoutImageWith400() {
        HttpResponse<String> response = ingest.post("/api/stills", new Multipart().field("film", "x"));
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("missing-file", json(response).path("error").asText());
    }

    @Test
    void neverUsesTheUploadedFileNameAsAPath() {
        // Given a valid image whose file name tries to climb out of the blob store
        byte[] jpeg = Fixtures.image("home.jpg");

        // When it is uploaded
        HttpResponse<String> response = ingest.postStill("../../etc/passwd.jpg", jpeg);

        // Then it is accepted and stored under its content hash only; no file carries the given name
        assertEquals(202, response.statusCode(), response.body());
        assertEquals(1, ingest.blobCount());
        assertFalse(Files.exists(ingest.blobDir.resolve("../../etc/passwd.jpg").normalize()));
        assertFalse(Files.exists(ingest.dataDir.resolve("etc")));
    }

    @Test
    void storesHtmlInMetadataVerbatim() {
        // Given metadata carrying HTML and script (escaping is the page's job, not ingest's)
        String film = "<script>alert('x')</script><img src=x onerror=alert(1)>";

        // When a still is uploaded with it
        HttpResponse<String> response = ingest.postStill("ok.jpg", Fixtures.image("home.jpg"), "film", film,
                "note", "\"quoted\" & <b>bold</b>");

        // Then it is accepted and the event carries the text unchanged
        assertEquals(202, response.statusCode(), response.body());
        StillSubmitted event = EventCodec.decode(ingest.records(ingest.topics.stills()).get(0).value(),
                StillSubmitted.class);
        assertEquals(film, event.film());
        assertEquals("\"quoted\" & <b>bold</b>", event.note());
    }

    /** A real JPEG header followed by enough bytes to pass the cap (the size check comes first). */
    static byte[] oversizedJpeg() {
        byte[] jpeg = Fixtures.image("home.jpg");
        byte[] big = Arrays.copyOf(jpeg, MAX_IMAGE_BYTES * 3);
        Arrays.fill(big, jpeg.length, big.length, (byte) 0x5A);
        return big;
    }
}
