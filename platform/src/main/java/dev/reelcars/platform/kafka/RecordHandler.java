package dev.reelcars.platform.kafka;

import dev.reelcars.events.PoisonRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Processes one record. It returns only when its output is durable (produced and acknowledged), because the loop
 * commits the offset as soon as it returns. Throw {@link PoisonRecordException} for a record that can never work.
 */
@FunctionalInterface
public interface RecordHandler {
    void handle(ConsumerRecord<String, byte[]> record) throws Exception;
}
