import dev.reelcars.broker.EmbeddedKafka;
import dev.reelcars.catalogue.CatalogueConfig;
import dev.reelcars.catalogue.CatalogueService;
import dev.reelcars.events.Candidate;
import dev.reelcars.events.Event;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.Identification;
import dev.reelcars.events.Point;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.kafka.KafkaSettings;
import dev.reelcars.platform.kafka.TopicAdmin;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A large catalogue through the real topics, then the catalogue's rebuild time, memory and server times (issue 17).
 *
 * Publishes 10,000 reference views (one per vehicle), 100,000 identified stills spread over 5,000 films and two
 * confirming decisions per still (consensus 2) to an embedded broker, starts the catalogue (rebuild measured from
 * start() to the port opening), and then times vehicle pages, film pages and searches through the HTTP API (the
 * catalogue's own Server-Timing and the client's round trip on loopback). Heap: used heap after a full GC with the
 * catalogue running minus the same before it started (the broker lives in the same JVM).
 *
 * mvn -B -q -o -pl catalogue -am install -DskipTests
 * mvn -B -q -o -pl catalogue dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cat-cp.txt
 * java -Xmx2g -cp "catalogue/target/classes:$(cat /tmp/cat-cp.txt)" bench/CatalogueBench.java \
 *      [appearances=100000] [vehicles=10000] [films=5000] [requests=1000]
 */
public class CatalogueBench {
    static final String[] WORDS = {"Night", "Road", "Orchard", "Street", "Chase", "Blue", "Summer", "Return",
        "Détective", "Crépuscule", "Städte", "Ciudad", "Ångström", "River", "Last", "Winter", "Gold", "Stranger",
        "Mañana", "Heart", "Garden", "Thunder", "Silent", "Fast", "Paris", "Berlin", "Seoul", "Lisboa", "Porto"};
    static final String[] MAKES = {"Ford", "GAZ", "Citroën", "Renault", "Volvo", "Škoda", "Fiat", "Dodge", "Pobeda",
        "Chevrolet", "Peugeot", "Mercedes-Benz", "Lada", "Toyota", "Datsun", "Trabant", "Wartburg", "Alfa Romeo"};

    public static void main(String[] args) throws Exception {
        int appearances = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int vehicles = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int films = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        int requests = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
        Path dir = Files.createTempDirectory("catalogue-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            Topics topics = Topics.withPrefix("bench.");
            TopicAdmin.ensureTopics(KafkaSettings.of(kafka.bootstrapServers(), "bench"), topics, 60_000);
            Random random = new Random(17);
            List<String> filmTitles = new ArrayList<>();
            List<Integer> filmYears = new ArrayList<>();
            for (int f = 0; f < films; f++) {
                filmTitles.add(WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)] + " "
                        + f);
                filmYears.add(1950 + random.nextInt(71));
            }
            long t0 = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                // Wait until every partition has a leader: a bulk load into topics created a moment ago met
                // NOT_LEADER_OR_FOLLOWER and then endless OUT_OF_ORDER_SEQUENCE_NUMBER retries on a loaded machine.
                for (String topic : List.of(topics.references(), topics.identifications(), topics.decisions())) {
                    while (producer.partitionsFor(topic).stream().anyMatch(p -> p.leader() == null)) {
                        Thread.sleep(200);
                    }
                }
                Thread.sleep(2000);
                List<Future<?>> sent = new ArrayList<>();
                Instant at = Instant.parse("2026-01-01T00:00:00Z");
                for (int v = 0; v < vehicles; v++) {
                    String make = MAKES[v % MAKES.length];
                    send(producer, sent, topics.references(), new ReferenceAdded(1, "r" + v, make + " Model " + v,
                            make, "Model " + v, 1940 + random.nextInt(70), key("ref" + v), "image/jpeg", 400, 300,
                            "upload", null, at));
                }
                for (int s = 0; s < appearances; s++) {
                    int v = random.nextInt(vehicles);
                    int f = random.nextInt(films);
                    String stillId = "s" + s;
                    String label = MAKES[v % MAKES.length] + " Model " + v;
                    // One still in ten is typed in capitals, one in ten without accents: spellings to merge.
                    String title = filmTitles.get(f);
                    title = s % 10 == 1 ? title.toUpperCase() : s % 10 == 2
                            ? java.text.Normalizer.normalize(title, java.text.Normalizer.Form.NFD)
                                    .replaceAll("\\p{M}", "") : title;
                    StillSubmitted still = new StillSubmitted(1, stillId, key(stillId), "image/jpeg", 1280, 720,
                            title, filmYears.get(f), String.format("%02d:%02d:%02d", s % 2, s % 60, (s * 7) % 60),
                            s % 3 == 0 ? "parked by the " + WORDS[s % WORDS.length].toLowerCase() : null, "zoe",
                            null, null, at);
                    double w = 100 + random.nextInt(800);
                    Candidate c = new Candidate("r" + v, label, key("ref" + v), 0.9, 40,
                            List.of(new Point(10, 10), new Point(10 + w, 10), new Point(10 + w, 10 + w * 0.6),
                                    new Point(10, 10 + w * 0.6)), List.of());
                    send(producer, sent, topics.identifications(), new Identification(1, stillId, still, List.of(c),
                            List.of(), vehicles, 40_000, "bench", at.plusSeconds(1)));
                    for (String reviewer : List.of("alice", "bob")) {
                        send(producer, sent, topics.decisions(), new ReviewDecision(1, "d-" + stillId + reviewer,
                                stillId, ReviewDecision.Verdict.CONFIRM, label, "r" + v, reviewer,
                                at.plusSeconds(60 + reviewer.length())));
                    }
                }
                for (Future<?> f : sent) {
                    f.get();
                }
            }
            System.out.printf("published %,d references, %,d identifications, %,d decisions in %.1f s%n", vehicles,
                    appearances, 2 * appearances, (System.nanoTime() - t0) / 1e9);

            Map<String, String> env = new HashMap<>();
            env.put("REELCARS_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            env.put("REELCARS_TOPIC_PREFIX", "bench.");
            env.put("REELCARS_DATA_DIR", dir.resolve("data").toString());
            env.put("REELCARS_CATALOGUE_PORT", "0");
            env.put("REELCARS_CONSENSUS", "2");
            // The machine is shared: give the rebuild all the time it needs and report what it took.
            env.put("REELCARS_CATALOGUE_REPLAY_TIMEOUT", "1800000ms");
            long heapBefore = usedHeapAfterGc();
            for (int round = 1; round <= 2; round++) {
                CatalogueService service = new CatalogueService(CatalogueConfig.from(new Settings(env)));
                long s0 = System.nanoTime();
                service.start();
                System.out.printf("start %d: rebuilt and serving in %.1f s (rebuild %,d ms, process CPU %,d ms)%n",
                        round, (System.nanoTime() - s0) / 1e9, service.rebuildMillis(), service.rebuildCpuMillis());
                long heap = usedHeapAfterGc() - heapBefore;
                System.out.printf("  catalogue heap after GC: %,d MiB; process RSS %s%n", heap >> 20, rss());
                measure(service.port(), requests, vehicles, filmTitles, filmYears, random);
                service.stop();
            }
        }
    }

    static void measure(int port, int n, int vehicles, List<String> titles, List<Integer> years, Random random)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://localhost:" + port;
        Map<String, List<String>> paths = new HashMap<>();
        List<String> v = new ArrayList<>();
        List<String> f = new ArrayList<>();
        List<String> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int vehicle = random.nextInt(vehicles);
            v.add("/api/catalogue/vehicles/v-" + MAKES[vehicle % MAKES.length].toLowerCase()
                    .replace("š", "s").replace("ë", "e").replace(' ', '-') + "-model-" + vehicle);
            int film = random.nextInt(titles.size());
            f.add("/api/catalogue/films/" + URLEncoder.encode(filmId(titles.get(film), years.get(film)),
                    StandardCharsets.UTF_8));
            String q = switch (i % 4) {
                case 0 -> WORDS[random.nextInt(WORDS.length)];
                case 1 -> WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)];
                case 2 -> MAKES[random.nextInt(MAKES.length)] + " model";
                default -> WORDS[random.nextInt(WORDS.length)].substring(0, 3);
            };
            String years2 = i % 3 == 0 ? "&yearFrom=1960&yearTo=1979" : "";
            s.add("/api/catalogue/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + years2
                    + "&page=" + (1 + i % 2));
        }
        paths.put("vehicle page", v);
        paths.put("film page", f);
        paths.put("search", s);
        for (String name : List.of("vehicle page", "film page", "search")) {
            for (String p : paths.get(name).subList(0, Math.min(100, n))) {
                http.send(HttpRequest.newBuilder(URI.create(base + p)).build(), HttpResponse.BodyHandlers.ofString());
            }
        }
        for (String name : List.of("vehicle page", "film page", "search")) {
            List<Double> server = new ArrayList<>();
            List<Double> client = new ArrayList<>();
            int notFound = 0;
            for (String p : paths.get(name)) {
                long c0 = System.nanoTime();
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + p)).build(),
                        HttpResponse.BodyHandlers.ofString());
                client.add((System.nanoTime() - c0) / 1e6);
                if (res.statusCode() != 200) {
                    notFound++;
                }
                server.add(Double.parseDouble(res.headers().firstValue("Server-Timing").orElseThrow()
                        .replace("app;dur=", "")));
            }
            System.out.printf("  %-12s n=%d server p50 %.2f p95 %.2f max %.2f ms | round trip p50 %.2f p95 %.2f ms"
                    + "%s%n", name, server.size(), pct(server, 50), pct(server, 95), pct(server, 100),
                    pct(client, 50), pct(client, 95), notFound > 0 ? " (" + notFound + " not 200)" : "");
        }
    }

    /** Same rule as the catalogue's Names.filmId for the plain titles made here (ASCII after folding). */
    static String filmId(String title, int year) {
        String folded = java.text.Normalizer.normalize(title, java.text.Normalizer.Form.NFKD)
                .replaceAll("\\p{M}+", "");
        folded = java.text.Normalizer.normalize(folded, java.text.Normalizer.Form.NFC).replace("ß", "ss");
        String key = folded.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
        return "f-" + key.replace(' ', '-') + "-" + year;
    }

    static double pct(List<Double> xs, int p) {
        List<Double> sorted = new ArrayList<>(xs);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static String rss() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
                .findFirst().orElse("?").replaceAll("\\s+", " ");
    }

    static String key(String seed) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "catalogue-bench");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Bulk load: batch generously (the services' producers send one event at a time with linger 0).
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(p);
    }

    static void send(KafkaProducer<String, byte[]> producer, List<Future<?>> sent, String topic, Event e) {
        sent.add(producer.send(new ProducerRecord<>(topic, e.key(), EventCodec.encode(e))));
    }
}
