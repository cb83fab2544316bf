package dev.reelcars.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real multi-broker Kafka cluster (KRaft) inside this JVM, for tests of what replication promises: one dedicated
 * controller (node 0) and brokers 1..N, each on its own free loopback port and its own log directory under
 * {@code dir}. Any broker can be {@linkplain #kill(int) killed} and {@linkplain #restart(int) started again} on the
 * same port and data while the others go on.
 *
 * <p>Why a dedicated controller: a broker loss is then only a broker loss. With combined nodes, losing two of three
 * would also lose the controller quorum, after which the cluster can neither fence the dead brokers nor shrink an ISR,
 * and a test of "two brokers down refuse writes" would test a frozen cluster instead. A controller loss is not what
 * this fixture is for.
 *
 * <p>Kill, not a polite stop: brokers run with {@code controlled.shutdown.enable=false}, so a stopped broker hands
 * nothing over; the controller notices only because heartbeats stop, and fences it after {@link #SESSION_TIMEOUT}
 * (Kafka's default is 9 s; shortened so tests stay fast), as after a crash. Clients see their connections close.
 *
 * <p>Internal topics are replicated as a production cluster's should be: consumer offsets and transaction state on
 * {@code min(3, N)} brokers with {@code min.insync.replicas=min(2, N)}.
 */
public final class KafkaCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);
    /** How long the controller waits for a broker's heartbeat before fencing it (moving its leaderships away). */
    public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(500);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaNode controller;
    private final Map<Integer, KafkaNode> brokers = new LinkedHashMap<>();
    private final Map<Integer, Integer> ports = new LinkedHashMap<>();

    private KafkaCluster(Path dir, int brokerCount) {
        String clusterId = Uuid.randomUuid().toString();
        int controllerPort = KafkaNode.freePort();
        String voters = "0@localhost:" + controllerPort;
        controller = new KafkaNode(dir.resolve("controller"), controllerProperties(voters, controllerPort), clusterId);
        for (int id = 1; id <= brokerCount; id++) {
            int port = KafkaNode.freePort();
            ports.put(id, port);
            brokers.put(id, new KafkaNode(dir.resolve("broker-" + id),
                    brokerProperties(id, port, voters, brokerCount), clusterId));
        }
    }

    /** Starts a controller and {@code brokers} brokers with their data under {@code dir}; returns once all serve. */
    public static KafkaCluster start(Path dir, int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a cluster needs at least one broker, got " + brokers);
        }
        long t0 = System.nanoTime();
        KafkaCluster cluster = new KafkaCluster(dir.toAbsolutePath(), brokers);
        try {
            // All at once: a broker's start waits for the controller to register it, and most of a start is loading
            // and initialising the same server code, which overlaps well.
            List<KafkaNode> nodes = new ArrayList<>(cluster.brokers.values());
            nodes.add(0, cluster.controller);
            inParallel(nodes, KafkaNode::start);
            cluster.awaitLiveBrokers(cluster.brokers.keySet());
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        log.info("Kafka cluster of {} brokers ready at {} in {} ms", brokers, cluster.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return cluster;
    }

    /** Every broker's address, so a client finds the cluster whichever brokers are down. */
    public String bootstrapServers() {
        return ports.values().stream().map(p -> "localhost:" + p).collect(Collectors.joining(","));
    }

    public List<Integer> brokerIds() {
        return List.copyOf(brokers.keySet());
    }

    public boolean isRunning(int brokerId) {
        return broker(brokerId).isRunning();
    }

    /**
     * Stops a broker the way a crash would look to the rest of the cluster (no controlled shutdown) and returns once
     * it is stopped; the controller fences it about {@link #SESSION_TIMEOUT} later
     * ({@link #awaitLiveBrokers(Collection)} waits for that).
     */
    public void kill(int brokerId) {
        long t0 = System.nanoTime();
        broker(brokerId).stop();
        log.info("Kafka broker {} killed in {} ms", brokerId, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** Starts a killed broker again on its port and data, and returns once the controller counts it alive. */
    public void restart(int brokerId) {
        broker(brokerId).start();
        KafkaNode.awaitBrokers(bootstrapServers(), ids -> ids.contains(brokerId), READY_TIMEOUT,
                "broker " + brokerId + " registered");
    }

    /**
     * Waits until exactly {@code ids} are the brokers the controller counts alive: after a kill, until the dead
     * broker is fenced and its leaderships have moved; after a restart, until it has registered.
     */
    public void awaitLiveBrokers(Collection<Integer> ids) {
        Set<Integer> wanted = Set.copyOf(ids);
        KafkaNode.awaitBrokers(bootstrapServers(), wanted::equals, READY_TIMEOUT, "live brokers " + wanted);
    }

    /**
     * Waits until every partition of every topic (internal ones too) has all its replicas in sync again, as after a
     * restarted broker has caught up; {@link IllegalStateException} with the lagging partitions after
     * {@code timeout}.
     */
    public void awaitFullyReplicated(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> lagging = List.of();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                            .get(5, TimeUnit.SECONDS);
                    lagging = new ArrayList<>();
                    for (TopicDescription t : admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS)
                            .values()) {
                        for (TopicPartitionInfo p : t.partitions()) {
                            if (p.isr().size() < p.replicas().size()) {
                                lagging.add(t.name() + "-" + p.partition() + " isr " + p.isr().size() + "/"
                                        + p.replicas().size());
                            }
                        }
                    }
                    if (lagging.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    lagging = List.of(e.toString());
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for replication", e);
        }
        throw new IllegalStateException("not fully replicated within " + timeout + ": " + lagging);
    }

    /** An admin client on the cluster (the caller closes it). */
    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-cluster-fixture");
        return Admin.create(p);
    }

    /** Stops every broker, then the controller; the data stays in the directory. */
    @Override
    public void close() {
        try {
            inParallel(brokers.values(), KafkaNode::stop);
        } finally {
            controller.stop();
        }
    }

    /**
     * One thread per node (not the common pool, which has a single thread on a two-core machine); the first failure
     * is rethrown once all have finished.
     */
    private static void inParallel(Collection<KafkaNode> nodes, Consumer<KafkaNode> action) {
        ExecutorService threads = Executors.newFixedThreadPool(nodes.size());
        try {
            List<Future<?>> done = nodes.stream().map(n -> threads.submit(() -> action.accept(n)))
                    .collect(Collectors.toList());
            RuntimeException first = null;
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            threads.shutdown();
        }
    }

    private KafkaNode broker(int id) {
        KafkaNode b = brokers.get(id);
        if (b == null) {
            throw new IllegalArgumentException("no broker " + id + "; brokers are " + brokers.keySet());
        }
        return b;
    }

    private static Properties controllerProperties(String voters, int port) {
        Properties p = new Properties();
        p.put("process.roles", "controller");
        p.put("node.id", "0");
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "CONTROLLER://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT");
        p.put("broker.session.timeout.ms", String.valueOf(SESSION_TIMEOUT.toMillis()));
        // Nodes in one JVM share one metrics registry; JMX would refuse their same-named beans, noisily, for nothing.
        p.put("metrics.jmx.exclude", ".*");
        return p;
    }

    private static Properties brokerProperties(int id, int port, String voters, int brokerCount) {
        String replicas = String.valueOf(Math.min(3, brokerCount));
        String minIsr = String.valueOf(Math.min(2, brokerCount));
        Properties p = new Properties();
        p.put("process.roles", "broker");
        p.put("node.id", String.valueOf(id));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "PLAINTEXT://localhost:" + port);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        // A stop is a crash as far as the cluster can tell (see the class comment).
        p.put("controlled.shutdown.enable", "false");
        p.put("broker.heartbeat.interval.ms", String.valueOf(HEARTBEAT_INTERVAL.toMillis()));
        // Internal topics as a production cluster keeps them: a consumer group's offsets and a transaction's state
        // must survive a broker too, or identify's exactly-once loop would stop with it.
        p.put("offsets.topic.replication.factor", replicas);
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", minIsr);
        // The default 50 partitions make the first transaction wait seconds for their creation.
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", replicas);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("default.replication.factor", replicas);
        p.put("min.insync.replicas", minIsr);
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        // Several brokers share a test JVM on a small machine: few threads and little memory each.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("num.replica.fetchers", "1");
        p.put("background.threads", "2");
        p.put("log.cleaner.threads", "1");
        p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        // Nodes in one JVM share one metrics registry; JMX would refuse their same-named beans, noisily, for nothing.
        p.put("metrics.jmx.exclude", ".*");
        return p;
    }
}
