package dev.reelcars.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reelcars.events.EventCodec;
import dev.reelcars.events.FilmControl;
import dev.reelcars.events.FilmSubmitted;
import dev.reelcars.events.Identification;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.testkit.EmbeddedBroker;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole films through the tus protocol on the running ingest: a dropped connection and a restart resume where they
 * stopped, the same film twice is one film, and who may upload and how much is decided from the headers.
 */
class FilmUploadTest {
    static final long MAX_BYTES = 2_000_000;
    /** The page's origin as the harness's ingest trusts it (the default public URL). */
    static final String PAGE_ORIGIN = "http://localhost:8080";

    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();

    @TempDir
    Path tempDir;
    IngestHarness ingest;

    @BeforeAll
    static void startBroker() {
        assumeTrue(ClipsTest.ffmpegPresent(), "ffmpeg/ffprobe not installed: film tests skipped");
    }

    @BeforeEach
    void startIngest() throws Exception {
        ingest = new IngestHarness(broker.kafka(), tempDir, Map.of(
                "REELCARS_INGEST_FILM_MAX_BYTES", String.valueOf(MAX_BYTES),
                "REELCARS_INGEST_FILM_QUOTA_BYTES", String.valueOf(3 * MAX_BYTES))).start();
    }

    @AfterEach
    void stopIngest() {
        ingest.close();
    }

    @Test
    void aDroppedConnectionResumesFromTheOffsetHeadReports() throws Exception {
        // Given a film and an upload created for it
        byte[] film = film(3);
        String upload = create(film.length, "Bullitt", "ana");

        // When the first PATCH announces the whole film but the connection drops after half of it
        int half = film.length / 2;
        try (Socket socket = new Socket("localhost", ingest.service.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + upload + " HTTP/1.1\r\nHost: localhost\r\nTus-Resumable: 1.0.0\r\n"
                    + "Authorization: Bearer " + IngestHarness.token("ana") + "\r\n"
                    + "Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n"
                    + "Content-Length: " + film.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(film, 0, half);
            out.flush();
            Thread.sleep(300); // let the bytes arrive before the connection is cut (the test's own pacing)
        }

        // Then HEAD reports what arrived, and the rest from there finishes the film
        long[] offset = new long[1];
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            offset[0] = offset(upload, "ana");
            assertTrue(offset[0] > 0 && offset[0] <= half, "offset after the drop: " + offset[0]);
        });
        HttpResponse<String> done = patch(upload, "ana", offset[0], film, (int) offset[0], film.length);
        assertEquals(204, done.statusCode(), done.body());
        String filmId = done.headers().firstValue(FilmUploads.FILM_ID_HEADER).orElseThrow();
        assertStoredAndPublished(filmId, film);
    }

    @Test
    void anUploadResumesWhereItStoppedAfterIngestRestarts() throws Exception {
        // Given half a film uploaded
        byte[] film = film(4);
        String upload = create(film.length, "Le Samourai", "ana");
        int half = film.length / 2;
        assertEquals(204, patch(upload, "ana", 0, film, 0, half).statusCode());

        // When ingest restarts
        ingest.restart();

        // Then the upload goes on from the same offset and finishes
        assertEquals(half, offset(upload, "ana"), "offset after the restart");
        HttpResponse<String> done = patch(upload, "ana", half, film, half, film.length);
        assertEquals(204, done.statusCode(), done.body());
        assertStoredAndPublished(done.headers().firstValue(FilmUploads.FILM_ID_HEADER).orElseThrow(), film);
    }

    @Test
    void theSameFilmSubmittedAgainIsTheSameFilm() throws Exception {
        // Given a film uploaded once
        byte[] film = film(5);
        String first = uploadWhole(film, "ana");

        // When the same bytes are uploaded again, by another contributor
        String upload = create(film.length, "Same film", "bo");
        HttpResponse<String> again = patch(upload, "bo", 0, film, 0, film.length);

        // Then it is the same film, nothing more is published, and the upload leaves nothing behind
        assertEquals(204, again.statusCode(), again.body());
        assertEquals(first, again.headers().firstValue(FilmUploads.FILM_ID_HEADER).orElseThrow());
        assertEquals("true", again.headers().firstValue(FilmUploads.DUPLICATE_HEADER).orElseThrow());
        assertEquals(1, filmRecords(first).size(), "one submission on the films topic");
        assertEquals(404, head(upload, "bo").statusCode(), "the second upload is gone");

        // And the owner announcing the content's hash is told at once, without sending a byte
        HttpResponse<String> known = send(creation(film.length, "ana", "title", "Bullitt", "sha256", sha(film)));
        assertEquals(200, known.statusCode(), known.body());
        assertEquals(first, IngestHarness.json(known).path("id").asText());
    }

    @Test
    void onlyASignedInContributorUploadsAndOnlyTheOwnerContinues() throws Exception {
        // Anonymous: 401; a reviewer without the contributor role: 403
        assertEquals(401, send(creation(1000, null, "title", "x")).statusCode());
        HttpResponse<String> reviewer = send(creation(1000, "rex", "title", "x"));
        assertEquals(403, reviewer.statusCode(), reviewer.body());
        assertEquals("forbidden", IngestHarness.json(reviewer).path("error").asText());

        // Another contributor can neither see nor continue ana's upload
        byte[] film = film(2);
        String upload = create(film.length, "Mine", "ana");
        assertEquals(404, head(upload, "bo").statusCode());
        HttpResponse<String> stolen = patch(upload, "bo", 0, film, 0, film.length);
        assertEquals(404, stolen.statusCode(), stolen.body());
        assertEquals("not-found", IngestHarness.json(stolen).path("error").asText());
        assertEquals(0, offset(upload, "ana"), "nothing was appended");
        assertEquals(401, patch(upload, null, 0, film, 0, film.length).statusCode());
    }

    @Test
    void anOversizeFilmIsRefusedWith413BeforeItsBody() throws Exception {
        // When a creation declares one byte over the limit and starts sending a body (creation-with-upload)
        long t0 = System.nanoTime();
        String head;
        try (Socket socket = new Socket("localhost", ingest.service.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + FilmUploads.BASE + " HTTP/1.1\r\nHost: localhost\r\nTus-Resumable: 1.0.0\r\n"
                    + "Authorization: Bearer " + IngestHarness.token("ana") + "\r\n"
                    + "Upload-Length: " + (MAX_BYTES + 1) + "\r\nUpload-Metadata: title "
                    + b64("Too long") + "\r\nContent-Type: application/offset+octet-stream\r\n"
                    + "Content-Length: " + (MAX_BYTES + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1024]);
            out.flush();
            head = new String(readResponse(socket.getInputStream()), StandardCharsets.ISO_8859_1);
        }
        // Then 413 with the JSON error comes back without the rest of the body being sent
        assertTrue(head.startsWith("HTTP/1.1 413"), head);
        assertTrue(head.contains("\"error\":\"film-too-large\""), head);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "answered from the headers");

        // And an account whose films and open uploads would pass its quota (3 × the limit) is refused the same way
        uploadWhole(film(6), "bo");
        create(MAX_BYTES, "Second", "bo");
        create(MAX_BYTES, "Third", "bo");
        HttpResponse<String> over = send(creation(MAX_BYTES, "bo", "title", "Fourth"));
        assertEquals(413, over.statusCode(), over.body());
        assertEquals("quota-exceeded", IngestHarness.json(over).path("error").asText());
    }

    @Test
    void theOwnerReadsProgressAndPausesAndResumesTheScan() throws Exception {
        // Given an uploaded film
        String filmId = uploadWhole(film(7), "ana");

        // Then its owner reads it (queued: no identify runs here) and nobody else does
        HttpResponse<String> view = get("/api/films/" + filmId, "ana");
        assertEquals(200, view.statusCode(), view.body());
        assertEquals("queued", IngestHarness.json(view).path("status").asText());
        assertEquals("Film 7", IngestHarness.json(view).path("title").asText());
        assertEquals(404, get("/api/films/" + filmId, "bo").statusCode());

        // When the owner pauses, another contributor cannot resume, and the owner resumes
        HttpResponse<String> paused = post("/api/films/" + filmId + "/pause", "ana");
        assertEquals(202, paused.statusCode(), paused.body());
        assertEquals("pause", IngestHarness.json(paused).path("requested").asText());
        assertEquals(404, post("/api/films/" + filmId + "/resume", "bo").statusCode());
        HttpResponse<String> resumed = post("/api/films/" + filmId + "/resume", "ana");
        assertEquals(202, resumed.statusCode(), resumed.body());
        assertEquals(409, post("/api/films/" + filmId + "/resume", "ana").statusCode(), "not paused any more");

        // Then the wishes are on the control topic, and resuming submitted the film again (a new scan request)
        List<String> wishes = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : ingest.records(ingest.topics.filmControl())) {
            wishes.add(EventCodec.decode(r.value(), FilmControl.class).state());
        }
        assertEquals(List.of("pause", "run"), wishes);
        assertEquals(2, filmRecords(filmId).size());
    }

    @Test
    void theOwnerWatchesTheScanAsServerSentEventsUntilItEnds() throws Exception {
        // Given an uploaded film, watched by its owner (another contributor gets 404 before any stream opens)
        String filmId = uploadWhole(film(8), "ana");
        HttpResponse<String> other = get("/api/films/" + filmId + "/events", "bo");
        assertEquals(404, other.statusCode(), other.body());
        assertEquals(406, get("/api/films/" + filmId + "/events", "ana").statusCode(), "not asked as a stream");
        HttpResponse<java.util.stream.Stream<String>> stream = ingest.http.send(auth(HttpRequest.newBuilder(
                ingest.uri("/api/films/" + filmId + "/events")).header("Accept", "text/event-stream").GET(), "ana")
                .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> stream.body().forEach(lines::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertTrue(hasData(lines, "\"status\":\"queued\""), "the stream so far: " + lines));

        // When identify reports the scan done
        try (var producer = dev.reelcars.platform.kafka.KafkaClients.producer(
                dev.reelcars.platform.kafka.KafkaSettings.of(broker.kafka().bootstrapServers(), "test"), "progress")) {
            var done = new dev.reelcars.events.FilmProgress(1, filmId, "done", 2.0, 2, 4, 4, 2, 1, 1, List.of(), 0, 0,
                    null, "identify-test", java.time.Instant.now());
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(ingest.topics.filmProgress(), filmId,
                    EventCodec.encode(done))).get();
        }

        // Then the stream says so, and ends
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertTrue(hasData(lines, "\"status\":\"done\""), "the stream so far: " + lines));
        reader.join(10_000);
        assertTrue(!reader.isAlive(), "the stream ends with the scan");
        assertTrue(lines.contains("event: progress"), "events are named progress: " + lines);
    }

    @Test
    void thePageOriginMaySpeakTusAcrossOriginsAndNoOtherOriginMay() {
        // When the page's origin asks before a PATCH that carries tus' headers
        HttpResponse<String> page = send(preflight(PAGE_ORIGIN, "PATCH",
                "content-type,tus-resumable,upload-offset"));

        // Then it may send them with the cookie, and read the headers a tus client needs
        assertEquals(204, page.statusCode(), page.body());
        assertEquals(PAGE_ORIGIN, page.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("true", page.headers().firstValue("Access-Control-Allow-Credentials").orElse(null));
        String methods = page.headers().firstValue("Access-Control-Allow-Methods").orElse("");
        for (String m : List.of("POST", "PATCH", "HEAD", "DELETE")) {
            assertTrue(methods.contains(m), m + " allowed: " + methods);
        }
        String headers = page.headers().firstValue("Access-Control-Allow-Headers").orElse("");
        for (String h : List.of("Tus-Resumable", "Upload-Length", "Upload-Offset", "Upload-Metadata",
                "Content-Type")) {
            assertTrue(headers.contains(h), h + " allowed: " + headers);
        }

        // And a creation from the page exposes Location and the offsets to it
        HttpRequest.Builder b = HttpRequest.newBuilder(ingest.uri(FilmUploads.BASE)).header("Origin", PAGE_ORIGIN)
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", "1000")
                .header("Upload-Metadata", "title " + b64("Cors")).POST(HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> created = send(auth(b, "ana").build());
        assertEquals(201, created.statusCode(), created.body());
        String exposed = created.headers().firstValue("Access-Control-Expose-Headers").orElse("");
        for (String h : List.of("Location", "Upload-Offset", "Upload-Length", "Tus-Resumable")) {
            assertTrue(exposed.contains(h), h + " exposed: " + exposed);
        }

        // When another origin asks the same, it is refused: 403 and no CORS header, so the browser sends nothing
        HttpResponse<String> other = send(preflight("http://evil.example", "PATCH", "tus-resumable,upload-offset"));
        assertEquals(403, other.statusCode(), other.body());
        assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), other.headers().map()
                .toString());
        assertTrue(other.headers().firstValue("Access-Control-Allow-Credentials").isEmpty());
        HttpResponse<String> otherGet = send(HttpRequest.newBuilder(ingest.uri("/api/films")).header("Origin",
                "http://evil.example").header("Authorization", "Bearer " + IngestHarness.token("ana")).GET().build());
        assertTrue(otherGet.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "no CORS on answers to "
                + "other origins either");
    }

    @Test
    void theOwnerDeletesAFilmAndItsBytesLeaveTheQuota() throws Exception {
        // Given bo's quota (3 × the limit) filled by a film and two open uploads
        byte[] film = film(9);
        String filmId = uploadWhole(film, "bo");
        create(MAX_BYTES, "Second", "bo");
        create(MAX_BYTES, "Third", "bo");
        assertEquals(413, send(creation(MAX_BYTES, "bo", "title", "Fourth")).statusCode(), "full");
        Path stored = ingest.dataDir.resolve("films").resolve(filmRecords(filmId).get(0).source());
        assertTrue(Files.exists(stored));

        // When another contributor or a reviewer tries to delete it: 404 and 403, and nothing changes
        assertEquals(404, send(delete("/api/films/" + filmId, "ana")).statusCode());
        HttpResponse<String> byReviewer = send(delete("/api/films/" + filmId, "rex"));
        assertEquals(403, byReviewer.statusCode(), byReviewer.body());
        assertEquals(200, get("/api/films/" + filmId, "bo").statusCode());

        // When its owner deletes it
        HttpResponse<String> deleted = send(delete("/api/films/" + filmId, "bo"));
        assertEquals(200, deleted.statusCode(), deleted.body());

        // Then it is gone: progress 404, not listed, its file removed, the scan cancelled, a tombstone on the topic,
        // the deletion audited
        assertEquals(404, get("/api/films/" + filmId, "bo").statusCode());
        assertEquals(0, IngestHarness.json(get("/api/films", "bo")).path("films").size());
        assertTrue(!Files.exists(stored), "the file is removed");
        List<String> wishes = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : ingest.records(ingest.topics.filmControl())) {
            wishes.add(EventCodec.decode(r.value(), FilmControl.class).state());
        }
        assertEquals(List.of("cancel"), wishes);
        List<ConsumerRecord<String, byte[]>> records = ingest.records(ingest.topics.films());
        assertTrue(records.get(records.size() - 1).value() == null && records.get(records.size() - 1).key()
                .equals(filmId), "the last record is the film's tombstone");
        var audit = ingest.records(ingest.topics.audit()).stream()
                .map(r -> EventCodec.decode(r.value(), dev.reelcars.accounts.AuditEvent.class)).toList();
        assertEquals(1, audit.size(), "audited: " + audit);
        assertEquals("film.delete", audit.get(0).action());
        assertEquals("bo", audit.get(0).actor());
        assertEquals(filmId, audit.get(0).target());

        // And its bytes left the quota: a film of the limit's size fits again, also after a restart (the tombstone)
        ingest.restart();
        assertEquals(404, get("/api/films/" + filmId, "bo").statusCode(), "still gone after a restart");
        HttpResponse<String> fits = send(creation(MAX_BYTES, "bo", "title", "Fourth"));
        assertEquals(201, fits.statusCode(), fits.body());
    }

    @Test
    void theOwnerListsTheirFilmsAndSeesEachAppearanceOnTheTimeline() throws Exception {
        // Given two films of ana's, one of bo's
        String first = uploadWhole(film(10), "ana");
        String second = uploadWhole(film(11), "ana");
        uploadWhole(film(12), "bo");

        // When identify publishes an appearance in the second one (a review item as its film lane writes it), and a
        // still of an ordinary upload that is not an appearance
        String hex = second.substring("film-".length());
        StillSubmitted still = new StillSubmitted(1, "still-" + hex + "-0123456789abcdef", "a".repeat(64),
                "image/jpeg", 320, 240, "Film 7", 1968, "00:00:04.000", "film scan: Ford Mustang GT from "
                + "00:00:03.500 to 00:00:06.000 (5 frames, score 0.91)", "ana", second, null, java.time.Instant.now());
        // (a version 2 review item: its filmRange gives the times exactly, the note only to the millisecond)
        StillSubmitted ranged = new StillSubmitted(2, "still-" + hex + "-fedcba9876543210", "c".repeat(64),
                "image/jpeg", 320, 240, "Film 7", 1968, "00:00:08.000", "film scan: Volga GAZ-24 from "
                + "00:00:07.125 to 00:00:09.333 (4 frames, score 0.88)", "ana", second, null, java.time.Instant.now(),
                new StillSubmitted.FilmRange(second, 7.125, 9.3333));
        StillSubmitted ordinary = new StillSubmitted(1, "still-other", "b".repeat(64), "image/jpeg", 320, 240,
                "Film 7", 1968, null, "film scan: Fake from 00:00:01.000 to 00:00:02.000 (1 frames, score 0.9)",
                "ana", second, null, java.time.Instant.now());
        try (var producer = dev.reelcars.platform.kafka.KafkaClients.producer(
                dev.reelcars.platform.kafka.KafkaSettings.of(broker.kafka().bootstrapServers(), "test"), "ids")) {
            for (StillSubmitted s : List.of(still, ranged, ordinary)) {
                Identification id = new Identification(1, s.stillId(), s, List.of(), List.of(), 3, 1000, "test",
                        java.time.Instant.now());
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(ingest.topics.identifications(),
                        id.key(), EventCodec.encode(id))).get();
            }
        }

        // Then ana lists her two films, newest first, and bo's is not among them
        var films = IngestHarness.json(get("/api/films", "ana")).path("films");
        assertEquals(2, films.size(), films.toString());
        assertEquals(List.of(second, first), List.of(films.get(0).path("id").asText(), films.get(1).path("id")
                .asText()));

        // And the second film's timeline has the two appearances with their in and out times (the version 2 item's
        // from its filmRange), not the ordinary still
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var timeline = IngestHarness.json(get("/api/films/" + second, "ana")).path("timeline");
            assertEquals(2, timeline.size(), timeline.toString());
            assertEquals("Ford Mustang GT", timeline.get(0).path("label").asText());
            assertEquals(3.5, timeline.get(0).path("start").asDouble());
            assertEquals(6.0, timeline.get(0).path("end").asDouble());
            assertEquals(5, timeline.get(0).path("frames").asInt());
            assertEquals(still.stillId(), timeline.get(0).path("stillId").asText());
            assertEquals("Volga GAZ-24", timeline.get(1).path("label").asText());
            assertEquals(7.125, timeline.get(1).path("start").asDouble());
            assertEquals(9.3333, timeline.get(1).path("end").asDouble());
        });
        assertEquals(0, IngestHarness.json(get("/api/films/" + first, "ana")).path("timeline").size());
    }

    @Test
    void anAbandonedUploadExpiresAndNoLongerHoldsItsOwnersQuota() throws Exception {
        // Given bo's three open uploads of the limit's size: a fourth is refused
        String abandoned = create(MAX_BYTES, "Abandoned", "bo");
        create(MAX_BYTES, "Second", "bo");
        create(MAX_BYTES, "Third", "bo");
        int refused = send(creation(MAX_BYTES, "bo", "title", "Fourth")).statusCode();
        assertTrue(refused == 413 || refused == 429, "full: " + refused);

        // When the first one has been left alone past its expiry (tus' own record of it, moved into the past) and
        // ingest looks for expired uploads (at start, then every hour)
        Path info = ingest.dataDir.resolve("film-uploads/uploads")
                .resolve(abandoned.substring(abandoned.lastIndexOf('/') + 1)).resolve("info");
        me.desair.tus.server.upload.UploadInfo record;
        try (var in = new java.io.ObjectInputStream(Files.newInputStream(info))) {
            record = (me.desair.tus.server.upload.UploadInfo) in.readObject();
        }
        record.updateExpiration(-60_000);
        try (var out = new java.io.ObjectOutputStream(Files.newOutputStream(info))) {
            out.writeObject(record);
        }
        ingest.restart();

        // Then it is gone, and its bytes and its place among the open uploads are free again
        assertEquals(404, head(abandoned, "bo").statusCode());
        HttpResponse<String> fits = send(creation(MAX_BYTES, "bo", "title", "Fourth"));
        assertEquals(201, fits.statusCode(), fits.body());
    }

    private static boolean hasData(List<String> lines, String fragment) {
        synchronized (lines) {
            return lines.stream().anyMatch(l -> l.startsWith("data:") && l.contains(fragment));
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private void assertStoredAndPublished(String filmId, byte[] film) throws Exception {
        String sha = sha(film);
        assertEquals(FilmSubmitted.idOf(sha), filmId);
        List<FilmSubmitted> published = filmRecords(filmId);
        assertEquals(1, published.size(), "one submission");
        FilmSubmitted f = published.get(0);
        assertEquals(sha, f.sha256());
        assertEquals(film.length, f.bytes());
        assertEquals("ana", f.owner());
        Path stored = ingest.dataDir.resolve("films").resolve(f.source());
        assertArrayEquals(film, Files.readAllBytes(stored), "the stored film is the uploaded one");
        try (var incoming = Files.list(ingest.dataDir.resolve("films/incoming"))) {
            assertEquals(0, incoming.count(), "no half-written film is left");
        }
    }

    private List<FilmSubmitted> filmRecords(String filmId) {
        List<FilmSubmitted> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : ingest.records(ingest.topics.films())) {
            if (r.key().equals(filmId)) {
                out.add(EventCodec.decode(r.value(), FilmSubmitted.class));
            }
        }
        return out;
    }

    private String uploadWhole(byte[] film, String user) {
        String upload = create(film.length, "Film 7", user);
        HttpResponse<String> done = patch(upload, user, 0, film, 0, film.length);
        assertEquals(204, done.statusCode(), done.body());
        return done.headers().firstValue(FilmUploads.FILM_ID_HEADER).orElseThrow();
    }

    /** Creates an upload; returns its path. */
    private String create(long length, String title, String user) {
        HttpResponse<String> res = send(creation(length, user, "title", title, "year", "1968", "country", "US"));
        assertEquals(201, res.statusCode(), res.body());
        String location = res.headers().firstValue("Location").orElseThrow();
        return location.substring(location.indexOf(FilmUploads.BASE));
    }

    private HttpRequest creation(long length, String user, String... metadata) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < metadata.length; i += 2) {
            pairs.add(metadata[i] + " " + b64(metadata[i + 1]));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(ingest.uri(FilmUploads.BASE))
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", String.valueOf(length))
                .header("Upload-Metadata", String.join(",", pairs)).POST(HttpRequest.BodyPublishers.noBody());
        return auth(b, user).build();
    }

    private HttpResponse<String> patch(String upload, String user, long offset, byte[] film, int from, int to) {
        HttpRequest.Builder b = HttpRequest.newBuilder(ingest.uri(upload)).header("Tus-Resumable", "1.0.0")
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", String.valueOf(offset))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(film, from, to - from));
        return send(auth(b, user).build());
    }

    private HttpResponse<String> head(String upload, String user) {
        return send(auth(HttpRequest.newBuilder(ingest.uri(upload)).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), user).build());
    }

    private long offset(String upload, String user) {
        HttpResponse<String> res = head(upload, user);
        assertTrue(res.statusCode() == 200 || res.statusCode() == 204, "HEAD " + upload + ": " + res.statusCode());
        // While the dropped PATCH still holds the upload, HEAD may answer without an offset: not yet an answer.
        var offset = res.headers().firstValue("Upload-Offset");
        assertTrue(offset.isPresent(), "HEAD " + upload + " names an offset: " + res.headers().map());
        return Long.parseLong(offset.get());
    }

    private HttpResponse<String> get(String path, String user) {
        return send(auth(HttpRequest.newBuilder(ingest.uri(path)).GET(), user).build());
    }

    private HttpResponse<String> post(String path, String user) {
        return send(auth(HttpRequest.newBuilder(ingest.uri(path)).POST(HttpRequest.BodyPublishers.noBody()), user)
                .build());
    }

    private HttpRequest delete(String path, String user) {
        return auth(HttpRequest.newBuilder(ingest.uri(path)).DELETE(), user).build();
    }

    private HttpRequest preflight(String origin, String method, String headers) {
        return HttpRequest.newBuilder(ingest.uri(FilmUploads.BASE + "/some-upload"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
                .header("Access-Control-Request-Method", method).header("Access-Control-Request-Headers", headers)
                .build();
    }

    private HttpResponse<String> send(HttpRequest request) {
        return ingest.send(request);
    }

    private static HttpRequest.Builder auth(HttpRequest.Builder b, String user) {
        return user == null ? b : b.header("Authorization", "Bearer " + IngestHarness.token(user));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Reads a response's head and body until the server closes or 64 KB arrive. */
    private static byte[] readResponse(InputStream in) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        try {
            while (buf.size() < 65536 && (n = in.read(chunk)) > 0) {
                buf.write(chunk, 0, n);
            }
        } catch (java.net.SocketTimeoutException e) {
            // what arrived is enough to judge
        }
        return buf.toByteArray();
    }

    /** A small H.264 film of {@code seconds} seconds (different lengths give different films). */
    private byte[] film(int seconds) throws Exception {
        Path out = tempDir.resolve("film-" + seconds + ".mp4");
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=" + seconds + ":size=320x240:rate=25", "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "ffmpeg made the film: " + log);
        byte[] bytes = Files.readAllBytes(out);
        assertTrue(bytes.length < MAX_BYTES, "fixture under the limit: " + bytes.length);
        return bytes;
    }
}
