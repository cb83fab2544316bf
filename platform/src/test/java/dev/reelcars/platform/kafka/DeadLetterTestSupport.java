package dev.reelcars.platform.kafka;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

final class DeadLetterTestSupport {
    private DeadLetterTestSupport() {
    }

    static ConsumerRecord<String, byte[]> readOne(KafkaSettings kafka, String topic) {
        try (var consumer = KafkaClients.replayConsumer(kafka, "dlt-reader")) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    return r;
                }
            }
        }
        throw new AssertionError("no record on " + topic + " within 30 s");
    }
}
