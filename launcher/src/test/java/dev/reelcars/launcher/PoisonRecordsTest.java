package dev.reelcars.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reelcars.events.Topics;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.kafka.DeadLetters;
import dev.reelcars.platform.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A poison record on each consumed topic goes to that topic's dead-letter topic with the reason in its headers,
 * and every consumer goes on: the stack still identifies a still uploaded afterwards.
 */
class PoisonRecordsTest {
    @RegisterExtension
    static final TestStack STACK = TestStack.withDefaults();

    @Test
    void poisonOnEveryConsumedTopicIsDeadLetteredAndThePipelineGoesOn() throws Exception {
        Common common = STACK.launcher().common("test");
        Map<String, byte[]> poison = Map.ofEntries(
                Map.entry(common.topics().stills(), "{\"schemaVersion\":1,\"stillId\":"
                        .getBytes(StandardCharsets.UTF_8)),
                Map.entry(common.topics().references(), "{\"schemaVersion\":99,\"referenceId\":\"r\"}"
                        .getBytes(StandardCharsets.UTF_8)),
                Map.entry(common.topics().identifications(), "not json at all".getBytes(StandardCharsets.UTF_8)),
                Map.entry(common.topics().decisions(), "{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8)),
                Map.entry(common.topics().referenceProposals(), "not json at all".getBytes(StandardCharsets.UTF_8)),
                Map.entry(common.topics().accounts(), "{\"schemaVersion\":99,\"name\":\"x\"}"
                        .getBytes(StandardCharsets.UTF_8)),
                Map.entry(common.topics().audit(), "{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8)),
                Map.entry(common.topics().catalogueEdits(), "{\"schemaVersion\":99}"
                        .getBytes(StandardCharsets.UTF_8)),
                Map.entry(common.topics().thumbnails(), "not json at all".getBytes(StandardCharsets.UTF_8)),
                Map.entry(common.topics().films(), "not json at all".getBytes(StandardCharsets.UTF_8)),
                Map.entry(common.topics().filmControl(), "{\"schemaVersion\":99,\"filmId\":\"f\"}"
                        .getBytes(StandardCharsets.UTF_8)),
                Map.entry(common.topics().filmProgress(), "{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8)),
                Map.entry(common.topics().filmSegments(), "not json at all".getBytes(StandardCharsets.UTF_8)));
        Map<String, String> expectedReason = Map.ofEntries(
                Map.entry(common.topics().stills(), "invalid-json"),
                Map.entry(common.topics().references(), "unsupported-schema-version"),
                Map.entry(common.topics().identifications(), "invalid-json"),
                Map.entry(common.topics().decisions(), "invalid-event"),
                Map.entry(common.topics().referenceProposals(), "invalid-json"),
                Map.entry(common.topics().accounts(), "unsupported-schema-version"),
                Map.entry(common.topics().audit(), "invalid-event"),
                Map.entry(common.topics().catalogueEdits(), "unsupported-schema-version"),
                Map.entry(common.topics().thumbnails(), "invalid-json"),
                Map.entry(common.topics().films(), "invalid-json"),
                Map.entry(common.topics().filmControl(), "unsupported-schema-version"),
                Map.entry(common.topics().filmProgress(), "invalid-event"),
                Map.entry(common.topics().filmSegments(), "invalid-json"));

        // Given one poison record on each consumed topic
        try (var producer = KafkaClients.producer(common.kafka(), "test")) {
            for (var e : poison.entrySet()) {
                producer.send(new ProducerRecord<>(e.getKey(), "poison", e.getValue())).get();
            }
        }

        // Then each lands in its topic's dead-letter topic, with the reason and where it came from
        assertEquals(Set.copyOf(common.topics().all()), poison.keySet(), "every consumed topic is poisoned");
        for (String topic : common.topics().all()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !PipelineScenario.readAll(common,
                    Topics.deadLetter(topic)).isEmpty());
            var dead = PipelineScenario.readAll(common, Topics.deadLetter(topic));
            Set<String> reasons = dead.stream().map(r -> DeadLetters.header(r.headers(), DeadLetters.REASON))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(expectedReason.get(topic)), reasons, "reason for " + topic);
            assertEquals(List.of(topic), dead.stream().map(r -> DeadLetters.header(r.headers(), DeadLetters.TOPIC))
                    .distinct().toList());
        }

        // And the pipeline still works end to end
        PipelineScenario.uploadIdentifyConfirm(STACK.launcher());
    }
}
