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
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.utils.Time;

/**
 * One Kafka server process's worth of KRaft (broker, controller or both, as its properties say) running inside this
 * JVM on a log directory of ours: the directory is formatted on first start and reused after, so a node stopped and
 * started again keeps its data, as a restarted machine would. {@link EmbeddedKafka} is one combined node;
 * {@link KafkaCluster} is a controller and several brokers.
 */
final class KafkaNode {
    private final Path logDir;
    private final Properties properties;
    private final String clusterId;
    private KafkaRaftServer server;

    /**
     * @param properties the node's server properties; {@code log.dirs} is set to {@code logDir}
     * @param clusterId the id every node of one cluster is formatted with
     */
    KafkaNode(Path logDir, Properties properties, String clusterId) {
        this.logDir = logDir.toAbsolutePath();
        this.properties = new Properties();
        this.properties.putAll(properties);
        this.properties.put("log.dirs", this.logDir.toString());
        this.clusterId = clusterId;
    }

    Path logDir() {
        return logDir;
    }

    /** Formats the log directory if it is new and starts the server; returns once it runs (not once it serves). */
    synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka log dir " + logDir, e);
        }
        KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(properties), Time.SYSTEM);
        s.startup();
        server = s;
    }

    synchronized boolean isRunning() {
        return server != null;
    }

    /** Stops the server and waits until it has; the data stays for the next start. */
    synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    private void format() throws IOException {
        Path config = logDir.resolveSibling(logDir.getFileName() + ".format.properties");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            properties.store(w, "written by KafkaNode to format the log dir");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // StorageTool.execute, not main: main calls System.exit.
        int rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString(),
            "--ignore-formatted"}, new PrintStream(out, true, StandardCharsets.UTF_8));
        Files.deleteIfExists(config);
        if (rc != 0) {
            throw new IllegalStateException("formatting Kafka storage in " + logDir + " failed: "
                    + out.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Waits until the brokers reachable through {@code bootstrapServers} that the controller counts as alive
     * (registered and not fenced) satisfy {@code ready}; {@link IllegalStateException} after {@code timeout}.
     */
    static void awaitBrokers(String bootstrapServers, Predicate<Set<Integer>> ready, Duration timeout, String what) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<Integer> seen = Set.of();
        Exception last = null;
        try (Admin admin = Admin.create(p)) {
            while (System.nanoTime() < deadline) {
                try {
                    seen = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                            .map(Node::id).collect(Collectors.toSet());
                    if (ready.test(seen)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
        throw new IllegalStateException(what + " not reached within " + timeout + "; live brokers " + seen, last);
    }

    /** A port free now; the node binds it a moment later and keeps it across restarts. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
