package dev.reelcars.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reelcars.contracts.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole stack in one JVM on the embedded broker, driven through its real HTTP APIs. */
class LauncherEndToEndTest {
    @TempDir
    static Path dir;
    static Launcher stack;
    static int galleryAtStart;

    static Map<String, String> testSettings(Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("REELCARS_DATA_DIR", dataDir.toString());
        env.put("REELCARS_KAFKA_PORT", "0");
        env.put("REELCARS_KAFKA_CONTROLLER_PORT", "0");
        env.put("INGEST_PORT", "0");
        env.put("REELCARS_NOTIFY_PORT", "0");
        env.put("REELCARS_IDENTIFY_PORT", "0");
        env.put("REELCARS_CONSENSUS", "1");
        env.put("REELCARS_DEMO_REVIEWER", "true");
        return env;
    }

    @BeforeAll
    static void startStack() throws Exception {
        stack = new Launcher(new Settings(testSettings(dir.resolve("data"))));
        stack.start();
        galleryAtStart = stack.identify().gallerySize();
    }

    @AfterAll
    static void stopStack() {
        stack.stop();
    }

    @Test
    void loadsTheDemoGalleryOnFirstStart() {
        assertEquals(DemoGallery.entries().size(), galleryAtStart,
                "every demo reference view is in identify's gallery");
    }

    @Test
    void uploadedStillOfADemoCarIsProposedConfirmedAndRecordedInKafka() {
        PipelineScenario.uploadIdentifyConfirm(stack);
    }

    @Test
    void stillWithoutAGalleryCarEndsAsNoMatch() {
        PipelineScenario.stillWithoutKnownCarEndsAsNoMatch(stack);
    }
}
