package dev.reelcars.testkit;

import dev.reelcars.broker.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded Kafka broker for a test class, in a temporary directory:
 * {@code @RegisterExtension static final EmbeddedBroker broker = new EmbeddedBroker();} then {@code broker.kafka()}.
 * The broker starts on first use, so a class whose assumptions skip it (no ffmpeg, say) starts none, and stops with its
 * directory after the class's last test.
 */
public final class EmbeddedBroker implements AfterAllCallback {
    private EmbeddedKafka kafka;
    private Path dir;

    /** The broker, started on the first call. */
    public synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            try {
                dir = Files.createTempDirectory("reelcars-broker");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        }
        return kafka;
    }

    public String bootstrapServers() {
        return kafka().bootstrapServers();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws IOException {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            dir = null;
        }
    }
}
