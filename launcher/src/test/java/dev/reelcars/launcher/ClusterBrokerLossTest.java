package dev.reelcars.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.broker.KafkaCluster;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole stack on a three-broker cluster with replication factor 3 and {@code min.insync.replicas=2}: one broker
 * killed while stills are being uploaded loses no accepted still and the pipeline carries on; with two of three
 * down, uploads are refused (503) and none of them is recorded behind the client's back.
 */
class ClusterBrokerLossTest {
    private static final Logger log = LoggerFactory.getLogger(ClusterBrokerLossTest.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(6);
    private static final String TRUCK = "Blue pickup truck";

    @TempDir
    static Path dir;
    static KafkaCluster cluster;
    static Launcher stack;
    static StackClient client;
    static final byte[] STILL = StackClient.resource("demo-still.jpg");
    static final byte[] NO_VEHICLE = StackClient.resource("no-vehicle.jpg");

    @BeforeAll
    // Four Kafka servers and the whole stack, cold, in one JVM: minutes when the machine is shared by many builds
    // (113 s for the cluster alone was seen at load 60), so not the 180 s default of a single test.
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    static void startClusterAndStack() throws Exception {
        cluster = KafkaCluster.start(dir.resolve("kafka"), 3);
        Map<String, String> env = TestStack.settings(dir.resolve("data"));
        env.put("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
        env.put("REELCARS_REPLICATION_FACTOR", "3");
        env.put("REELCARS_MIN_INSYNC_REPLICAS", "2");
        // Long enough to ride out a leader election (the fixture fences a dead broker after 3 s), short enough that
        // a refusal with two brokers down is answered soon; and a client told to come back in a second.
        env.put("INGEST_PUBLISH_TIMEOUT_MS", String.valueOf(PUBLISH_TIMEOUT.toMillis()));
        env.put("INGEST_RETRY_AFTER_SECONDS", "1");
        // notify's name for the same wait, for reviewers' decisions
        env.put("REELCARS_PUBLISH_TIMEOUT_MS", String.valueOf(PUBLISH_TIMEOUT.toMillis()));
        env.put("INGEST_RATE_PER_MINUTE", "100000");
        env.put("INGEST_RATE_BURST", "1000");
        log.info("cluster started (JVM CPU so far {} ms)", cpuMs());
        stack = new Launcher(new Settings(env));
        stack.start();
        log.info("stack started on the cluster (JVM CPU so far {} ms)", cpuMs());
        client = new StackClient(stack.ingest().port(), stack.notifyService().port());
        client.signIn("demo", "demo");
    }

    @AfterEach
    void everyBrokerBackAndInSync() {
        for (int id : cluster.brokerIds()) {
            if (!cluster.isRunning(id)) {
                cluster.restart(id);
            }
        }
        cluster.awaitLiveBrokers(cluster.brokerIds());
        cluster.awaitFullyReplicated(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopAll() {
        log.info("tests done (JVM CPU so far {} ms)", cpuMs());
        if (stack != null) {
            stack.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyTopicIsCreatedWithThreeReplicasAndTwoInSync() throws Exception {
        Topics topics = stack.common("test").topics();
        List<String> names = new ArrayList<>(topics.all());
        topics.all().forEach(t -> names.add(Topics.deadLetter(t)));
        try (Admin admin = cluster.admin()) {
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
            Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all().get();
            for (String name : names) {
                for (TopicPartitionInfo p : described.get(name).partitions()) {
                    assertEquals(3, p.replicas().size(), name + "-" + p.partition() + " has three replicas");
                }
                assertEquals("2", configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))
                        .get("min.insync.replicas").value(), name + " needs two in sync to acknowledge");
            }
        }
    }

    @Test
    void aBrokerKilledMidStreamLosesNoAcceptedStillAndThePipelineCarriesOn() throws Exception {
        int total = 12;
        int victim = leaderOf(stack.common("test").topics().stills());
        List<Upload> uploads = Collections.synchronizedList(new ArrayList<>());
        ExecutorService uploader = Executors.newSingleThreadExecutor();
        long killedAt;
        long fencedMs;
        try {
            // Given stills being uploaded one after another, as a contributor's batch would
            Future<?> stream = uploader.submit(() -> {
                for (int i = 0; i < total; i++) {
                    uploads.add(uploadUntilAnswered("Broker loss", i));
                    sleep(150);
                }
            });
            awaitCount(uploads, 4, Duration.ofSeconds(60));

            // When the broker leading the stills topic's first partition is killed mid-stream
            killedAt = System.nanoTime();
            cluster.kill(victim);
            cluster.awaitLiveBrokers(cluster.brokerIds().stream().filter(id -> id != victim).toList());
            fencedMs = msSince(killedAt);
            stream.get(3, TimeUnit.MINUTES);
        } finally {
            uploader.shutdownNow();
        }

        // Then every upload was accepted in the end (a 503 only asks the client to come back)
        for (Upload u : uploads) {
            assertTrue(u.status() == 202 || u.status() == 200, "accepted: " + u);
        }
        List<String> accepted = uploads.stream().map(Upload::id).distinct().toList();
        assertEquals(total, accepted.size(), "each still has its own submission: " + uploads);

        // And every accepted still is identified and in the review queue, with the truck proposed: none lost
        List<String> lost = new ArrayList<>();
        for (String id : accepted) {
            JsonNode story = PipelineScenario.awaitSubmission(client, id, s -> !PipelineScenario.candidates(s)
                    .isEmpty());
            if (!TRUCK.equals(PipelineScenario.candidates(story).get(0).get("label").asText())) {
                lost.add(id);
            }
        }
        long drainedMs = msSince(killedAt);
        assertEquals(List.of(), lost, "every accepted still is identified as the truck");

        // And exactly once: one committed identification per still, and identify still consuming
        Common common = stack.common("test");
        Map<String, Long> identifications = PipelineScenario.readAll(common, common.topics().identifications())
                .stream().filter(r -> accepted.contains(r.key()))
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertEquals(accepted.size(), identifications.size(), "every accepted still identified: " + identifications);
        assertTrue(identifications.values().stream().allMatch(n -> n == 1), "once each: " + identifications);
        assertTrue(stack.identify().isConsuming(), "identify carries on after the broker loss");

        // And with the broker still down, a reviewer's confirmation is recorded and joins identify's gallery
        int galleryBefore = stack.identify().gallerySize();
        StackClient.Response review = client.review(accepted.get(0), Map.of("verdict", "confirm"));
        assertTrue(review.status() / 100 == 2, "decision accepted with one broker down: " + review);
        PipelineScenario.awaitDecision(common, accepted.get(0));
        awaitTrue(() -> stack.identify().gallerySize() == galleryBefore + 1, Duration.ofSeconds(60),
                "the confirmed still becomes a reference view");

        long refused = uploads.stream().mapToLong(Upload::refusals).sum();
        long slowestMs = uploads.stream().mapToLong(Upload::ms).max().orElse(0);
        log.info("broker loss: killed broker {}; uploads {}, accepted {}, lost 0, refused with 503 then retried {}; "
                        + "fenced after {} ms; slowest upload {} ms; every accepted still identified {} ms after the kill"
                        + " (JVM CPU so far {} ms)",
                victim, total, accepted.size(), refused, fencedMs, slowestMs, drainedMs, cpuMs());
    }

    @Test
    void withTwoOfThreeBrokersDownUploadsAreRefusedAndEachStillIsRecordedOnce() throws Exception {
        // Given an identified still waiting for review (another picture than the truck's, so that this test's decision
        // and the other test's confirmation of the truck do not meet in one group of near-duplicates)
        Upload waiting = uploadUntilAnswered(BrokerOutageTest.PipelineLatencyFixtures.distinctCopy(NO_VEHICLE,
                "awaiting review"), "Awaiting review");
        PipelineScenario.awaitSubmission(client, waiting.id(), PipelineScenario::identified);
        Map<String, String> noVehicle = Map.of("verdict", "reject", "label", "no vehicle");

        // And two of the three brokers killed, and the cluster has noticed (one replica left in every ISR)
        List<Integer> ids = cluster.brokerIds();
        cluster.kill(ids.get(0));
        cluster.kill(ids.get(1));
        cluster.awaitLiveBrokers(List.of(ids.get(2)));

        // When stills are uploaded (in parallel: each waits for the publish timeout)
        int n = 3;
        ExecutorService uploaders = Executors.newFixedThreadPool(n);
        List<StackClient.Response> answers = new ArrayList<>();
        try {
            List<Future<StackClient.Response>> pending = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] still = still("Two down", i);
                String film = "Two down " + i;
                pending.add(uploaders.submit(() -> client.uploadStill(still, "still.jpg", Map.of("film", film))));
            }
            for (Future<StackClient.Response> f : pending) {
                answers.add(f.get(2, TimeUnit.MINUTES));
            }
        } finally {
            uploaders.shutdownNow();
        }

        // Then each is refused as retryable: acks=all cannot be met with one replica in sync
        for (StackClient.Response r : answers) {
            assertEquals(503, r.status(), "refused while two of three brokers are down: " + r);
            assertEquals("kafka-unavailable", r.body().get("error").asText());
            assertTrue(r.retryAfter() != null, "the refusal says when to retry: " + r);
        }

        // And a reviewer's decision is refused the same way
        StackClient.Response decision = client.review(waiting.id(), noVehicle);
        assertEquals(503, decision.status(), "a decision is refused while two of three brokers are down: " + decision);
        assertEquals("kafka-unavailable", decision.body().get("error").asText());

        // When the brokers come back and have caught up, and the client retries the same stills (after the catch-up,
        // so that no retry can itself time out ambiguously and blur what the refused attempts left behind)
        long restartedAt = System.nanoTime();
        cluster.restart(ids.get(0));
        cluster.restart(ids.get(1));
        cluster.awaitFullyReplicated(Duration.ofSeconds(60));
        long restartMs = msSince(restartedAt);
        List<Upload> retries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            retries.add(uploadUntilAnswered("Two down", i));
        }
        long acceptedMs = msSince(restartedAt);

        // Then each is accepted as new (202), or, when its refused attempt was appended after all, answered as that
        // attempt's duplicate (200 with its id). Most likely explanation (not traced): the controller fences a broker
        // and takes it out of every ISR in one metadata update, but the surviving leader may apply it to its
        // partitions just after the update is visible to clients; a produce arriving in that window is appended under
        // the old ISR, times out waiting for the dead follower, and is committed when the brokers return (seen once, in a full CI run on 5 Dec 2026: one of the
        // three retries answered 200; the ambiguous case the root README describes under broker failures). Either way
        // nothing is lost and nothing is recorded twice (below).
        int appendedAnyway = 0;
        for (Upload u : retries) {
            assertTrue(u.status() == 202 || u.status() == 200, "a refused still is new to ingest when retried, or"
                    + " the duplicate of its refused attempt: " + u);
            appendedAnyway += u.status() == 200 ? 1 : 0;
        }

        // And the pipeline carries on: identify and notify see them
        for (Upload u : retries) {
            JsonNode story = PipelineScenario.awaitSubmission(client, u.id(), s -> !PipelineScenario.candidates(s)
                    .isEmpty());
            assertEquals(TRUCK, PipelineScenario.candidates(story).get(0).get("label").asText());
        }
        long identifiedMs = msSince(restartedAt);

        // And the stills topic holds the accepted retries and nothing of the refused attempts
        Common common = stack.common("test");
        List<String> recorded = PipelineScenario.readAll(common, common.topics().stills()).stream()
                .map(r -> EventCodec.decode(r.value(), StillSubmitted.class))
                .filter(s -> s.film() != null && s.film().startsWith("Two down")).map(StillSubmitted::stillId)
                .toList();
        assertEquals(retries.stream().map(Upload::id).sorted().toList(), recorded.stream().sorted().toList(),
                "the stills topic holds each still once, under the id its retry was answered with");

        // And the refused decision was not recorded either: retried, it is taken as the first, and is there once
        StackClient.Response retried = client.review(waiting.id(), noVehicle);
        assertEquals(201, retried.status(), "the retried decision is new to notify: " + retried);
        PipelineScenario.awaitDecision(common, waiting.id());
        long decisions = PipelineScenario.readAll(common, common.topics().decisions()).stream()
                .filter(r -> waiting.id().equals(r.key())).count();
        assertEquals(1, decisions, "one decision recorded for the still");
        log.info("two of three down: {} uploads and a decision refused with 503, {} appended anyway; brokers back in sync {} ms after the"
                + " restart began, all {} retries"
                + " accepted {} ms after the restart began, identified {} ms after (JVM CPU so far {} ms)", n, appendedAnyway,
                restartMs, n, acceptedMs, identifiedMs, cpuMs());
    }

    /** One upload as a careful client makes it: on 503 it comes back after Retry-After, until answered otherwise. */
    private static Upload uploadUntilAnswered(String film, int i) {
        return uploadUntilAnswered(still(film, i), film + " " + i);
    }

    private static Upload uploadUntilAnswered(byte[] still, String film) {
        long t0 = System.nanoTime();
        int refusals = 0;
        while (true) {
            StackClient.Response r = client.uploadStill(still, "still.jpg", Map.of("film", film));
            if (r.status() != 503 || msSince(t0) > 120_000) {
                String id = r.body() != null && r.body().has("id") ? r.body().get("id").asText() : null;
                return new Upload(film, r.status(), id, refusals, msSince(t0));
            }
            assertEquals("kafka-unavailable", r.body().get("error").asText(), "a 503 is Kafka's: " + r);
            refusals++;
            sleep(1000L * Integer.parseInt(r.retryAfter()));
        }
    }

    private static byte[] still(String film, int i) {
        return BrokerOutageTest.PipelineLatencyFixtures.distinctCopy(STILL, film + " " + i);
    }

    private static int leaderOf(String topic) throws Exception {
        try (Admin admin = cluster.admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(0)
                    .leader().id();
        }
    }

    private static void awaitCount(List<?> list, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (list.size() < n) {
            assertTrue(System.nanoTime() < deadline, "only " + list.size() + " of " + n + " within " + timeout);
            sleep(50);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " within " + timeout);
            sleep(100);
        }
    }

    /** CPU time this JVM has used, a figure the machine's load does not inflate as it does wall time. */
    private static long cpuMs() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }

    private static long msSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Upload(String film, int status, String id, int refusals, long ms) {
    }
}
