package dev.reelcars.platform.kafka;

import java.util.Objects;

/**
 * How a service reaches Kafka.
 *
 * @param bootstrapServers host:port list of the cluster
 * @param clientIdPrefix prefix of every client.id, so broker logs and metrics say which service and instance spoke
 * @param partitions partitions of the topics this deployment creates (the most identify instances that share work)
 * @param replicationFactor replicas of each topic created (1 for a single broker)
 */
public record KafkaSettings(String bootstrapServers, String clientIdPrefix, int partitions, short replicationFactor) {
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
    }

    public static KafkaSettings of(String bootstrapServers, String clientIdPrefix) {
        return new KafkaSettings(bootstrapServers, clientIdPrefix, 3, (short) 1);
    }

    public String clientId(String role) {
        return clientIdPrefix + "-" + role;
    }
}
