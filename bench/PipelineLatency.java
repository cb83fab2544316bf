import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Upload → review-queue latency of a running stack: uploads N copies of a still (each made byte-distinct by a JPEG
 * comment segment, so exact-duplicate detection does not short-circuit them), and for each measures the time from
 * sending the upload to the identification being visible in notify's API. Prints median and worst.
 *
 * java bench/PipelineLatency.java [still.jpg] [n] [ingestUrl] [notifyUrl] [user] [password]
 */
public class PipelineLatency {
    public static void main(String[] args) throws Exception {
        Path still = Path.of(args.length > 0 ? args[0] : "docs/demo-still.jpg");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String ingest = args.length > 2 ? args[2] : "http://localhost:8081";
        String notify = args.length > 3 ? args[3] : "http://localhost:8080";
        String user = args.length > 4 ? args[4] : "demo";
        String password = args.length > 5 ? args[5] : "demo";
        HttpClient http = HttpClient.newHttpClient();
        byte[] jpeg = Files.readAllBytes(still);

        String session = http.send(HttpRequest.newBuilder(URI.create(notify + "/api/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + user + "\",\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String token = field(session, "token");

        List<Double> latencies = new ArrayList<>();
        String run = Long.toString(System.currentTimeMillis(), 36);
        for (int i = 0; i < n; i++) {
            byte[] body = withComment(jpeg, "reelcars latency run " + run + " #" + i);
            String boundary = "----bench" + i;
            ByteArrayOutputStream multipart = new ByteArrayOutputStream();
            multipart.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"film\"\r\n\r\nLatency "
                    + run + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"s.jpg\""
                    + "\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            multipart.writeBytes(body);
            multipart.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            long t0 = System.nanoTime();
            HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(ingest + "/api/stills"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipart.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (upload.statusCode() != 202) {
                throw new IllegalStateException("upload " + i + " got " + upload.statusCode() + ": " + upload.body());
            }
            String id = field(upload.body(), "id");
            while (true) {
                HttpResponse<String> story = http.send(HttpRequest.newBuilder(URI.create(notify + "/api/submissions/" + id))
                        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (story.statusCode() == 200 && story.body().contains("\"current\":{")) {
                    break;
                }
                if ((System.nanoTime() - t0) > 60_000_000_000L) {
                    throw new IllegalStateException("still " + id + " not in the queue after 60 s");
                }
                Thread.sleep(5);
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            latencies.add(ms);
            System.err.printf("still %2d  %7.1f ms%n", i + 1, ms);
        }
        Collections.sort(latencies);
        double median = n % 2 == 1 ? latencies.get(n / 2) : (latencies.get(n / 2 - 1) + latencies.get(n / 2)) / 2;
        System.out.printf("upload -> review queue over %d stills: median %.1f ms, worst %.1f ms, best %.1f ms%n",
                n, median, latencies.get(n - 1), latencies.get(0));
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    /** The same JPEG with a COM segment right after SOI: other bytes, same picture. */
    static byte[] withComment(byte[] jpeg, String comment) {
        byte[] text = comment.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xFE);
        int len = text.length + 2;
        out.write(len >> 8);
        out.write(len & 0xFF);
        out.writeBytes(text);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
