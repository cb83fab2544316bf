package dev.reelcars.ingest;

import static dev.reelcars.ingest.IngestHarness.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.testkit.EmbeddedBroker;
import dev.reelcars.testkit.Multipart;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clips to stills through the HTTP API, with the {@code ffmpeg} program. Skipped with a message when ffmpeg is not
 * installed (CI installs it). The fixture is described in src/test/resources/clips/README.md.
 */
class ClipsTest {
    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();

    @TempDir
    Path tempDir;
    IngestHarness ingest;

    @BeforeAll
    static void startBroker() {
        assumeTrue(ffmpegPresent(), "ffmpeg/ffprobe not installed: clip tests skipped (apt-get install ffmpeg)");
    }

    @BeforeEach
    void startIngest() throws Exception {
        ingest = new IngestHarness(broker.kafka(), tempDir, Map.of(
                "REELCARS_INGEST_MAX_CLIP_DURATION", "30s",
                "REELCARS_INGEST_MAX_FRAMES_PER_CLIP", "5")).start();
    }

    @AfterEach
    void stopIngest() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void turnsClipIntoOneStillPerShotWithClipIdAndTimecode() {
        // Given a clip of three shots (slow zooms on three photos) with a black gap before the third
        byte[] clip = Fixtures.resource("clips/three-shots.avi");

        // When it is uploaded
        HttpResponse<String> response = ingest.post("/api/clips", new Multipart().field("film", "Test Reel")
                .file("video", "three-shots.avi", "video/x-msvideo", clip));

        // Then a job is accepted and ends with one still per shot, each published with the clip id and a timecode
        assertEquals(202, response.statusCode(), response.body());
        String clipId = json(response).path("id").asText();
        JsonNode done = awaitFinished(clipId);
        assertEquals("done", done.path("status").asText(), done.toString());
        assertEquals(3, done.path("stills").size(), "one still per shot: " + done);
        assertTrue(done.path("framesDone").asInt() > 0 && done.path("framesDone").asInt() <= done.path("framesTotal")
                .asInt(), "progress counts frames: " + done);
        assertTrue(done.path("blackFrames").asInt() >= 1, "the black gap was seen: " + done);
        List<StillSubmitted> events = ingest.records(ingest.topics.stills()).stream()
                .map(r -> EventCodec.decode(r.value(), StillSubmitted.class)).toList();
        assertEquals(3, events.size());
        for (StillSubmitted e : events) {
            assertEquals(clipId, e.clipId());
            assertEquals("Test Reel", e.film());
            assertTrue(e.timecode().matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}"), e.timecode());
            assertEquals(320, e.width());
        }
    }

    @Test
    void yieldsWhatFramesADamagedClipHasAndReportsTheDamage() {
        // Given the fixture with 20 runs of its bytes overwritten by noise (a damaged file)
        byte[] clip = Fixtures.resource("clips/three-shots.avi").clone();
        java.util.Random noise = new java.util.Random(7);
        for (int i = 60_000; i < 140_000; i += 4000) {
            for (int j = 0; j < 300; j++) {
                clip[i + j] = (byte) noise.nextInt(256);
            }
        }

        // When it is uploaded
        HttpResponse<String> response = ingest.post("/api/clips", new Multipart()
                .file("video", "damaged.avi", "video/x-msvideo", clip));

        // Then the job ends with the stills it could make and says what ffmpeg could not decode
        assertEquals(202, response.statusCode(), response.body());
        JsonNode done = awaitFinished(json(response).path("id").asText());
        assertEquals("done", done.path("status").asText(), done.toString());
        assertTrue(done.path("stills").size() >= 1, "some stills: " + done);
        assertTrue(done.path("errors").size() >= 1, "the damage is reported: " + done);
        System.out.println("damaged clip: " + done);
    }

    @Test
    void refusesFileThatIsNotAVideoWith415() {
        // Given text named .mp4
        // When it is uploaded as a clip
        HttpResponse<String> response = ingest.post("/api/clips", new Multipart()
                .file("video", "x.mp4", "video/mp4", Fixtures.badInput("not-a-video.mp4")));

        // Then it is refused before any job starts
        assertEquals(415, response.statusCode(), response.body());
        assertEquals("unsupported-type", json(response).path("error").asText());
        assertNoLeftovers();
    }

    @Test
    void refusesAviWithGarbageInsideWith422() {
        // Given a RIFF/AVI header followed by random bytes
        // When it is uploaded as a clip
        HttpResponse<String> response = ingest.post("/api/clips", new Multipart()
                .file("video", "x.avi", "video/x-msvideo", Fixtures.badInput("broken-header.avi")));

        // Then ffprobe cannot read a video stream and it is refused, with ffprobe's complaint but no pointer address
        assertEquals(422, response.statusCode(), response.body());
        assertEquals("undecodable-video", json(response).path("error").asText());
        String message = json(response).path("message").asText();
        assertTrue(message.startsWith("not a readable video: [avi] "), message);
        assertFalse(message.contains("@ 0x"), message);
        assertNoLeftovers();
    }

    @Test
    void refusesClipOverTheLengthCapWith413() throws Exception {
        // Given ingest with a 2-second cap and a 5-second clip
        ingest.close();
        ingest = new IngestHarness(broker.kafka(), tempDir, Map.of("REELCARS_INGEST_MAX_CLIP_DURATION", "2s")).start();

        // When it is uploaded
        HttpResponse<String> response = ingest.post("/api/clips", new Multipart()
                .file("video", "long.avi", "video/x-msvideo", Fixtures.resource("clips/three-shots.avi")));

        // Then it is refused from its duration, before decoding
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("clip-too-long", json(response).path("error").asText());
        assertNoLeftovers();
    }

    @Test
    void stopsPromptlyWhileADecoderIsRunning() throws Exception {
        // Given ingest whose "ffmpeg" hangs (a script that sleeps), and a clip job started on it
        Path hanging = tempDir.resolve("hanging-ffmpeg.sh");
        Files.writeString(hanging, "#!/bin/sh\nexec sleep 60\n");
        assertTrue(hanging.toFile().setExecutable(true));
        ingest.close();
        ingest = new IngestHarness(broker.kafka(), tempDir, Map.of("REELCARS_INGEST_FFMPEG", hanging.toString()))
                .start();
        HttpResponse<String> response = ingest.post("/api/clips", new Multipart()
                .file("video", "c.avi", "video/x-msvideo", Fixtures.resource("clips/three-shots.avi")));
        assertEquals(202, response.statusCode(), response.body());
        String clipId = json(response).path("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "running".equals(json(ingest.get("/api/clips/" + clipId)).path("status").asText()));

        // When the service stops
        long t0 = System.nanoTime();
        ingest.service.stop();
        long millis = (System.nanoTime() - t0) / 1_000_000;

        // Then it does not wait for the decoder
        assertTrue(millis < 8000, "stopped in " + millis + " ms");
    }

    @Test
    void refusesClipWhoseFramesAreOverThePixelCapWith413() throws Exception {
        // Given ingest capped at 50,000 pixels and a 320x240 clip
        ingest.close();
        ingest = new IngestHarness(broker.kafka(), tempDir, Map.of("REELCARS_INGEST_MAX_PIXELS", "50000")).start();

        // When it is uploaded
        HttpResponse<String> response = ingest.post("/api/clips", new Multipart()
                .file("video", "c.avi", "video/x-msvideo", Fixtures.resource("clips/three-shots.avi")));

        // Then it is refused from ffprobe's frame size, before decoding
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("too-many-pixels", json(response).path("error").asText());
        assertNoLeftovers();
    }

    @Test
    void answersUnknownClipWith404() {
        HttpResponse<String> response = ingest.get("/api/clips/clip-nope");
        assertEquals(404, response.statusCode());
        assertEquals("not-found", json(response).path("error").asText());
    }

    private JsonNode awaitFinished(String clipId) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode status = json(ingest.get("/api/clips/" + clipId));
            last.set(status);
            return status.path("status").asText().matches("done|failed");
        });
        return last.get();
    }

    private void assertNoLeftovers() {
        assertEquals(0, ingest.records(ingest.topics.stills()).size(), "nothing published");
        assertEquals(0, ingest.blobCount(), "nothing stored");
        Path clips = ingest.dataDir.resolve("ingest-clips");
        try (var files = Files.list(clips)) {
            assertEquals(0, files.count(), "the refused clip file was deleted");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static boolean ffmpegPresent() {
        for (String tool : List.of("ffmpeg", "ffprobe")) {
            try {
                Process p = new ProcessBuilder(tool, "-version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
