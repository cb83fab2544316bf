package dev.reelcars.launcher;

import dev.reelcars.events.Topics;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.kafka.DeadLetters;
import dev.reelcars.platform.kafka.KafkaClients;
import dev.reelcars.platform.kafka.TopicReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Inspect and replay dead letters: {@code reelcars dlt list [TOPIC]} prints every dead-lettered record of a
 * consumed topic (or of all of them) with why it failed; {@code reelcars dlt replay TOPIC} sends each dead letter
 * not replayed before back to its original topic, once the cause is fixed (a missing blob restored, a consumer
 * upgraded to a newer schema). Replay progress is a consumer-group offset, so replaying twice sends nothing twice.
 */
final class DeadLetterTool {
    static final String REPLAYED_FROM = "dlt.replayed-from";
    /** How long listing may take to read a dead-letter topic to its end before it gives up. */
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(60);

    private final Common common;
    private final PrintStream out;

    DeadLetterTool(Common common, PrintStream out) {
        this.common = common;
        this.out = out;
    }

    int run(List<String> args) throws Exception {
        if (args.isEmpty() || !(args.get(0).equals("list") || args.get(0).equals("replay"))) {
            out.println("usage: reelcars dlt list [TOPIC]   |   reelcars dlt replay TOPIC");
            out.println("  TOPIC: a consumed topic (" + String.join(", ", common.topics().all()) + ")");
            return 2;
        }
        List<String> topics = args.size() > 1 ? List.of(args.get(1)) : common.topics().all();
        for (String t : topics) {
            if (!common.topics().all().contains(t)) {
                out.println("unknown topic " + t + "; one of " + common.topics().all());
                return 2;
            }
        }
        if (args.get(0).equals("list")) {
            int n = 0;
            for (String topic : topics) {
                n += list(topic);
            }
            out.println(n + " dead letter(s)");
            return 0;
        }
        if (args.size() < 2) {
            out.println("replay needs the topic whose dead letters to send back");
            return 2;
        }
        out.println("replayed " + replay(topics.get(0)) + " dead letter(s) to " + topics.get(0));
        return 0;
    }

    int list(String topic) {
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readAll(common.kafka(), "dlt-list",
                Topics.deadLetter(topic), LIST_TIMEOUT);
        for (ConsumerRecord<String, byte[]> r : records) {
            out.printf("%s@%d key=%s reason=%s from=%s-%s@%s consumer=%s%n  %s%n", r.topic(), r.offset(), r.key(),
                    DeadLetters.header(r.headers(), DeadLetters.REASON),
                    DeadLetters.header(r.headers(), DeadLetters.TOPIC),
                    DeadLetters.header(r.headers(), DeadLetters.PARTITION),
                    DeadLetters.header(r.headers(), DeadLetters.OFFSET),
                    DeadLetters.header(r.headers(), DeadLetters.CONSUMER),
                    DeadLetters.header(r.headers(), DeadLetters.MESSAGE));
        }
        return records.size();
    }

    /** Sends the dead letters after the group's committed position back to {@code topic}, then commits. */
    int replay(String topic) throws Exception {
        String dlt = Topics.deadLetter(topic);
        String group = "reelcars-dlt-replay-" + topic;
        int sent = 0;
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.groupConsumer(common.kafka(), "dlt-replay", group);
                KafkaProducer<String, byte[]> producer = KafkaClients.producer(common.kafka(), "dlt-replay")) {
            List<TopicPartition> parts = partitions(consumer, dlt);
            consumer.assign(parts);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(parts));
            for (TopicPartition tp : parts) {
                OffsetAndMetadata c = committed.get(tp);
                if (c == null) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    consumer.seek(tp, c.offset());
                }
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (!parts.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    ProducerRecord<String, byte[]> back = new ProducerRecord<>(topic, r.key(), r.value());
                    back.headers().add(REPLAYED_FROM,
                            (r.topic() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
                    producer.send(back).get(30, TimeUnit.SECONDS);
                    consumer.commitSync(Map.of(new TopicPartition(r.topic(), r.partition()),
                            new OffsetAndMetadata(r.offset() + 1)));
                    sent++;
                }
            }
        }
        return sent;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            parts.add(new TopicPartition(topic, p.partition()));
        }
        return parts;
    }
}
