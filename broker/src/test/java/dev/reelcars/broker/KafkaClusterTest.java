package dev.reelcars.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClusterTest {
    private static final String TOPIC = "replicated";

    @Test
    void aKilledLeaderIsReplacedTwoKilledRefuseWritesAndRestartedBrokersCatchUp(@TempDir Path dir) throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(dir, 3)) {
            // Given a topic on all three brokers that needs two in sync for an acknowledgement
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3)
                        .configs(Map.of("min.insync.replicas", "2")))).all().get();
            }
            produce(cluster, "before");
            int leader = leader(cluster);

            // When its leader is killed
            cluster.kill(leader);
            cluster.awaitLiveBrokers(others(cluster, leader));

            // Then another broker leads and a write is acknowledged
            produce(cluster, "one down");
            int second = leader(cluster);
            assertNotEquals(leader, second, "the killed broker no longer leads");

            // When the new leader is killed too
            cluster.kill(second);
            cluster.awaitLiveBrokers(others(cluster, leader, second));

            // Then the broker left leads alone, and a write is refused rather than acknowledged on one copy (the
            // broker answers NOT_ENOUGH_REPLICAS, which the producer retries until its delivery timeout)
            int last = others(cluster, leader, second).get(0);
            TopicPartitionInfo partition = partition(cluster);
            assertEquals(last, partition.leader().id(), "the last broker leads: " + partition);
            assertEquals(1, partition.isr().size(), "one replica in sync: " + partition);
            ExecutionException refused = assertThrows(ExecutionException.class, () -> produce(cluster, "two down"));
            assertInstanceOf(TimeoutException.class, refused.getCause(), "the send gives up: " + refused);

            // And when both come back they catch up, with exactly the acknowledged records
            cluster.restart(leader);
            cluster.restart(second);
            cluster.awaitFullyReplicated(Duration.ofSeconds(60));
            assertEquals(List.of("before", "one down"), readAll(cluster, 2),
                    "acknowledged records survive two broker losses; the refused one was never written");
        }
    }

    private static List<Integer> others(KafkaCluster cluster, Integer... dead) {
        List<Integer> alive = new ArrayList<>(cluster.brokerIds());
        alive.removeAll(List.of(dead));
        return alive;
    }

    private static int leader(KafkaCluster cluster) throws Exception {
        return partition(cluster).leader().id();
    }

    private static TopicPartitionInfo partition(KafkaCluster cluster) throws Exception {
        try (Admin admin = cluster.admin()) {
            return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().get(0);
        }
    }

    private static void produce(KafkaCluster cluster, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Long enough to ride out a leader election, short enough to report a refusal quickly.
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 6_000);
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            try {
                producer.send(new ProducerRecord<>(TOPIC, "k", value)).get();
            } finally {
                producer.close(Duration.ZERO);
            }
        }
    }

    private static List<String> readAll(KafkaCluster cluster, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // Past the expected count for a moment, so an extra record would be seen too.
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                if (values.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
            }
        }
        return values;
    }
}
