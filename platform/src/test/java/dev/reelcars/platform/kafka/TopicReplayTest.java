package dev.reelcars.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.PoisonRecordException;
import dev.reelcars.platform.blob.BlobStore.BlobStoreException.Kind;
import dev.reelcars.platform.blob.BlobStore.BlobStoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Replaying a topic on mock clients: what is skipped into the dead-letter topic and what is waited for. */
class TopicReplayTest {
    private static final String TOPIC = "reelcars.references";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

    private TopicReplay replayOfOneRecord(RecordHandler handler) {
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.updateEndOffsets(Map.of(PARTITION, 1L));
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "ref-1",
                "{}".getBytes(StandardCharsets.UTF_8))));
        return new TopicReplay("test-replay", consumer, List.of(TOPIC), handler,
                new DeadLetters(producer, "test-replay"));
    }

    @Test
    void waitsOutABlobStoreOutageInsteadOfSkippingTheRecord() throws Exception {
        // Given a handler whose blob store is down for its first two tries
        AtomicInteger tries = new AtomicInteger();
        TopicReplay replay = replayOfOneRecord(record -> {
            if (tries.incrementAndGet() <= 2) {
                throw new BlobStoreException(Kind.UNAVAILABLE, "S3 is down", null);
            }
        });

        // When the topic is replayed
        try (replay) {
            replay.start();

            // Then the record is applied once the store is back, and nothing is dead-lettered
            assertTrue(replay.awaitCaughtUp(Duration.ofSeconds(30)), "caught up");
        }
        assertEquals(3, tries.get(), "two failed tries, then the one that worked");
        assertEquals(List.of(), producer.history(), "a good record is not dead-lettered for an outage");
    }

    @Test
    void deadLettersARecordThatCanNeverBeApplied() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        TopicReplay replay = replayOfOneRecord(record -> {
            tries.incrementAndGet();
            throw new PoisonRecordException("missing-blob", "blob gone", null);
        });

        try (replay) {
            replay.start();
            assertTrue(replay.awaitCaughtUp(Duration.ofSeconds(30)), "caught up");
        }
        assertEquals(1, tries.get(), "no retry for a poison record");
        assertEquals(1, producer.history().size(), "dead-lettered");
        assertEquals(TOPIC + ".dlt", producer.history().get(0).topic());
    }
}
