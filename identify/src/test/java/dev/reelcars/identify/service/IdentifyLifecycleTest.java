package dev.reelcars.identify.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.reelcars.broker.EmbeddedKafka;
import dev.reelcars.platform.Settings;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** identify's start and stop: whatever start() opened is closed again, also when start() fails half-way. */
class IdentifyLifecycleTest {
    @TempDir
    static Path dir;
    static EmbeddedKafka broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafka.start(dir.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aStartThatFailsOnATakenPortLeavesNoThreadBehind() throws Exception {
        String instance = "identify-lifecycle-" + UUID.randomUUID();
        try (ServerSocket taken = new ServerSocket(0)) {
            // Given identify configured with a port that something else holds
            IdentifyService identify = new IdentifyService(IdentifyConfig.from(settings(instance,
                    taken.getLocalPort())));

            // When it starts, its gallery replay and producer already open when the port turns out to be taken
            assertThrows(Exception.class, identify::start);
            identify.stop();

            // Then none of its threads is left: no gallery replay, no Kafka client
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertEquals(List.of(), threads(instance), "threads left after the failed start"));
        }
    }

    @Test
    void stopEndsEveryThreadStartOpened() throws Exception {
        // Given identify started and running
        String instance = "identify-lifecycle-" + UUID.randomUUID();
        IdentifyService identify = new IdentifyService(IdentifyConfig.from(settings(instance, 0)));
        identify.start();
        assertFalse(threads(instance).isEmpty(), "its threads are named for the instance or the gallery replay");

        // When it stops, twice
        identify.stop();
        identify.stop();

        // Then no thread of it is left
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertEquals(List.of(), threads(instance), "threads left after stop"));
    }

    private static Settings settings(String instance, int port) {
        String prefix = "t" + UUID.randomUUID() + ".";
        return new Settings(Map.of(
                "REELCARS_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "REELCARS_TOPIC_PREFIX", prefix,
                "REELCARS_BLOB_STORE", dir.resolve("blobs-" + prefix).toString(),
                "REELCARS_INSTANCE_ID", instance,
                "REELCARS_IDENTIFY_PORT", String.valueOf(port),
                "REELCARS_IDENTIFY_GROUP_ID", "identify-" + prefix));
    }

    /** Live threads of this identify: its Kafka clients carry the instance id; the gallery replay has a fixed name. */
    private static List<String> threads(String instance) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.contains(instance) || name.equals("identify-gallery")
                        || name.equals("identify-stills"))
                .toList();
    }
}
