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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Bounded load generator for a running reelcars stack (loopback only): uploads a mix of stills at a fixed rate for a
 * fixed duration, and reports accepted/s, upload→identification latency (read from the identifications topic),
 * upload→review-queue latency (notify's live SSE stream), identify's consumer lag over time, and the stack's heap
 * and RSS at start and end.
 *
 * java -cp launcher/target/reelcars.jar bench/LoadTest.java --rate 4 --seconds 60 --pid PID [--stills a.jpg,b.jpg]
 *      [--ingest http://localhost:8081] [--notify http://localhost:8080] [--kafka localhost:9092] [--user demo --password demo]
 */
public class LoadTest {
    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new TreeMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            a.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        double rate = Double.parseDouble(a.getOrDefault("rate", "2"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "60"));
        String ingest = a.getOrDefault("ingest", "http://localhost:8081");
        String notify = a.getOrDefault("notify", "http://localhost:8080");
        String kafka = a.getOrDefault("kafka", "localhost:9092");
        String pid = a.get("pid");
        List<byte[]> stills = new ArrayList<>();
        for (String f : a.getOrDefault("stills", "docs/demo-still.jpg").split(",")) {
            stills.add(Files.readAllBytes(Path.of(f)));
        }
        if (!loopback(ingest) || !loopback(notify) || !loopback("http://" + kafka)) {
            throw new IllegalArgumentException("loopback addresses only");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String token = field(http.send(HttpRequest.newBuilder(URI.create(notify + "/api/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + a.getOrDefault("user", "demo") + "\",\"password\":\""
                                + a.getOrDefault("password", "demo") + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).body(), "token");

        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> resultAt = new ConcurrentHashMap<>();
        Map<String, Long> queueAt = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        String run = Long.toString(System.currentTimeMillis(), 36);

        // Live review-queue updates, as an open reviewer page sees them.
        Thread sse = new Thread(() -> {
            try {
                http.send(HttpRequest.newBuilder(URI.create(notify + "/api/events"))
                        .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token).GET().build(),
                        HttpResponse.BodyHandlers.ofLines()).body().forEach(line -> {
                            if (line.startsWith("data:") && line.contains("\"identification\"")) {
                                Matcher m = Pattern.compile("\"stillId\":\"([^\"]+)\"").matcher(line);
                                if (m.find()) {
                                    queueAt.putIfAbsent(m.group(1), System.nanoTime());
                                }
                            }
                        });
            } catch (Exception e) {
                System.err.println("SSE stream ended: " + e);
            }
        }, "sse");
        sse.setDaemon(true);
        sse.start();

        // Identifications as they are committed to Kafka.
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "loadtest-" + run);
        Thread results = new Thread(() -> {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(cp, new StringDeserializer(),
                    new StringDeserializer())) {
                c.subscribe(List.of("reelcars.identifications"));
                while (!Thread.currentThread().isInterrupted()) {
                    c.poll(Duration.ofMillis(50)).forEach(r -> resultAt.putIfAbsent(r.key(), System.nanoTime()));
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // stopping
            }
        }, "results");
        results.setDaemon(true);
        results.start();
        Thread.sleep(3000); // let the consumer join and the SSE stream open

        String startMem = memory(pid);
        Properties ap = new Properties();
        ap.put("bootstrap.servers", kafka);
        List<String> lagLog = new ArrayList<>();
        long t0 = System.nanoTime();
        long total = Math.round(rate * seconds);
        ExecutorService uploaders = Executors.newFixedThreadPool(16);
        try (Admin admin = Admin.create(ap)) {
            for (long i = 0; i < total; i++) {
                long due = t0 + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                final long n = i;
                uploaders.submit(() -> upload(http, ingest, stills.get((int) (n % stills.size())), run + "-" + n,
                        sentAt, statuses));
                if (i % Math.max(1, Math.round(rate * 5)) == 0) {
                    lagLog.add(String.format("t=%4.0fs lag=%d", (System.nanoTime() - t0) / 1e9, lag(admin)));
                }
            }
            uploaders.shutdown();
            uploaders.awaitTermination(60, TimeUnit.SECONDS);
            double sendSeconds = (System.nanoTime() - t0) / 1e9;
            long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < drainDeadline && !(resultAt.keySet().containsAll(sentAt.keySet())
                    && queueAt.keySet().containsAll(sentAt.keySet()))) {
                Thread.sleep(200);
            }
            lagLog.add(String.format("t=%4.0fs lag=%d (after drain)", (System.nanoTime() - t0) / 1e9, lag(admin)));
            results.interrupt();
            String endMem = memory(pid);

            System.out.printf("target %.2f stills/s for %d s: %d sent, accepted %d (%.2f/s), statuses %s%n", rate,
                    seconds, total, sentAt.size(), sentAt.size() / sendSeconds, statuses);
            System.out.println("upload -> identification committed: " + percentiles(sentAt, resultAt));
            System.out.println("upload -> review queue (SSE):        " + percentiles(sentAt, queueAt));
            System.out.println("identify consumer lag: " + String.join(", ", lagLog));
            System.out.println("memory at start: " + startMem);
            System.out.println("memory at end:   " + endMem);
        }
        System.exit(0);
    }

    static void upload(HttpClient http, String ingest, byte[] jpeg, String tag, Map<String, Long> sentAt,
            Map<Integer, AtomicInteger> statuses) {
        try {
            byte[] image = withComment(jpeg, "reelcars load " + tag);
            String boundary = "----load" + tag;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"film\"\r\n\r\nLoad test"
                    + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"s.jpg\"\r\n"
                    + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(image);
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            long start = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ingest + "/api/stills"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
            if (r.statusCode() == 202) {
                sentAt.put(field(r.body(), "id"), start);
            }
        } catch (Exception e) {
            statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    static String percentiles(Map<String, Long> sent, Map<String, Long> seen) {
        List<Double> ms = new ArrayList<>();
        int missing = 0;
        for (var e : sent.entrySet()) {
            Long t = seen.get(e.getKey());
            if (t == null) {
                missing++;
            } else {
                ms.add((t - e.getValue()) / 1e6);
            }
        }
        if (ms.isEmpty()) {
            return "none seen (" + missing + " missing)";
        }
        Collections.sort(ms);
        return String.format("p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms (n=%d, missing %d)",
                pct(ms, 50), pct(ms, 95), pct(ms, 99), ms.get(ms.size() - 1), ms.size(), missing);
    }

    static double pct(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }

    static long lag(Admin admin) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("reelcars-identify")
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
            long lag = 0;
            for (var e : committed.entrySet()) {
                lag += ends.get(e.getKey()).offset() - e.getValue().offset();
            }
            return lag;
        } catch (Exception e) {
            return -1;
        }
    }

    /** RSS from /proc and used heap from jcmd, for the stack's process. */
    static String memory(String pid) {
        if (pid == null) {
            return "(no --pid given)";
        }
        try {
            String rss = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?").replaceAll("\\s+", " ");
            Process p = new ProcessBuilder("jcmd", pid, "GC.heap_info").redirectErrorStream(true).start();
            String heap = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(heap);
            String used = m.find() ? "heap used " + Long.parseLong(m.group(2)) / 1024 + " MB of "
                    + Long.parseLong(m.group(1)) / 1024 + " MB" : "heap ?";
            return rss + ", " + used;
        } catch (Exception e) {
            return "unreadable: " + e;
        }
    }

    static boolean loopback(String url) {
        String host = URI.create(url).getHost();
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("::1"));
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static byte[] withComment(byte[] jpeg, String comment) {
        byte[] text = comment.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xFE);
        out.write((text.length + 2) >> 8);
        out.write((text.length + 2) & 0xFF);
        out.writeBytes(text);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
