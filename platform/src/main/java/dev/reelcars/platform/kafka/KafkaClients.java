package dev.reelcars.platform.kafka;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Every Kafka client reelcars uses is built here, so each setting and its reason is in one place. */
public final class KafkaClients {
    private KafkaClients() {
    }

    public static KafkaProducer<String, byte[]> producer(KafkaSettings kafka, String role) {
        return new KafkaProducer<>(producerProperties(kafka, role));
    }

    /**
     * A transactional producer for read-process-write loops: its output and the consumed offsets commit together,
     * so each input yields its output exactly once even across crashes and rebalances (KIP-447 fencing by group
     * generation, so one id per instance is enough).
     */
    public static KafkaProducer<String, byte[]> transactionalProducer(KafkaSettings kafka, String role,
            String transactionalId) {
        Properties p = producerProperties(kafka, role);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        // A transaction left open by a crashed instance is aborted after this long, unblocking read_committed readers.
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        return new KafkaProducer<>(p);
    }

    private static Properties producerProperties(KafkaSettings kafka, String role) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, kafka.clientId(role));
        // No duplicates from producer retries, and no loss: a send completes only when every in-sync replica has it.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Bounded: an upload waits at most this long for a broker before it is told to retry (503), never forever.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        // Events are small and latency matters more than batching for a human waiting on the page.
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    /** A consumer in a group that shares partitions and commits by hand after the work is durable. */
    public static KafkaConsumer<String, byte[]> groupConsumer(KafkaSettings kafka, String role, String groupId) {
        Properties p = baseConsumer(kafka, role);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // Offsets are committed only after the output of a record is acknowledged by the broker.
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new group starts from the oldest still, so nothing submitted before the first start is skipped.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Matching is ~tens of ms per still; small batches keep a rebalance from waiting on a long batch.
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
        return new KafkaConsumer<>(p);
    }

    /**
     * A consumer in a group whose records are long jobs (a film scan takes minutes to hours): one record per poll,
     * and offsets committed by hand when the job's work is durable. The job's thread polls its paused partitions
     * between checkpoints, so the group sees it alive; the poll interval allows for a slow checkpoint.
     */
    public static KafkaConsumer<String, byte[]> jobConsumer(KafkaSettings kafka, String role, String groupId) {
        Properties p = baseConsumer(kafka, role);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);
        // Round robin deals consecutive partitions to different members, so jobs written to consecutive partitions
        // (a film's segments) run on different instances; the range assignor would give neighbours to one member.
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RoundRobinAssignor.class.getName());
        return new KafkaConsumer<>(p);
    }

    /** A consumer with no group that reads whole topics from the beginning (state rebuilt from Kafka). */
    public static KafkaConsumer<String, byte[]> replayConsumer(KafkaSettings kafka, String role) {
        Properties p = baseConsumer(kafka, role);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p);
    }

    private static Properties baseConsumer(KafkaSettings kafka, String role) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, kafka.clientId(role));
        // Only committed data (idempotent producers write no aborted data; this just keeps reads conservative).
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }
}
