package dev.reelcars.platform.kafka;

import dev.reelcars.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates reelcars' topics with explicit settings. Every service calls it at start, so whichever starts first
 * creates them and the others find them ready; an existing topic is left as it is.
 */
public final class TopicAdmin {
    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
    /** Dead letters are kept 30 days: long enough for an operator to inspect and replay them. */
    private static final String DLT_RETENTION_MS = String.valueOf(TimeUnit.DAYS.toMillis(30));

    private TopicAdmin() {
    }

    /** The topics, their partitions and the settings that make each one hold what it must. */
    public static List<NewTopic> specs(Topics topics, int partitions, short replication) {
        List<NewTopic> specs = new ArrayList<>();
        // Stills are work items: identify reads each once; 7 days covers any outage a restart could need.
        specs.add(new NewTopic(topics.stills(), partitions, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(TimeUnit.DAYS.toMillis(7)))));
        // Identifications feed notify's review queue, which is rebuilt from this topic at start: keep the latest
        // result per still forever (compacted by stillId).
        specs.add(new NewTopic(topics.identifications(), partitions, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // The gallery's source of truth: the latest view per referenceId, forever.
        specs.add(new NewTopic(topics.references(), partitions, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // Every decision is evidence (who, when, what): never delete, never compact.
        specs.add(new NewTopic(topics.decisions(), partitions, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1")));
        // Contributors' proposed reference views, waiting for review: the latest state per proposal, forever.
        specs.add(new NewTopic(topics.referenceProposals(), partitions, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // Accounts: the latest state per account name (roles, password hash, tokens), forever. One partition keeps
        // a small topic small and every instance reads all of it anyway.
        specs.add(new NewTopic(topics.accounts(), 1, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // The audit trail (who did what, when, from where): never delete, never compact.
        specs.add(new NewTopic(topics.audit(), 1, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1")));
        // Films to scan: the latest submission per film, forever (the film's metadata and where its bytes are). Each
        // record is also a request to scan it, shared among identify instances by their film consumer group.
        specs.add(new NewTopic(topics.films(), partitions, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // What each film's owner wants of its scan (run, pause, cancel): the latest wish per film.
        specs.add(new NewTopic(topics.filmControl(), partitions, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // Each film scan's progress and checkpoint: the latest per film is where a restarted scan resumes.
        specs.add(new NewTopic(topics.filmProgress(), partitions, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        for (String consumed : topics.all()) {
            specs.add(new NewTopic(Topics.deadLetter(consumed), 1, replication).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, DLT_RETENTION_MS)));
        }
        return specs;
    }

    /** Creates any missing topic; waits at most {@code timeoutMs}. */
    public static void ensureTopics(KafkaSettings kafka, Topics topics, long timeoutMs) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, kafka.clientId("admin"));
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = specs(topics, kafka.partitions(), kafka.replicationFactor()).stream()
                    .filter(t -> !existing.contains(t.name()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                    log.info("created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    // Another service created it between our list and our create: that is the outcome we wanted.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + kafka.bootstrapServers()
                    + " to create topics within " + timeoutMs + " ms", e);
        }
    }
}
