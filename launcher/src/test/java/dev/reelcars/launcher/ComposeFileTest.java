package dev.reelcars.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.reelcars.catalogue.CatalogueConfig;
import dev.reelcars.events.Topics;
import dev.reelcars.identify.service.IdentifyConfig;
import dev.reelcars.ingest.IngestConfig;
import dev.reelcars.notify.NotifyConfig;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.blob.BlobStoreConfig;
import dev.reelcars.platform.kafka.TopicAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml checked against the code on every build: the services exist, publish the ports the code
 * listens on, set only settings the code reads, share one blob store (the MinIO bucket), and reach the broker the
 * compose file defines. Running it for real needs a Docker engine and takes minutes: that is the release check
 * (deploy/README.md), whose override {@link ComposeCheckOverrideTest} holds to this file.
 */
class ComposeFileTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static JsonNode compose;

    @BeforeAll
    static void parse() throws Exception {
        compose = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(ROOT.resolve("docker-compose.yml")));
    }

    /** What each service's config is built from in its {@code main}. */
    static final Map<String, Function<Settings, Integer>> PORTS = Map.of(
            "ingest", s -> IngestConfig.from(s).port(),
            "identify", s -> IdentifyConfig.from(s).port(),
            "notify", s -> NotifyConfig.from(s).port(),
            "catalogue", s -> CatalogueConfig.from(s).port());

    /** Every container that runs reelcars code, the demo gallery's one-shot job too. */
    static final Set<String> SERVICES = Set.of("ingest", "identify", "notify", "catalogue", "demo-gallery");

    @Test
    void runsTheOfficialKafkaImageWithAHealthcheckAndAVolume() {
        JsonNode kafka = compose.path("services").path("kafka");
        assertTrue(kafka.path("image").asText().startsWith("apache/kafka:"), "official Apache Kafka image");
        assertTrue(kafka.has("healthcheck"), "a healthcheck, so services wait for a ready broker");
        assertTrue(kafka.path("volumes").size() > 0, "the log survives container restarts");
        assertEquals("false", kafka.path("environment").path("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText(),
                "topics come from TopicAdmin with explicit settings");
    }

    @Test
    void publishesTheDefaultPortOfEachServiceAndSetsItExplicitly() {
        for (var entry : PORTS.entrySet()) {
            JsonNode service = compose.path("services").path(entry.getKey());
            assertTrue(service.isObject(), "compose defines " + entry.getKey());
            Settings env = environment(service);
            int port = entry.getValue().apply(env);
            int defaultPort = entry.getValue().apply(new Settings(Map.of()));
            assertEquals(defaultPort, port, entry.getKey() + " listens on its documented default port in compose");
            boolean published = false;
            for (JsonNode mapping : service.path("ports")) {
                published |= mapping.asText().endsWith(":" + port);
            }
            assertTrue(published, entry.getKey() + " publishes container port " + port);
        }
    }

    @Test
    void setsOnlySettingsTheCodeReads() {
        for (String name : PORTS.keySet()) {
            JsonNode service = compose.path("services").path(name);
            Settings env = environment(service);
            PORTS.get(name).apply(env);
            Common.from(env, name);
            Set<String> unknown = new HashSet<>();
            service.path("environment").fieldNames().forEachRemaining(unknown::add);
            unknown.removeAll(env.keysRead());
            assertEquals(Set.of(), unknown, name + " sets environment keys its code never reads");
            assertEquals(java.util.List.of(), env.warnings(name, LauncherKeys.all()),
                    name + " is configured with current key names only (no old name, no unknown key)");
        }
    }

    @Test
    void everyServiceReachesTheComposeBrokerAndSharesOneBlobStore() {
        String advertised = compose.path("services").path("kafka").path("environment")
                .path("KAFKA_ADVERTISED_LISTENERS").asText();
        Set<BlobStoreConfig> stores = new HashSet<>();
        Set<Topics> topics = new HashSet<>();
        for (String name : SERVICES) {
            JsonNode service = compose.path("services").path(name);
            Settings env = environment(service);
            Common common = Common.from(env, name);
            assertTrue(advertised.contains(common.kafka().bootstrapServers()),
                    name + " bootstraps from the broker's advertised listener " + advertised);
            topics.add(common.topics());
            stores.add(common.blobStore());
            assertEquals("kafka", service.path("depends_on").fieldNames().next(), name + " waits for the broker");
            assertEquals("service_completed_successfully",
                    service.path("depends_on").path("minio-bucket").path("condition").asText(),
                    name + " starts once the bucket exists");
        }
        assertEquals(1, stores.size(), "every service, the demo gallery's job too, uses one blob store: " + stores);
        assertEquals(1, topics.size(), "all services use the same topic names");
        Topics t = topics.iterator().next();
        assertEquals(2 * t.all().size(), TopicAdmin.specs(t, 3, (short) 1).size(),
                "every topic and its dead-letter topic are created by the services");
    }

    @Test
    void blobsLiveInTheMinioBucketThatTheBucketJobCreates() {
        JsonNode services = compose.path("services");
        BlobStoreConfig.S3 store = (BlobStoreConfig.S3) Common.from(environment(services.path("ingest")), "ingest")
                .blobStore();
        assertEquals(java.util.Optional.of(java.net.URI.create("http://minio:9000")), store.endpoint());
        assertTrue(services.path("minio").path("image").asText().startsWith("minio/minio:RELEASE."), "MinIO, pinned");
        assertTrue(services.path("minio").path("ports").isMissingNode(), "object storage is not published");
        JsonNode bucketJob = services.path("minio-bucket").path("entrypoint");
        assertEquals("minio/" + store.bucket(), bucketJob.get(bucketJob.size() - 1).asText(),
                "the job creates the bucket the services use");
        Map<String, String> minio = new HashMap<>();
        services.path("minio").path("environment").fields().forEachRemaining(e -> minio.put(e.getKey(),
                interpolate(e.getValue().asText())));
        String ingestEnv = services.path("ingest").path("environment").toString();
        assertEquals(interpolate("${REELCARS_S3_ACCESS_KEY}"), minio.get("MINIO_ROOT_USER"));
        assertTrue(ingestEnv.contains("\"REELCARS_S3_SECRET_KEY\":\"${REELCARS_S3_SECRET_KEY:?"),
                "the services sign with the key MinIO is given, from .env");
        assertEquals(interpolate("${REELCARS_S3_SECRET_KEY}"), minio.get("MINIO_ROOT_PASSWORD"));
    }

    @Test
    void buildsEachServiceFromTheDockerfileWithAJarThatExists() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("ARG SERVICE"), "one Dockerfile, the service chosen by a build arg");
        for (String name : PORTS.keySet()) {
            JsonNode build = compose.path("services").path(name).path("build");
            assertEquals(name, build.path("args").path("SERVICE").asText());
            String pom = Files.readString(ROOT.resolve(name).resolve("pom.xml"));
            assertTrue(pom.contains("${project.build.directory}/" + name + ".jar"),
                    name + "'s shaded jar is at " + name + "/target/" + name + ".jar, where the Dockerfile copies from");
        }
    }

    @Test
    void safeDefaultsPortsOnLoopbackNoKafkaPortPinnedImagesNoRoot() throws Exception {
        JsonNode services = compose.path("services");
        assertTrue(services.path("kafka").path("ports").isMissingNode(), "Kafka is not published");
        services.fields().forEachRemaining(e -> {
            for (JsonNode mapping : e.getValue().path("ports")) {
                assertTrue(interpolate(mapping.asText()).startsWith("127.0.0.1:"),
                        e.getKey() + " publishes on loopback by default: " + mapping.asText());
            }
            String image = e.getValue().path("image").asText("");
            if (!image.isEmpty()) {
                assertTrue(image.contains(":") && !image.endsWith(":latest"), e.getKey() + " pins " + image);
                String user = e.getValue().path("user").asText("0");
                if (user.startsWith("0:") || user.equals("0")) {
                    // Only a one-shot job that hands a fresh volume to its non-root owner: no network, only CHOWN.
                    assertEquals("none", e.getValue().path("network_mode").asText(), e.getKey() + " runs as root");
                    assertEquals("[\"ALL\"]", e.getValue().path("cap_drop").toString(), e.getKey() + " runs as root");
                    assertEquals("[\"CHOWN\"]", e.getValue().path("cap_add").toString(), e.getKey() + " runs as root");
                    assertEquals("chown", e.getValue().path("entrypoint").path(0).asText(), e.getKey() + " runs as root");
                }
            }
        });
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("\nUSER 10001"), "the services' image runs as an unprivileged user");
        String notifyEnv = services.path("notify").path("environment").toString();
        assertTrue(notifyEnv.contains("${REELCARS_NOTIFY_ADMIN_PASSWORD:?"), "the first admin's password comes from .env");
        assertFalse(notifyEnv.contains("DEMO"), "no demo accounts in compose");
    }

    /** The example .env's values, as docker compose would substitute them from a copied .env. */
    static final Map<String, String> DOT_ENV = readDotEnv();

    private static Map<String, String> readDotEnv() {
        Map<String, String> env = new HashMap<>();
        try {
            for (String line : Files.readAllLines(ROOT.resolve(".env.example"))) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return env;
    }

    /** Compose's {@code ${VAR}}, {@code ${VAR:-default}} and {@code ${VAR:?error}}, with the example .env. */
    static String interpolate(String value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([A-Z0-9_]+)(?::([-?])([^}]*))?}")
                .matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = DOT_ENV.get(m.group(1));
            if (v == null && "?".equals(m.group(2))) {
                throw new AssertionError(m.group(1) + " is required by compose but missing from .env.example");
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(v != null ? v
                    : m.group(3) == null ? "" : m.group(3)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Settings environment(JsonNode service) {
        Map<String, String> env = new HashMap<>();
        service.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(),
                interpolate(e.getValue().asText())));
        return new Settings(env);
    }
}
