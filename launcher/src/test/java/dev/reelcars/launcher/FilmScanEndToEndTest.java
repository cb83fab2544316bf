package dev.reelcars.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.Identification;
import dev.reelcars.platform.Common;
import dev.reelcars.testkit.Films;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole film journey on the one-JVM stack: a contributor uploads a film with tus, identify scans it on its film
 * lane, the owner watches the progress reach 100 %, and the appearance of the demo gallery's pickup truck is one
 * item in notify's review queue, which a reviewer confirms.
 */
class FilmScanEndToEndTest {
    @RegisterExtension
    static final TestStack STACK = TestStack.with(Map.of("REELCARS_IDENTIFY_FILM_CHECKPOINT_FRAMES", "4"));

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aFilmUploadedThroughTheApiEndsAsOneReviewItemPerAppearance() throws Exception {
        assumeTrue(Films.ffmpegRuns(), "ffmpeg is not installed");
        // Given a film: 3 s of a house, 3 s of the pickup truck's still, 2 s of the house again
        Path house = Files.write(dir.resolve("house.jpg"), StackClient.resource("no-vehicle.jpg"));
        Path truck = Files.write(dir.resolve("truck.jpg"), StackClient.resource("demo-still.jpg"));
        Path film = dir.resolve("film.mp4");
        Films.encode(film, house, 3, truck, 3, house, 2);
        byte[] bytes = Files.readAllBytes(film);
        var stack = STACK.launcher();
        StackClient client = new StackClient(stack.ingest().port(), stack.notifyService().port());
        client.signIn("demo", "demo");
        String uploader = client.signInFor(StackClient.UPLOADER, StackClient.UPLOADER_PASSWORD);
        String ingest = "http://localhost:" + stack.ingest().port();

        // When the contributor uploads it in two chunks with tus
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(ingest + "/api/films/uploads"))
                .header("Authorization", "Bearer " + uploader).header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", String.valueOf(bytes.length))
                .header("Upload-Metadata", "title " + b64("Orchard Road") + ",year " + b64("1982"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        String upload = ingest + location.substring(location.indexOf("/api/films/uploads"));
        int half = bytes.length / 2;
        assertEquals(204, patch(upload, uploader, 0, bytes, 0, half).statusCode());
        HttpResponse<String> last = patch(upload, uploader, half, bytes, half, bytes.length);
        assertEquals(204, last.statusCode(), last.body());
        String filmId = last.headers().firstValue("Reelcars-Film-Id").orElseThrow();

        // Then its progress, read by its owner, moves to done
        List<Double> seen = new ArrayList<>();
        JsonNode[] view = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(ingest + "/api/films/" + filmId))
                    .header("Authorization", "Bearer " + uploader).GET().build());
            view[0] = EventCodec.mapper().readTree(r.body());
            seen.add(view[0].path("percent").asDouble());
            return view[0].path("status").asText().equals("done");
        });
        assertEquals(100.0, view[0].path("percent").asDouble());
        assertEquals(1, view[0].path("appearances").asInt(), "one appearance: the truck: " + view[0]);

        // And the appearance is one item in notify's review queue, proposing the truck
        Common common = stack.common("test");
        List<Identification> items = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : PipelineScenario.readAll(common, common.topics().identifications())) {
            Identification i = EventCodec.decode(r.value(), Identification.class);
            if (filmId.equals(i.still().clipId())) {
                items.add(i);
            }
        }
        assertEquals(1, items.size(), "one review item for the one appearance");
        String stillId = items.get(0).stillId();
        JsonNode story = PipelineScenario.awaitSubmission(client, stillId, s -> !PipelineScenario.candidates(s)
                .isEmpty());
        assertEquals("Blue pickup truck", PipelineScenario.candidates(story).get(0).get("label").asText(),
                "the truck is proposed: " + story);

        // When a reviewer confirms it, the decision is recorded like any still's
        StackClient.Response review = client.review(stillId, Map.of("verdict", "confirm"));
        assertTrue(review.status() / 100 == 2, "decision accepted: " + review);
        assertEquals("Blue pickup truck", PipelineScenario.awaitDecision(common, stillId).label());
    }

    private HttpResponse<String> patch(String upload, String token, long offset, byte[] bytes, int from, int to) {
        return send(HttpRequest.newBuilder(URI.create(upload)).header("Authorization", "Bearer " + token)
                .header("Tus-Resumable", "1.0.0").header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", String.valueOf(offset))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes, from, to - from)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(HttpRequest.newBuilder(request, (n, v) -> true).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Concatenates stills shown for the given seconds into a 1280×720, 25 fps H.264 film. */
}
