package dev.reelcars.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic once, from the beginning to its end at the time of the call (tools and tests). */
public final class TopicReader {
    private TopicReader() {
    }

    /**
     * Every committed record on {@code topic} now, in the order polled.
     *
     * @throws IllegalStateException when the end is not reached within {@code timeout}
     */
    public static List<ConsumerRecord<String, byte[]>> readAll(KafkaSettings kafka, String role, String topic,
            Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.replayConsumer(kafka, role)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within "
                            + timeout.toMillis() + " ms");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }
}
