package dev.reelcars.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) running inside this JVM, with its
 * log under a directory of ours so that a restart keeps every topic. It is the default for one-command runs and
 * for tests; production points {@code REELCARS_KAFKA_BOOTSTRAP_SERVERS} at a real cluster instead ({@link KafkaCluster}
 * is one in a test).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final int brokerPort;
    private final KafkaNode node;

    private EmbeddedKafka(Path logDir, int brokerPort, int controllerPort) {
        this.brokerPort = brokerPort;
        // A fresh id for a new directory; an existing directory keeps the id it was formatted with.
        this.node = new KafkaNode(logDir, brokerProperties(brokerPort, controllerPort), Uuid.randomUuid().toString());
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
                brokerPort == 0 ? KafkaNode.freePort() : brokerPort,
                controllerPort == 0 ? KafkaNode.freePort() : controllerPort);
        kafka.startServer();
        return kafka;
    }

    public String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    public Path logDir() {
        return node.logDir();
    }

    /** Stops and starts the same broker on the same ports and data (for restart and outage tests). */
    public synchronized void restart() {
        stop();
        startServer();
    }

    public synchronized boolean isRunning() {
        return node.isRunning();
    }

    private synchronized void startServer() {
        long t0 = System.nanoTime();
        node.start();
        KafkaNode.awaitBrokers(bootstrapServers(), ids -> !ids.isEmpty(), Duration.ofSeconds(60),
                "embedded Kafka ready");
        log.info("embedded Kafka ready at {} in {} ms (data in {})", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), node.logDir());
    }

    private static Properties brokerProperties(int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
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

    /** Stops the broker; the data stays for the next start. */
    public synchronized void stop() {
        node.stop();
    }

    @Override
    public void close() {
        stop();
    }
}
