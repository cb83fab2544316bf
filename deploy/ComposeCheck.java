import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The journey of the release check (deploy/README.md), run by deploy/compose-check.sh against the compose stack
 * through its published ports: waits for every service, pushes stills and a clip through ingest, kills one broker
 * and one identify instance while the stills flow, and then requires every accepted still in notify's review
 * queue. Prints what it measured; exits 1 when a still was lost or a deadline passed.
 *
 * <p>Run as a source file on the launcher's jar (for Jackson): {@code java -cp launcher/target/reelcars.jar
 * deploy/ComposeCheck.java}. Settings come from the environment the script sets (CHECK_*).
 */
public class ComposeCheck {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final long T0 = System.nanoTime();

    final String notify = env("CHECK_NOTIFY_URL");
    final String ingest = env("CHECK_INGEST_URL");
    final List<String> identify = List.of(env("CHECK_IDENTIFY_URLS").split(","));
    final int stills = Integer.parseInt(System.getenv().getOrDefault("CHECK_STILLS", "30"));
    final Map<String, String> measured = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        ComposeCheck check = new ComposeCheck();
        boolean ok;
        try {
            ok = check.run();
        } catch (Exception e) {
            log("FAILED: " + e);
            ok = false;
        }
        check.measured.forEach((k, v) -> System.out.printf("MEASURED %-34s %s%n", k, v));
        System.exit(ok ? 0 : 1);
    }

    boolean run() throws Exception {
        long upStarted = Long.parseLong(env("CHECK_UP_STARTED_MS"));
        // Given: every service answers, identify's two instances consume and hold the demo gallery.
        awaitReady(Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("CHECK_READY_SECONDS", "420"))));
        measured.put("start (up -> all ready)", secondsSince(upStarted));
        String admin = signIn(env("CHECK_ADMIN_NAME"), env("CHECK_ADMIN_PASSWORD"));
        String runId = UUID.randomUUID().toString().substring(0, 8);
        String contributorName = "check-" + runId;
        String contributorPassword = UUID.randomUUID().toString();
        JsonNode created = send("POST", notify + "/api/accounts", admin, "application/json", JSON.writeValueAsBytes(
                Map.of("name", contributorName, "password", contributorPassword, "roles", List.of("contributor"))));
        require(created.path("name").asText().equals(contributorName), "contributor created: " + created);
        String contributor = signIn(contributorName, contributorPassword);

        // When: stills flow in at a steady pace; a third of the way a broker dies, half way an identify instance.
        byte[] still = Files.readAllBytes(Path.of(env("CHECK_STILL")));
        Set<String> accepted = new LinkedHashSet<>();
        Map<String, Integer> refusals = new LinkedHashMap<>();
        long pushStarted = System.currentTimeMillis();
        long killedAt = 0;
        String clipId = null;
        for (int i = 0; i < stills; i++) {
            if (i == stills / 3) {
                killedAt = System.currentTimeMillis();
                kill("CHECK_KILL_BROKER", "broker");
                measured.put("broker killed", env("CHECK_KILL_BROKER_NAME") + " after " + i + " stills");
            }
            if (i == stills / 2) {
                kill("CHECK_KILL_IDENTIFY", "identify instance");
                measured.put("identify killed", env("CHECK_KILL_IDENTIFY_NAME") + " after " + i + " stills");
                clipId = uploadClip(contributor, refusals);
            }
            accepted.add(uploadStill(contributor, unique(still, runId + "-" + i), i, refusals));
            Thread.sleep(Long.parseLong(System.getenv().getOrDefault("CHECK_PACE_MS", "700")));
        }
        measured.put("stills accepted (202)", accepted.size() + " of " + stills + " in "
                + secondsSince(pushStarted));
        measured.put("refused, then retried", refusals.isEmpty() ? "none" : refusals.toString());

        // The clip's kept frames are stills too: they must reach the queue like the uploads.
        JsonNode clip = awaitClip(contributor, clipId, Duration.ofSeconds(180));
        List<String> clipStills = new ArrayList<>();
        clip.path("stills").forEach(s -> clipStills.add(s.path("stillId").asText()));
        measured.put("clip", clipId + " " + clip.path("status").asText() + ", " + clipStills.size()
                + " stills kept of " + clip.path("framesTotal").asInt() + " frames");
        accepted.addAll(clipStills);

        // Then: every accepted still is in the review queue (a proposed match or unidentified), none lost.
        Duration drain = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("CHECK_DRAIN_SECONDS", "300")));
        Set<String> missing = awaitInQueue(admin, accepted, drain);
        int through = accepted.size() - missing.size();
        measured.put("stills through to the review queue", through + " of " + accepted.size()
                + " (uploads + clip frames)");
        measured.put("last still in the queue, after the kill", secondsSince(killedAt));
        // Lost: accepted (202) but not in the queue by the deadline.
        measured.put("lost", String.valueOf(missing.size()) + (missing.isEmpty() ? "" : " " + missing));
        // And: the surviving identify instance took over the dead one's partitions.
        StringBuilder survivors = new StringBuilder();
        for (String url : identify) {
            JsonNode h = health(url);
            survivors.append(url.substring(url.lastIndexOf(':') + 1)).append(h == null ? " no answer; "
                    : " " + h.path("status").asText() + ", partitions " + h.path("stillsPartitions")
                    + ", processed " + h.path("stillsProcessed") + "; ");
        }
        measured.put("identify instances at the end", survivors.toString().trim());
        return missing.isEmpty() && through > 0;
    }

    void awaitReady(Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, String> waiting = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            waiting.clear();
            if (getOrNull(notify + "/health", null) == null) {
                waiting.put("notify", "no answer");
            }
            JsonNode in = getOrNull(ingest + "/health", null);
            if (in == null || !in.path("kafka").asBoolean()) {
                waiting.put("ingest", in == null ? "no answer" : in.toString());
            }
            for (String url : identify) {
                JsonNode h = getOrNull(url + "/health", null);
                if (h == null || !h.path("consuming").asBoolean() || h.path("galleryViews").asInt() == 0) {
                    waiting.put("identify " + url, h == null ? "no answer" : h.toString());
                }
            }
            if (waiting.isEmpty()) {
                log("every service is ready");
                return;
            }
            Thread.sleep(2000);
        }
        throw new IllegalStateException("not ready within " + within + ": " + waiting);
    }

    String uploadStill(String token, byte[] jpeg, int n, Map<String, Integer> refusals) throws Exception {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("image", jpeg);
        parts.put("film", "Compose Check");
        parts.put("year", "1982");
        parts.put("timecode", String.format("00:%02d:%02d", n / 60, n % 60));
        return upload("/api/stills", token, parts, refusals).path("id").asText();
    }

    String uploadClip(String token, Map<String, Integer> refusals) throws Exception {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("video", Files.readAllBytes(Path.of(env("CHECK_CLIP"))));
        parts.put("film", "Compose Check");
        return upload("/api/clips", token, parts, refusals).path("id").asText();
    }

    /**
     * One upload, retried as a client would while the cluster fails over: 429 and 503 after their Retry-After,
     * a lost connection after a second. The same bytes again are answered 200 with the first id (nothing is
     * published twice), so a retry whose first answer was lost still yields the one accepted still.
     */
    JsonNode upload(String path, String token, Map<String, Object> parts, Map<String, Integer> refusals)
            throws Exception {
        String boundary = "check" + UUID.randomUUID();
        byte[] body = multipart(boundary, parts);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(ingest + path)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            long wait = 1000;
            try {
                HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202 || r.statusCode() == 200) {
                    return JSON.readTree(r.body());
                }
                if (r.statusCode() != 429 && r.statusCode() != 503) {
                    throw new IllegalStateException(path + " answered " + r.statusCode() + " " + r.body());
                }
                refusals.merge(String.valueOf(r.statusCode()), 1, Integer::sum);
                wait = 1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1"));
            } catch (java.io.IOException e) {
                refusals.merge("connection", 1, Integer::sum);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(path + " not accepted within 120 s: " + refusals);
            }
            Thread.sleep(wait);
        }
    }

    JsonNode awaitClip(String token, String clipId, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            status = getOrNull(ingest + "/api/clips/" + clipId, token);
            if (status != null && !status.path("status").asText().matches("queued|running")) {
                return status;
            }
            Thread.sleep(2000);
        }
        throw new IllegalStateException("clip " + clipId + " not done within " + within + ": " + status);
    }

    /** Waits until the queue lists every id (as a task to decide or as unidentified); returns those it never did. */
    Set<String> awaitInQueue(String reviewer, Set<String> ids, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Set<String> missing = new LinkedHashSet<>(ids);
        while (true) {
            JsonNode queue = getOrNull(notify + "/api/queue", reviewer);
            if (queue != null) {
                for (String list : List.of("items", "unidentified", "recent")) {
                    queue.path(list).forEach(t -> missing.remove(t.path("stillId").asText()));
                }
                measured.put("queue counts", queue.path("counts").toString());
            }
            if (missing.isEmpty() || System.nanoTime() > deadline) {
                return missing;
            }
            Thread.sleep(2000);
        }
    }

    void kill(String variable, String what) throws Exception {
        log("killing " + what + ": " + env(variable));
        Process p = new ProcessBuilder("bash", "-c", env(variable)).inheritIO().start();
        require(p.waitFor() == 0, "kill command failed: " + env(variable));
    }

    String signIn(String name, String password) throws Exception {
        JsonNode session = send("POST", notify + "/api/session", null, "application/json",
                JSON.writeValueAsBytes(Map.of("name", name, "password", password)));
        return session.path("token").asText();
    }

    JsonNode send(String method, String url, String token, String type, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        require(r.statusCode() / 100 == 2, method + " " + url + " answered " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    /** identify's health whatever its status (503 while its loop is not consuming), or null without an answer. */
    static JsonNode health(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (Exception e) {
            return null;
        }
    }

    /** GET as JSON, or null while the service does not answer 200. */
    static JsonNode getOrNull(String url, String token) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The same picture with a JPEG comment segment after SOI: other bytes (a new still), the same image. */
    static byte[] unique(byte[] jpeg, String text) {
        byte[] comment = ("reelcars compose check " + text).getBytes(StandardCharsets.US_ASCII);
        int length = comment.length + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + length + 2);
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xFE);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(comment, 0, comment.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    static byte[] multipart(String boundary, Map<String, Object> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (var part : parts.entrySet()) {
            StringBuilder head = new StringBuilder("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                    + part.getKey() + "\"");
            if (part.getValue() instanceof byte[]) {
                boolean video = part.getKey().equals("video");
                head.append("; filename=\"").append(video ? "clip.mp4" : "still.jpg").append("\"\r\nContent-Type: ")
                        .append(video ? "video/mp4" : "image/jpeg");
            }
            head.append("\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(part.getValue() instanceof byte[] bytes ? bytes
                    : part.getValue().toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static String secondsSince(long epochMillis) {
        return String.format("%.1f s", (System.currentTimeMillis() - epochMillis) / 1000.0);
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    static String env(String name) {
        String v = System.getenv(name);
        require(v != null && !v.isEmpty(), name + " is not set (deploy/compose-check.sh sets it)");
        return v;
    }

    static void log(String message) {
        System.out.printf("[journey %5.1fs] %s%n", (System.nanoTime() - T0) / 1e9, message);
    }
}
