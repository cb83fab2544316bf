package dev.reelcars.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.Settings;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The release check runs docker-compose.yml with deploy/docker-compose.check.yml over it (deploy/README.md). What
 * it proves holds for the user-facing file only while the override changes values and images, never the shape: the
 * same services (plus the brokers kafka-2 and kafka-3, copies of kafka), the same environment keys, the same
 * container ports and volume paths. The override is merged here as compose merges it: maps key by key, volumes by
 * container path, {@code ports: !override} replaced, {@code extends} starting from the user file's service.
 */
class ComposeCheckOverrideTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static JsonNode user;
    static JsonNode override;
    /** The services as compose sees them with both files: name → merged definition. */
    static final Map<String, ObjectNode> merged = new HashMap<>();

    @BeforeAll
    static void parse() throws Exception {
        user = ComposeFileTest.compose;
        if (user == null) {
            ComposeFileTest.parse();
            user = ComposeFileTest.compose;
        }
        override = load("deploy/docker-compose.check.yml");
        override.path("services").fields().forEachRemaining(e -> {
            JsonNode extended = e.getValue().path("extends").path("service");
            JsonNode base = user.path("services").path(extended.isMissingNode() ? e.getKey() : extended.asText());
            merged.put(e.getKey(), merge(base.isObject() ? base.deepCopy() : MAPPER.createObjectNode(), e.getValue()));
        });
    }

    /** YAML with anchors and merge keys resolved (SnakeYAML does); compose's own tags are dropped first. */
    static JsonNode load(String path) throws Exception {
        String text = Files.readString(ComposeFileTest.ROOT.resolve(path)).replace(" !override", "");
        return MAPPER.valueToTree(new Yaml().load(text));
    }

    @Test
    void overridesOnlyServicesOfTheUserFileAndAddsOnlyCopiesOfItsBroker() {
        Set<String> added = new TreeSet<>();
        override.path("services").fields().forEachRemaining(e -> {
            if (!user.path("services").has(e.getKey())) {
                assertEquals("kafka", e.getValue().path("extends").path("service").asText(),
                        e.getKey() + " is not in docker-compose.yml, so it must be a copy of its kafka service");
                assertEquals("docker-compose.yml", e.getValue().path("extends").path("file").asText());
                added.add(e.getKey());
            }
        });
        assertEquals(Set.of("kafka-2", "kafka-3"), added, "the check adds two brokers and nothing else");
    }

    @Test
    void keepsEveryServicesEnvironmentKeys() {
        merged.forEach((name, service) -> {
            String origin = user.path("services").has(name) ? name : "kafka";
            assertEquals(keys(user.path("services").path(origin).path("environment")),
                    keys(service.path("environment")),
                    name + " sets the same settings in the check as " + origin + " in docker-compose.yml");
        });
    }

    @Test
    void keepsContainerPortsVolumePathsHealthchecksAndUsers() {
        merged.forEach((name, service) -> {
            JsonNode origin = user.path("services").path(user.path("services").has(name) ? name : "kafka");
            assertEquals(containerPorts(origin), containerPorts(service), name + " listens on the same ports");
            for (JsonNode mapping : service.path("ports")) {
                assertTrue(mapping.asText().startsWith("127.0.0.1:"), name + " publishes on loopback: " + mapping);
            }
            assertEquals(volumePaths(origin), volumePaths(service), name + " mounts volumes at the same paths");
            assertEquals(origin.path("healthcheck").path("test"), service.path("healthcheck").path("test"),
                    name + " is checked by the same command");
            assertEquals(origin.path("user"), service.path("user"), name + " runs as the same user");
            assertEquals(origin.path("command"), service.path("command"), name + " gets the same command");
            assertEquals(origin.path("entrypoint"), service.path("entrypoint"), name + " gets the same entrypoint");
            assertEquals(origin.path("depends_on"), service.path("depends_on"), name + " waits for the same services");
        });
    }

    @Test
    void theCheckSetsEveryVariableTheUserFileRequires() throws Exception {
        // Given the variables docker-compose.yml refuses to start without (${VAR:?...}) and the keys compose-check.sh
        // writes into its one-run .env
        java.util.Set<String> required = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([A-Z0-9_]+):\\?")
                .matcher(Files.readString(ComposeFileTest.ROOT.resolve("docker-compose.yml")));
        while (m.find()) {
            required.add(m.group(1));
        }
        String script = Files.readString(ComposeFileTest.ROOT.resolve("deploy/compose-check.sh"));
        String envFile = script.substring(script.indexOf("check.env\" <<EOF\n"), script.indexOf("\nEOF\n"));
        java.util.Set<String> written = new java.util.TreeSet<>();
        for (String line : envFile.split("\n")) {
            if (line.matches("[A-Z0-9_]+=.*")) {
                written.add(line.substring(0, line.indexOf('=')));
            }
        }
        // Then the check provides each one (a renamed key in compose must be renamed in the check too)
        assertTrue(!required.isEmpty(), "compose requires its secrets");
        assertTrue(written.containsAll(required), "compose requires " + required + ", the check writes " + written);
    }

    @Test
    void swapsPulledImagesAndTheMavenBuildForLocalStandIns() throws Exception {
        String dockerfile = Files.readString(ComposeFileTest.ROOT.resolve("Dockerfile"));
        String standIn = Files.readString(ComposeFileTest.ROOT.resolve("deploy/standins/service/Dockerfile"));
        for (String line : List.of("ARG SERVICE", "ARG JAR=${SERVICE}", "USER 10001:10001",
                "ENV REELCARS_DATA_DIR=/data", "ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=75\", \"-jar\", \"/app/service.jar\"]")) {
            assertTrue(dockerfile.contains("\n" + line + "\n"), "the Dockerfile has " + line);
            assertTrue(standIn.contains("\n" + line + "\n"), "the check's service image has it too: " + line);
        }
        merged.forEach((name, service) -> {
            assertTrue(service.path("image").asText().startsWith("reelcars-local/"),
                    name + " runs a locally built stand-in, never a pulled image: " + service.path("image"));
            JsonNode origin = user.path("services").path(name);
            if (origin.has("build")) {
                assertEquals(origin.path("build").path("args"), service.path("build").path("args"),
                        name + " is built for the same SERVICE (and JAR) as docker-compose.yml builds it");
            }
        });
    }

    @Test
    void runsAClusterOfThreeBrokersThatLosesNothingWithOneDown() {
        List<String> brokers = List.of("kafka", "kafka-2", "kafka-3");
        Set<String> nodeIds = new TreeSet<>();
        List<String> advertised = new ArrayList<>();
        for (String b : brokers) {
            JsonNode env = merged.get(b).path("environment");
            nodeIds.add(env.path("KAFKA_NODE_ID").asText());
            advertised.add(env.path("KAFKA_ADVERTISED_LISTENERS").asText().replace("PLAINTEXT://", ""));
            assertEquals("1@kafka:9093,2@kafka-2:9093,3@kafka-3:9093",
                    env.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText(), b + " knows the three controllers");
            assertEquals("2", env.path("KAFKA_MIN_INSYNC_REPLICAS").asText(),
                    b + ": an accepted record is on two brokers, so losing one loses nothing");
            assertEquals("3", env.path("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR").asText());
            assertEquals("3", env.path("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR").asText());
        }
        assertEquals(Set.of("1", "2", "3"), nodeIds);
        assertEquals(List.of("kafka:9092", "kafka-2:9092", "kafka-3:9092"), advertised);
        for (String name : List.of("ingest", "identify", "notify", "catalogue", "demo-gallery")) {
            Map<String, String> env = new HashMap<>();
            merged.get(name).path("environment").fields().forEachRemaining(e -> env.put(e.getKey(),
                    ComposeFileTest.interpolate(e.getValue().asText())));
            Common common = Common.from(new Settings(env), name);
            assertEquals(Set.copyOf(advertised), Set.of(common.kafka().bootstrapServers().split(",")),
                    name + " bootstraps from every broker, so it starts and reconnects with any one down");
            assertEquals(3, common.kafka().replicationFactor(), name + " creates its topics on all three brokers");
        }
    }

    /** Compose's merge of an override into a service: maps key by key, volumes by container path, the rest replaced. */
    static ObjectNode merge(ObjectNode base, JsonNode over) {
        over.fields().forEachRemaining(e -> {
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.equals("extends")) {
                return;
            }
            if (value.isObject() && base.path(key).isObject()) {
                merge((ObjectNode) base.get(key), value);
            } else if (key.equals("volumes") && base.path(key).isArray()) {
                Map<String, JsonNode> byPath = new java.util.LinkedHashMap<>();
                base.get(key).forEach(v -> byPath.put(v.asText().split(":")[1], v));
                value.forEach(v -> byPath.put(v.asText().split(":")[1], v));
                base.set(key, MAPPER.valueToTree(byPath.values()));
            } else {
                base.set(key, value);
            }
        });
        return base;
    }

    static Set<String> keys(JsonNode map) {
        Set<String> keys = new TreeSet<>();
        map.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    static Set<String> containerPorts(JsonNode service) {
        Set<String> ports = new TreeSet<>();
        service.path("ports").forEach(p -> ports.add(p.asText().substring(p.asText().lastIndexOf(':') + 1)));
        return ports;
    }

    static Set<String> volumePaths(JsonNode service) {
        Set<String> paths = new TreeSet<>();
        service.path("volumes").forEach(v -> paths.add(v.asText().split(":")[1]));
        return paths;
    }
}
