package dev.reelcars.platform;

import dev.reelcars.events.Topics;
import dev.reelcars.platform.blob.BlobStoreConfig;
import dev.reelcars.platform.kafka.KafkaSettings;
import dev.reelcars.platform.metrics.Metrics;
import java.nio.file.Path;

/**
 * The settings every service shares, read from {@link Settings}:
 * <ul>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} (default {@code localhost:9092}): the cluster;</li>
 *   <li>{@code REELCARS_TOPIC_PREFIX} (default {@code reelcars.}): prefix of every topic name;</li>
 *   <li>{@code REELCARS_PARTITIONS} (default 3): partitions of topics this deployment creates;</li>
 *   <li>{@code REELCARS_REPLICATION_FACTOR} (default 1) and {@code REELCARS_MIN_INSYNC_REPLICAS} (default
 *       {@code min(2, factor)}): replicas of the topics created, and how many must hold a record before it is
 *       acknowledged, see {@link KafkaSettings};</li>
 *   <li>{@code REELCARS_INSTANCE_ID} (default {@code <service>-<HOSTNAME>-<pid>}): names this instance's Kafka
 *       clients and identify's transactional id; must differ between instances running at once;</li>
 *   <li>{@code REELCARS_DATA_DIR} (default {@code ./data}): local state; blobs live in {@code <dir>/blobs}
 *       unless {@code REELCARS_BLOB_STORE} (or the older {@code REELCARS_BLOB_DIR}) says otherwise: another
 *       directory (a shared volume in compose) or an S3 bucket, see {@link BlobStoreConfig};</li>
 *   <li>{@code REELCARS_METRICS_TOKEN} (default unset): who may read {@code GET /metrics}, see
 *       {@link Metrics.Access}.</li>
 * </ul>
 */
public record Common(KafkaSettings kafka, Topics topics, Path dataDir, BlobStoreConfig blobStore,
        Metrics.Access metrics) {

    public static Common from(Settings s, String serviceName) {
        // Unique per running instance: it names the Kafka clients and identify's transactional id, so two scaled
        // containers (each pid 1) must differ by host name.
        String instance = s.string("REELCARS_INSTANCE_ID",
                serviceName + "-" + s.string("HOSTNAME", "local") + "-" + ProcessHandle.current().pid());
        short replication = (short) s.integer("REELCARS_REPLICATION_FACTOR", 1, 1, 10);
        KafkaSettings kafka = new KafkaSettings(
                s.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                "reelcars-" + instance,
                s.integer("REELCARS_PARTITIONS", 3, 1, 1000),
                replication,
                (short) s.integer("REELCARS_MIN_INSYNC_REPLICAS",
                        KafkaSettings.defaultMinInsyncReplicas(replication), 1, replication));
        Topics topics = Topics.withPrefix(s.string("REELCARS_TOPIC_PREFIX", Topics.DEFAULT_PREFIX));
        Path dataDir = s.path("REELCARS_DATA_DIR", Path.of("data"));
        return new Common(kafka, topics, dataDir, BlobStoreConfig.from(s, dataDir), Metrics.Access.from(s));
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
