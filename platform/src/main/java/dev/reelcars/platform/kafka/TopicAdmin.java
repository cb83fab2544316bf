package dev.reelcars.platform.kafka;

import dev.reelcars.events.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates reelcars' topics with explicit settings (partitions, replication factor, min.insync.replicas, retention,
 * cleanup policy). Every service calls it at start, so whichever starts first creates them and the others find them
 * ready; an existing topic is left as it is, with a warning when it is replicated less than configured.
 */
public final class TopicAdmin {
    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
    /** Dead letters are kept 30 days: long enough for an operator to inspect and replay them. */
    private static final String DLT_RETENTION_MS = String.valueOf(TimeUnit.DAYS.toMillis(30));
    /** The film-segments topic has this many times {@code REELCARS_PARTITIONS} partitions (see {@link #specs}). */
    public static final int FILM_SEGMENT_PARTITIONS_PER_PARTITION = 4;

    private TopicAdmin() {
    }

    /** As {@link #specs(Topics, int, short, short)} with the default min.insync.replicas for the factor. */
    public static List<NewTopic> specs(Topics topics, int partitions, short replication) {
        return specs(topics, partitions, replication, KafkaSettings.defaultMinInsyncReplicas(replication));
    }

    /**
     * The topics, their partitions and the settings that make each one hold what it must. Every topic, dead-letter
     * topics too, gets {@code min.insync.replicas}: a dead letter is a record someone must still look at, so it is
     * kept as safely as the record it replaces.
     */
    public static List<NewTopic> specs(Topics topics, int partitions, short replication, short minInsync) {
        List<NewTopic> specs = new ArrayList<>();
        // Stills are work items: identify reads each once; 7 days covers any outage a restart could need.
        specs.add(topic(topics.stills(), partitions, replication, minInsync, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(TimeUnit.DAYS.toMillis(7)))));
        // Identifications feed notify's review queue, which is rebuilt from this topic at start: keep the latest
        // result per still forever (compacted by stillId).
        specs.add(topic(topics.identifications(), partitions, replication, minInsync, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // The gallery's source of truth: the latest view per referenceId, forever.
        specs.add(topic(topics.references(), partitions, replication, minInsync, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // Every decision is evidence (who, when, what): never delete, never compact.
        specs.add(topic(topics.decisions(), partitions, replication, minInsync, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1")));
        // Contributors' proposed reference views, waiting for review: the latest state per proposal, forever.
        specs.add(topic(topics.referenceProposals(), partitions, replication, minInsync, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // Accounts: the latest state per account name (roles, password hash, tokens), forever. One partition keeps
        // a small topic small and every instance reads all of it anyway.
        specs.add(topic(topics.accounts(), 1, replication, minInsync, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // The audit trail (who did what, when, from where): never delete, never compact.
        specs.add(topic(topics.audit(), 1, replication, minInsync, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1")));
        // Reviewers' corrections to the catalogue: kept forever (they are the only record of them) and in one
        // partition, so every reader applies them in the same order and a rebuild gives the same catalogue.
        specs.add(topic(topics.catalogueEdits(), 1, replication, minInsync, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1")));
        // Which thumbnail was made of which image: the latest per source image, forever (a thumbnail is made once).
        specs.add(topic(topics.thumbnails(), partitions, replication, minInsync, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // Films to scan: the latest submission per film, forever (the film's metadata and where its bytes are). Each
        // record is also a request to scan it, shared among identify instances by their film consumer group.
        specs.add(topic(topics.films(), partitions, replication, minInsync, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // What each film's owner wants of its scan (run, pause, cancel): the latest wish per film.
        specs.add(topic(topics.filmControl(), partitions, replication, minInsync, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // Each film scan's progress and checkpoint: the latest per film is where a restarted scan resumes.
        specs.add(topic(topics.filmProgress(), partitions, replication, minInsync, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // Requests to scan one segment of a film (key filmId#segment): the latest per segment. Four times the
        // partitions, because a partition's segments are scanned one after another by the one instance that holds
        // it: more partitions than instances spread one film's segments (written to consecutive partitions) evenly.
        specs.add(topic(topics.filmSegments(), FILM_SEGMENT_PARTITIONS_PER_PARTITION * partitions, replication,
                minInsync, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        for (String consumed : topics.all()) {
            specs.add(topic(Topics.deadLetter(consumed), 1, replication, minInsync, Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, DLT_RETENTION_MS)));
        }
        return specs;
    }

    private static NewTopic topic(String name, int partitions, short replication, short minInsync,
            Map<String, String> configs) {
        Map<String, String> all = new HashMap<>(configs);
        all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsync));
        return new NewTopic(name, partitions, replication).configs(all);
    }

    /** Creates any missing topic; waits at most {@code timeoutMs}. */
    public static void ensureTopics(KafkaSettings kafka, Topics topics, long timeoutMs) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, kafka.clientId("admin"));
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> wanted = specs(topics, kafka.partitions(), kafka.replicationFactor(),
                    kafka.minInsyncReplicas());
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            warnAboutWeakerTopics(admin, kafka, wanted.stream().map(NewTopic::name).filter(existing::contains)
                    .toList(), timeoutMs);
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                    log.info("created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof InvalidReplicationFactorException) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey()
                                + " with replication factor " + kafka.replicationFactor() + ": the cluster at "
                                + kafka.bootstrapServers() + " needs at least as many running brokers"
                                + " (REELCARS_REPLICATION_FACTOR)", e.getCause());
                    }
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

    /**
     * An existing topic is left as it is, but one replicated less than this deployment asks (created earlier with
     * the defaults of a single broker, say) would silently keep fewer copies than the operator believes: say so at
     * every start, with what to change. Only a warning: the operator may have chosen it, and a service must not fail
     * to start over it.
     */
    private static void warnAboutWeakerTopics(Admin admin, KafkaSettings kafka, List<String> names, long timeoutMs)
            throws InterruptedException {
        if (names.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> described;
        Map<ConfigResource, Config> configs;
        try {
            described = admin.describeTopics(names).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
            configs = admin.describeConfigs(names.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all()
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // A cluster whose ACLs do not let us describe configs still runs reelcars; the check is a courtesy.
            log.warn("cannot check the replication of existing topics: {}", e.toString());
            return;
        }
        for (String name : names) {
            int replicas = described.get(name).partitions().stream()
                    .mapToInt(p -> p.replicas().size()).min().orElse(0);
            ConfigEntry minIsr = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))
                    .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            int minInsync = minIsr == null ? 1 : Integer.parseInt(minIsr.value());
            if (replicas < kafka.replicationFactor() || minInsync < kafka.minInsyncReplicas()) {
                log.warn("topic {} exists with {} replicas and min.insync.replicas={}, fewer than the configured {}"
                        + " and {} (REELCARS_REPLICATION_FACTOR, REELCARS_MIN_INSYNC_REPLICAS); it is left as it is:"
                        + " raise them with kafka-reassign-partitions and kafka-configs", name, replicas, minInsync,
                        kafka.replicationFactor(), kafka.minInsyncReplicas());
            }
        }
    }
}
