package dev.reelcars.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reelcars.testkit.EmbeddedBroker;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not part of the suite (the name ends in Bench, which surefire does not pick up): how long the last {@code PATCH}
 * of a ~200 MB film takes to answer, against the other parts' median. Run it by name:
 * {@code mvn -o -B -pl ingest -am verify -Dtest=FilmFinishBench -Dsurefire.failIfNoSpecifiedTests=false}; it prints
 * one line to stdout and checks the published hash.
 */
class FilmFinishBench {
    private static final int PART = 16 << 20;

    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();

    @TempDir
    Path dir;

    @Test
    void theLastPatchOfA200MbFilm() throws Exception {
        assumeTrue(ClipsTest.ffmpegPresent(), "ffmpeg/ffprobe not installed");
        // 150 raw 720p frames in AVI: 207 MB that ffprobe reads, made in a second
        Path film = dir.resolve("film.avi");
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=1280x720:rate=25", "-t", "6", "-c:v", "rawvideo", "-pix_fmt", "yuv420p",
                film.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, log);
        byte[] bytes = Files.readAllBytes(film);
        try (IngestHarness ingest = new IngestHarness(broker.kafka(), dir, Map.of()).start()) {
            String token = "Bearer " + IngestHarness.token("ana");
            HttpResponse<String> created = ingest.send(HttpRequest.newBuilder(ingest.uri(FilmUploads.BASE))
                    .header("Authorization", token).header("Tus-Resumable", "1.0.0")
                    .header("Upload-Length", String.valueOf(bytes.length))
                    .header("Upload-Metadata", "title " + Base64.getEncoder().encodeToString("Bench".getBytes()))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(201, created.statusCode(), created.body());
            String location = created.headers().firstValue("Location").orElseThrow();
            String upload = location.substring(location.indexOf(FilmUploads.BASE));
            List<Double> millis = new ArrayList<>();
            HttpResponse<String> last = null;
            for (int from = 0; from < bytes.length; from += PART) {
                int to = Math.min(bytes.length, from + PART);
                long t0 = System.nanoTime();
                last = ingest.send(HttpRequest.newBuilder(ingest.uri(upload)).header("Authorization", token)
                        .header("Tus-Resumable", "1.0.0").header("Content-Type", "application/offset+octet-stream")
                        .header("Upload-Offset", String.valueOf(from))
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes, from, to - from)).build());
                millis.add((System.nanoTime() - t0) / 1e6);
                assertEquals(204, last.statusCode(), last.body());
            }
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertEquals("film-" + sha.substring(0, 32), last.headers().firstValue(FilmUploads.FILM_ID_HEADER)
                    .orElseThrow(), "the film's id is its hash's");
            List<Double> others = new ArrayList<>(millis.subList(0, millis.size() - 1));
            others.sort(null);
            System.out.printf(Locale.ROOT, "FILM-FINISH-BENCH bytes=%d parts=%d lastPatchMs=%.0f otherPartsMedianMs=%.0f"
                    + " all=%s%n", bytes.length, millis.size(), millis.get(millis.size() - 1),
                    others.get(others.size() / 2), millis.stream().map(m -> String.format(Locale.ROOT, "%.0f", m))
                            .toList());
        }
    }
}
