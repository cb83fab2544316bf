package dev.reelcars.platform;

import dev.reelcars.events.Topics;
import dev.reelcars.platform.blob.BlobStoreConfig;
import dev.reelcars.platform.kafka.KafkaSettings;
import dev.reelcars.platform.metrics.Metrics;
import java.nio.file.Path;

/**
 * The settings every service shares, read from {@link Settings}: the Kafka cluster (replication and
 * {@code min.insync.replicas}, see {@link KafkaSettings}), topic names, the instance id, the data directory, the blob
 * store ({@link BlobStoreConfig}) and who may read metrics ({@link Metrics.Access}). The keys, their defaults and
 * meanings are declared in {@link CommonKeys}.
 */
public record Common(KafkaSettings kafka, Topics topics, Path dataDir, BlobStoreConfig blobStore,
        Metrics.Access metrics) {

    public static Common from(Settings s, String serviceName) {
        // Unique per running instance: it names the Kafka clients and identify's transactional id, so two scaled
        // containers (each pid 1) must differ by host name.
        String instance = s.string(CommonKeys.INSTANCE_ID,
                serviceName + "-" + s.string(CommonKeys.HOSTNAME) + "-" + ProcessHandle.current().pid());
        short replication = (short) s.integer(CommonKeys.REPLICATION_FACTOR, 1, 10);
        KafkaSettings kafka = new KafkaSettings(
                s.string(CommonKeys.KAFKA_BOOTSTRAP_SERVERS),
                "reelcars-" + instance,
                s.integer(CommonKeys.PARTITIONS, 1, 1000),
                replication,
                (short) s.integer(CommonKeys.MIN_INSYNC_REPLICAS,
                        KafkaSettings.defaultMinInsyncReplicas(replication), 1, replication));
        Topics topics = Topics.withPrefix(s.string(CommonKeys.TOPIC_PREFIX));
        Path dataDir = s.path(CommonKeys.DATA_DIR);
        return new Common(kafka, topics, dataDir, BlobStoreConfig.from(s, dataDir), Metrics.Access.from(s));
    }

    /** These settings on another cluster (the launcher's embedded broker, whose address is known once it runs). */
    public Common withBootstrapServers(String bootstrapServers) {
        return new Common(new KafkaSettings(bootstrapServers, kafka.clientIdPrefix(), kafka.partitions(),
                kafka.replicationFactor()), topics, dataDir, blobStore, metrics);
    }

    /**
     * The blob store's directory, for tests and tools that look at its files; {@link IllegalStateException} when
     * blobs are kept in S3.
     */
    public Path blobDir() {
        if (blobStore instanceof BlobStoreConfig.Directory d) {
            return d.root();
        }
        throw new IllegalStateException("blobs are not in a directory but in " + blobStore);
    }
}
