package dev.reelcars.platform.kafka;

import java.util.Objects;

/**
 * How a service reaches Kafka, and how the topics it creates are replicated.
 *
 * @param bootstrapServers host:port list of the cluster
 * @param clientIdPrefix prefix of every client.id, so broker logs and metrics say which service and instance spoke
 * @param partitions partitions of the topics this deployment creates (the most identify instances that share work)
 * @param replicationFactor replicas of each topic created (1 for a single broker, 3 for a cluster that must survive
 *     the loss of a broker)
 * @param minInsyncReplicas {@code min.insync.replicas} of each topic created: how many replicas must hold a record
 *     before the broker acknowledges it to our {@code acks=all} producers; with fewer in sync the broker refuses the
 *     write (the upload is answered 503) instead of accepting it on too few copies
 */
public record KafkaSettings(String bootstrapServers, String clientIdPrefix, int partitions, short replicationFactor,
        short minInsyncReplicas) {
    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must not be blank");
        }
        Objects.requireNonNull(clientIdPrefix, "clientIdPrefix");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, got " + replicationFactor);
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            // More than the replicas that exist would refuse every write for ever.
            throw new IllegalArgumentException("minInsyncReplicas must be in 1.." + replicationFactor
                    + " (the replication factor), got " + minInsyncReplicas);
        }
    }

    /** Settings with {@link #defaultMinInsyncReplicas(short) the default min.insync.replicas} for the factor. */
    public KafkaSettings(String bootstrapServers, String clientIdPrefix, int partitions, short replicationFactor) {
        this(bootstrapServers, clientIdPrefix, partitions, replicationFactor,
                defaultMinInsyncReplicas(replicationFactor));
    }

    public static KafkaSettings of(String bootstrapServers, String clientIdPrefix) {
        return new KafkaSettings(bootstrapServers, clientIdPrefix, 3, (short) 1);
    }

    /**
     * Two copies before an acknowledgement where there are two or more replicas, so an accepted record survives the
     * loss of any one broker; 1 on a single broker, where there is nothing else to wait for. With a factor of 3 the
     * cluster then keeps accepting writes with one broker down and refuses them with two down.
     */
    public static short defaultMinInsyncReplicas(short replicationFactor) {
        return (short) Math.max(1, Math.min(2, replicationFactor));
    }

    public String clientId(String role) {
        return clientIdPrefix + "-" + role;
    }
}
