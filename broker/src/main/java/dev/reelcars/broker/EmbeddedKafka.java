package dev.reelcars.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) running inside this JVM, with its
 * log under a directory of ours so that a restart keeps every topic. It is the default for one-command runs and
 * for tests; production points {@code REELCARS_KAFKA_BOOTSTRAP_SERVERS} at a real cluster instead.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path logDir, int brokerPort, int controllerPort) {
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** Starts a broker on free ports. */
    public static EmbeddedKafka start(Path logDir) {
        return start(logDir, 0, 0);
    }

    /**
     * Starts a broker whose data lives in {@code logDir} (formatted on first use, reused after). A port of 0 picks a
     * free one. Returns once the broker answers requests.
     */
    public static EmbeddedKafka start(Path logDir, int brokerPort, int controllerPort) {
        EmbeddedKafka kafka = new EmbeddedKafka(logDir.toAbsolutePath(),
                brokerPort == 0 ? freePort() : brokerPort, controllerPort == 0 ? freePort() : controllerPort);
        kafka.startServer();
        return kafka;
    }

    public String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    public Path logDir() {
        return logDir;
    }

    /** Stops and starts the same broker on the same ports and data (for restart and outage tests). */
    public synchronized void restart() {
        stop();
        startServer();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    private synchronized void startServer() {
        long t0 = System.nanoTime();
        Properties props = brokerProperties();
        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(props);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka log dir " + logDir, e);
        }
        server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        server.startup();
        awaitReady(Duration.ofSeconds(60));
        log.info("embedded Kafka ready at {} in {} ms (data in {})", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), logDir);
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic must accept a single replica or the first group/transaction never starts.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        // The default 50 partitions make the first transaction wait seconds for their creation.
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        // Tests and first runs should not wait 3 s for a group's first rebalance.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Services create their topics with explicit settings; an auto-created topic would hide a mistake.
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        // A laptop-sized broker: small segments so compaction has something to do, little memory.
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        return p;
    }

    private void format(Properties props) throws IOException {
        Path config = logDir.resolveSibling(logDir.getFileName() + ".format.properties");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(w, "written by EmbeddedKafka to format the log dir");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // StorageTool.execute, not main: main calls System.exit.
        int rc = StorageTool.execute(new String[] {
            "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        Files.deleteIfExists(config);
        if (rc != 0) {
            throw new IllegalStateException("formatting Kafka storage failed: " + out.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady(Duration timeout) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("embedded Kafka not ready within " + timeout, e);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    /** Stops the broker; the data stays for the next start. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
