import java.io.ByteArrayOutputStream;
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
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A whole film through the running stack (issue 18's "full stack" and "stills first" targets): an admin starts a
 * scan of a film already in ingest's import directory ({@code POST /api/films/import}, so the upload is excluded, as
 * the issue asks), the program follows {@code GET /api/films/{id}} every second until the scan ends, and meanwhile
 * uploads a byte-distinct still every few seconds and times each from sending it to its identification being in
 * notify's queue. At the end: the film's length, the scan's wall time from the first "running" to "done", the
 * real-time factor, the stills' p50/p95/max, and the RSS of the given processes at each tenth of the film.
 *
 * <pre>
 * java bench/FilmStackBench.java --film NAME [--title T] [--year Y] [--still docs/demo-still.jpg]
 *      [--every 3] [--pid PID ...] [--ingest http://127.0.0.1:8081] [--notify http://127.0.0.1:8080]
 *      [--user demo] [--password demo]
 * </pre>
 * {@code NAME} is the film's path inside {@code REELCARS_INGEST_FILM_IMPORT_DIR}; its length is the progress's
 * {@code filmSeconds}. {@code --pid} names the processes whose RSS is sampled (the launcher, or each service). The
 * user must be an admin (the demo account is).
 */
public class FilmStackBench {
    public static void main(String[] args) throws Exception {
        String film = null;
        String title = "Stack bench " + Long.toString(System.currentTimeMillis(), 36);
        int year = 1975;
        Path still = Path.of("docs/demo-still.jpg");
        double every = 3;
        List<Long> pids = new ArrayList<>();
        String ingest = "http://127.0.0.1:8081";
        String notify = "http://127.0.0.1:8080";
        String user = "demo";
        String password = "demo";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--film" -> film = args[++i];
                case "--title" -> title = args[++i];
                case "--year" -> year = Integer.parseInt(args[++i]);
                case "--still" -> still = Path.of(args[++i]);
                case "--every" -> every = Double.parseDouble(args[++i]);
                case "--pid" -> pids.add(Long.parseLong(args[++i]));
                case "--ingest" -> ingest = args[++i];
                case "--notify" -> notify = args[++i];
                case "--user" -> user = args[++i];
                case "--password" -> password = args[++i];
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (film == null) {
            throw new IllegalArgumentException("--film NAME is required");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String token = field(send(http, HttpRequest.newBuilder(URI.create(notify + "/api/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + user + "\",\"password\":\"" + password + "\"}")).build(), 200), "token");

        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(ingest + "/api/films/import"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"path\":\"" + film + "\",\"title\":\"" + title
                        + "\",\"year\":" + year + "}")).build(), HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() / 100 != 2) {
            throw new IllegalStateException("import got " + started.statusCode() + ": " + started.body());
        }
        String filmId = field(started.body(), "id");
        System.err.println("film " + filmId + " (" + started.body() + ")");

        AtomicBoolean scanning = new AtomicBoolean(true);
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        String ingestUrl = ingest;
        String notifyUrl = notify;
        byte[] jpeg = Files.readAllBytes(still);
        long everyMillis = (long) (every * 1000);
        Thread stills = new Thread(() -> {
            int i = 0;
            while (scanning.get()) {
                try {
                    latencies.add(stillLatency(http, ingestUrl, notifyUrl, token, jpeg, filmId + "-" + i++));
                    Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.err.println("still " + i + ": " + e.getMessage());
                }
            }
        }, "stills");

        long t0 = System.nanoTime();
        long runningAt = -1;
        int nextTenth = 1;
        String status = "";
        String last = "";
        double seconds = 0;
        List<String> memory = new ArrayList<>();
        while (true) {
            String view = send(http, HttpRequest.newBuilder(URI.create(ingest + "/api/films/" + filmId))
                    .header("Authorization", "Bearer " + token).GET().build(), 200);
            status = field(view, "status");
            if (runningAt < 0 && !status.equals("queued")) {
                runningAt = System.nanoTime();
                stills.start();
            }
            double percent = number(view, "percent");
            seconds = Math.max(seconds, number(view, "filmSeconds"));
            while (percent >= nextTenth * 10 && nextTenth <= 10) {
                memory.add(String.format(Locale.ROOT, "%3d %% of the film (%.0f s): %s", nextTenth * 10,
                        seconds * nextTenth / 10, rss(pids)));
                nextTenth++;
            }
            if (!view.equals(last)) {
                System.err.printf(Locale.ROOT, "%6.1f s  %s%n", (System.nanoTime() - t0) / 1e9, view);
                last = view;
            }
            if (status.equals("done") || status.equals("failed") || status.equals("cancelled")) {
                break;
            }
            Thread.sleep(1000);
        }
        double wall = (System.nanoTime() - runningAt) / 1e9;
        scanning.set(false);
        stills.join(70_000);

        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "film %s: %s, %.0f s of film, scanned in %.1f s from the first progress = %.1fx "
                + "real time; %s%n", filmId, status, seconds, wall, seconds / wall, last);
        if (!sorted.isEmpty()) {
            System.out.printf(Locale.ROOT, "stills during the scan: %d, upload -> review queue p50 %.0f ms, p95 %.0f ms,"
                    + " max %.0f ms%n", sorted.size(), pct(sorted, 50), pct(sorted, 95), sorted.get(sorted.size() - 1));
        }
        memory.forEach(System.out::println);
    }

    static double stillLatency(HttpClient http, String ingest, String notify, String token, byte[] jpeg, String tag)
            throws Exception {
        byte[] body = withComment(jpeg, "reelcars film stack bench " + tag);
        String boundary = "----bench" + tag;
        ByteArrayOutputStream multipart = new ByteArrayOutputStream();
        multipart.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"film\"\r\n\r\nStills first "
                + tag + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"s.jpg\""
                + "\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        multipart.writeBytes(body);
        multipart.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        long t0 = System.nanoTime();
        String id = field(send(http, HttpRequest.newBuilder(URI.create(ingest + "/api/stills"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart.toByteArray())).build(), 202), "id");
        while (true) {
            HttpResponse<String> story = http.send(HttpRequest.newBuilder(URI.create(notify + "/api/submissions/" + id))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (story.statusCode() == 200 && story.body().contains("\"current\":{")) {
                return (System.nanoTime() - t0) / 1e6;
            }
            if (System.nanoTime() - t0 > 60_000_000_000L) {
                throw new IllegalStateException("still " + id + " not in the queue after 60 s");
            }
            Thread.sleep(10);
        }
    }

    static String rss(List<Long> pids) {
        StringBuilder out = new StringBuilder();
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                        out.append(String.format(Locale.ROOT, "pid %d RSS %.0f MiB  ", pid, kb / 1024.0));
                    }
                }
            } catch (IOException e) {
                out.append("pid ").append(pid).append(" gone  ");
            }
        }
        return out.toString().strip();
    }

    static String send(HttpClient http, HttpRequest request, int expected) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.uri() + " got " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static double number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*([0-9.eE+-]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
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
