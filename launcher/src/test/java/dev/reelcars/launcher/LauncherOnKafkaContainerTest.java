package dev.reelcars.launcher;

import dev.reelcars.platform.Settings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same journey as {@link LauncherEndToEndTest}, against the official Apache Kafka image (the one compose runs)
 * instead of the embedded broker. Skipped, not failed, where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class LauncherOnKafkaContainerTest {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(DockerImageName.parse("apache/kafka:4.1.1"));

    @TempDir
    static Path dir;
    static Launcher stack;

    @BeforeAll
    static void startStack() throws Exception {
        Map<String, String> env = TestStack.settings(dir.resolve("data"));
        env.put("REELCARS_KAFKA_BOOTSTRAP_SERVERS", KAFKA.getBootstrapServers());
        stack = new Launcher(new Settings(env));
        stack.start();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    void uploadedStillIsProposedConfirmedAndRecordedOnARealKafkaContainer() {
        PipelineScenario.uploadIdentifyConfirm(stack);
    }

    @Test
    void stillWithoutAGalleryCarEndsAsNoMatchOnARealKafkaContainer() {
        PipelineScenario.stillWithoutKnownCarEndsAsNoMatch(stack);
    }
}
