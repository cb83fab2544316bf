package dev.reelcars.launcher;

import dev.reelcars.platform.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole stack for one test class: embedded broker, identify, notify and ingest on free ports, in a fresh data
 * directory, with the demo gallery; started before the class's tests and stopped (data deleted) after them.
 *
 * <pre>{@code @RegisterExtension static final TestStack STACK = TestStack.with(Map.of("REELCARS_CONSENSUS", "2"));}</pre>
 */
final class TestStack implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> overrides;
    private Path dir;
    private Launcher launcher;

    private TestStack(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    static TestStack withDefaults() {
        return new TestStack(Map.of());
    }

    static TestStack with(Map<String, String> overrides) {
        return new TestStack(overrides);
    }

    /** The settings of a test stack in {@code dataDir}: free ports, one confirmation, the demo accounts. */
    static Map<String, String> settings(Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("REELCARS_DATA_DIR", dataDir.toString());
        env.put("REELCARS_LAUNCHER_KAFKA_PORT", "0");
        env.put("REELCARS_LAUNCHER_KAFKA_CONTROLLER_PORT", "0");
        env.put("REELCARS_INGEST_PORT", "0");
        env.put("REELCARS_NOTIFY_PORT", "0");
        env.put("REELCARS_IDENTIFY_PORT", "0");
        env.put("REELCARS_CATALOGUE_PORT", "0");
        env.put("REELCARS_CONSENSUS", "1");
        env.put("REELCARS_LAUNCHER_DEMO_ACCOUNTS", "true");
        // Argon2id at OWASP's cost is measured in the accounts module's tests; stacks sign in often, so cheaper here.
        env.put("REELCARS_PASSWORD_MEMORY_KIB", "1024");
        // Every test client comes from 127.0.0.1: the per-address sign-in limit is the accounts module's to test.
        env.put("REELCARS_SIGNIN_PER_ADDRESS_PER_MINUTE", "10000");
        return env;
    }

    Launcher launcher() {
        return launcher;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("reelcars-stack");
        Map<String, String> env = settings(dir.resolve("data"));
        env.putAll(overrides);
        launcher = new Launcher(new Settings(env));
        launcher.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (launcher != null) {
            launcher.stop();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
