package dev.reelcars.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.Topics;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.Settings;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How many copies the topics reelcars creates keep, and how many must hold a record before it is acknowledged. */
class ReplicationSettingsTest {

    @ParameterizedTest(name = "factor {0} needs {1} in sync by default")
    @CsvSource({"1, 1", "2, 2", "3, 2", "5, 2"})
    void minInsyncReplicasDefaultsToTwoWhereThereAreTwoCopies(int factor, int expected) {
        KafkaSettings kafka = kafka(Map.of("REELCARS_REPLICATION_FACTOR", String.valueOf(factor)));
        assertEquals(factor, kafka.replicationFactor());
        assertEquals(expected, kafka.minInsyncReplicas());
    }

    @Test
    void minInsyncReplicasIsReadFromItsSetting() {
        KafkaSettings kafka = kafka(Map.of("REELCARS_REPLICATION_FACTOR", "3", "REELCARS_MIN_INSYNC_REPLICAS", "3"));
        assertEquals(3, kafka.minInsyncReplicas());
    }

    @Test
    void moreInSyncReplicasThanReplicasIsRefusedAtStartNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kafka(Map.of(
                "REELCARS_REPLICATION_FACTOR", "2", "REELCARS_MIN_INSYNC_REPLICAS", "3")));
        assertTrue(e.getMessage().contains("REELCARS_MIN_INSYNC_REPLICAS"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KafkaSettings("localhost:1", "x", 3, (short) 1,
                (short) 2), "every write would be refused for ever");
    }

    @Test
    void everyTopicCreatedCarriesTheReplicationAndMinInsyncDeadLettersToo() {
        Topics topics = Topics.withPrefix("t.");
        var specs = TopicAdmin.specs(topics, 6, (short) 3, (short) 2);
        assertEquals(2 * topics.all().size(), specs.size(), "each topic and its dead-letter topic");
        for (NewTopic t : specs) {
            assertEquals(3, t.replicationFactor(), t.name());
            assertEquals("2", t.configs().get("min.insync.replicas"), t.name());
        }
        assertTrue(specs.stream().anyMatch(t -> t.name().equals(Topics.deadLetter(topics.stills()))));
    }

    private static KafkaSettings kafka(Map<String, String> env) {
        return Common.from(new Settings(env), "test").kafka();
    }
}
