package dev.reelcars.identify.service;

import dev.reelcars.identify.film.FilmVideo;
import dev.reelcars.identify.film.SegmentEdges;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reelcars.events.FilmControl;
import dev.reelcars.events.FilmProgress;
import dev.reelcars.events.FilmScans;
import dev.reelcars.events.FilmSubmitted;
import dev.reelcars.events.Identification;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.kafka.KafkaClients;
import dev.reelcars.platform.kafka.KafkaSettings;
import dev.reelcars.testkit.EmbeddedBroker;
import dev.reelcars.testkit.Films;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One film scanned by two identify instances at once, on the embedded broker (issue 18 point 3): a 10 s film (3 s
 * empty, 4 s with the bus, 3 s empty; 20 frames at 2 fps) cut into two 5 s segments, frames 0-10 and 10-20, so the
 * bus (3 to 7 s) is on screen across the edge between them.
 */
class FilmSegmentsTest {
    private static final String A = "identify-a";
    private static final String B = "identify-b";

    @TempDir
    static Path dir;
    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();
    static Path filmFile;
    static String sha;

    FilmLane lane;
    Topics topics;
    KafkaSettings kafka;
    BlobStore blobs;
    Map<String, String> env;

    @BeforeAll
    static void makeTheFilm() throws Exception {
        assumeTrue(Films.ffmpegRuns(), "ffmpeg is not installed");
        filmFile = FilmLane.film(dir, 3, 4, 3);
        sha = FilmLane.sha256(filmFile);
    }

    @BeforeEach
    void freshTopicsAndGallery() throws Exception {
        lane = FilmLane.fresh(broker, dir, filmFile, sha);
        topics = lane.topics;
        kafka = lane.kafka;
        blobs = lane.blobs;
        env = lane.env;
        // Two 5 s segments of the 10 s film (20 frames at the lane's 2 fps); film-segments has four partitions.
        env.put("REELCARS_IDENTIFY_FILM_SEGMENT_SECONDS", "5");
    }

    @Test
    void twoInstancesScanOneFilmsSegmentsAtOnceAndAnAppearanceAcrossTheEdgeIsOneReviewItem() throws Exception {
        // Given two instances, each holding its second matched frame until the other has matched one: neither can
        // finish its part before the other has started
        CountDownLatch bothStarted = new CountDownLatch(2);
        AtomicBoolean overlapped = new AtomicBoolean(true);
        try (IdentifyService a = instance(A, holdUntilBoth(bothStarted, overlapped));
             IdentifyService b = instance(B, holdUntilBoth(bothStarted, overlapped))) {
            a.start();
            b.start();
            awaitBothInTheSegmentsGroup(a, b);

            // When the film is submitted
            lane.submit(filmFile, sha);

            // Then it ends done, as one view summing its two segments
            FilmProgress done = awaitFilm(FilmProgress.DONE);
            assertEquals(20, done.nextFrame(), "every frame of the film covered once: 2 fps over 10 s");
            assertEquals(100.0, done.percent());
            assertEquals(1, done.appearances(), "one appearance: the bus");

            // And each instance scanned one of the segments, at the same time
            Map<Integer, FilmProgress> segments = latestSegments();
            assertEquals(2, segments.size(), "cut into two segments: " + segments);
            assertEquals(Set.of("reelcars-" + A, "reelcars-" + B), segments.values().stream()
                    .map(FilmProgress::worker).collect(Collectors.toSet()), "one segment per instance: " + segments);
            for (FilmProgress s : segments.values()) {
                assertEquals(FilmProgress.DONE, s.status());
                assertTrue(s.framesMatched() > 0, "the instance matched frames of its segment: " + s);
            }
            assertEquals(0, bothStarted.getCount(), "both instances were matching frames of the film at once");
            assertTrue(overlapped.get(), "neither instance waited in vain for the other");
            assertEquals(done.framesMatched(), segments.values().stream().mapToLong(FilmProgress::framesMatched)
                    .sum());

            // And the bus, on screen across the edge at 5 s, is one review item, published by the first segment
            List<Identification> items = lane.reviewItems();
            assertEquals(1, items.size(), "one review item for the appearance across the edge: " + items);
            assertEquals("bus", items.get(0).candidates().get(0).label());
            assertTrue(items.get(0).still().note().contains("bus from 00:00:03.000 to 00:00:07.000"),
                    items.get(0).still().note());
            assertEquals(1, segments.get(0).appearances());
            assertEquals(0, segments.get(1).appearances(), "the second segment dropped the bus it joined");
        }
    }

    @Test
    void aPauseStopsEverySegmentAndResumeFinishesTheFilmFromWhereEachSegmentPaused() throws Exception {
        // Given both instances scanning, each held at its second matched frame
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger matchesA = new AtomicInteger();
        AtomicInteger matchesB = new AtomicInteger();
        try (IdentifyService a = instance(A, holdAtSecond(matchesA, release));
             IdentifyService b = instance(B, holdAtSecond(matchesB, release));
             KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "test")) {
            a.start();
            b.start();
            awaitBothInTheSegmentsGroup(a, b);
            FilmSubmitted film = lane.submit(filmFile, sha);
            await().atMost(Duration.ofSeconds(120)).until(() -> matchesA.get() >= 2 && matchesB.get() >= 2);

            // When its owner pauses the film, and the frames in hand finish
            FilmLane.publish(producer, topics.filmControl(), new FilmControl(1, film.filmId(), FilmControl.PAUSE, "ana",
                    Instant.now()));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    a.filmStates().requested(film.filmId()).equals(FilmControl.PAUSE)
                            && b.filmStates().requested(film.filmId()).equals(FilmControl.PAUSE));
            release.countDown();

            // Then both segments stop short of their ends, and the film is paused
            FilmProgress paused = awaitFilm(FilmProgress.PAUSED);
            assertTrue(paused.nextFrame() < 20, "paused mid-film: " + paused.nextFrame());
            Map<Integer, FilmProgress> stopped = latestSegments();
            for (FilmProgress s : stopped.values()) {
                assertEquals(FilmProgress.PAUSED, s.status(), "every segment paused: " + stopped);
            }

            // When it is resumed (the wish, and the film submitted again, as ingest does)
            FilmLane.publish(producer, topics.filmControl(), new FilmControl(1, film.filmId(), FilmControl.RUN, "ana",
                    Instant.now()));
            FilmLane.publish(producer, topics.films(), film);

            // Then each segment goes on from where it paused, and the bus is still one review item
            FilmProgress done = awaitFilm(FilmProgress.DONE);
            assertEquals(20, done.nextFrame());
            Map<Integer, FilmProgress> finished = latestSegments();
            for (int i = 0; i < 2; i++) {
                assertEquals(stopped.get(i).nextFrame(), finished.get(i).resumedFromFrame(),
                        "segment " + i + " resumed where it paused");
            }
            assertEquals(1, done.appearances());
            assertEquals(1, lane.reviewItems().size());
        }
    }

    @Test
    void aStoppedInstancesSegmentIsResumedByTheOtherFromItsCheckpoint() throws Exception {
        // Given instance A held for good at its first match after a checkpoint of its segment
        String filmId = FilmSubmitted.idOf(sha);
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean holding = new AtomicBoolean();
        AtomicReference<IdentifyService> self = new AtomicReference<>();
        Runnable holdA = () -> {
            boolean checkpointed = self.get().filmStates().segments(filmId).stream().anyMatch(s ->
                    s.worker().equals("reelcars-" + A) && s.status().equals(FilmProgress.RUNNING)
                            && s.nextFrame() > s.resumedFromFrame());
            if (checkpointed) {
                holding.set(true);
                FilmLane.awaitQuietly(never);
            }
        };
        IdentifyService a = instance(A, holdA);
        self.set(a);
        try (IdentifyService b = instance(B, () -> { })) {
            try (a) {
                a.start();
                b.start();
                awaitBothInTheSegmentsGroup(a, b);
                lane.submit(filmFile, sha);
                await().atMost(Duration.ofSeconds(120)).until(holding::get);
                // When A stops mid-segment (its held frame is never answered)
            }
            FilmProgress held = lane.checkpoints().stream().filter(p -> ("reelcars-" + A).equals(p.worker()))
                    .max(Comparator.comparing(FilmProgress::updatedAt)).orElseThrow();
            assertTrue(held.nextFrame() > SegmentEdges.firstFrame(held.segment(), 2, FilmVideo.DEFAULT_MAX_GAP),
                    "A checkpointed: " + held);

            // Then B takes A's segment over from A's last checkpoint, and the film ends with the bus as one item
            FilmProgress done = awaitFilm(FilmProgress.DONE);
            FilmProgress taken = latestSegments().get(held.segment().index());
            assertEquals("reelcars-" + B, taken.worker(), "the other instance finished it");
            assertEquals(held.nextFrame(), taken.resumedFromFrame(), "resumed from A's checkpoint, not its start");
            assertEquals(20, done.nextFrame());
            assertEquals(1, done.appearances());
            assertEquals(1, lane.reviewItems().size());
        }
    }

    private IdentifyService instance(String name, Runnable hook) {
        Map<String, String> s = new HashMap<>(env);
        s.put("REELCARS_INSTANCE_ID", name);
        return new IdentifyService(IdentifyConfig.from(new Settings(s)), Clock.systemUTC(), hook);
    }

    /** The film-segments topic's four partitions are dealt two and two. */
    private static void awaitBothInTheSegmentsGroup(IdentifyService a, IdentifyService b) {
        await().atMost(Duration.ofSeconds(120)).until(() -> a.filmSegmentPartitions() == 2
                && b.filmSegmentPartitions() == 2);
    }

    private static Runnable holdUntilBoth(CountDownLatch bothStarted, AtomicBoolean overlapped) {
        AtomicInteger matches = new AtomicInteger();
        return () -> {
            int n = matches.incrementAndGet();
            if (n == 1) {
                bothStarted.countDown();
            } else if (n == 2) {
                try {
                    if (!bothStarted.await(60, TimeUnit.SECONDS)) {
                        overlapped.set(false);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("worker stopped");
                }
            }
        };
    }

    private static Runnable holdAtSecond(AtomicInteger matches, CountDownLatch release) {
        return () -> {
            if (matches.incrementAndGet() == 2) {
                FilmLane.awaitQuietly(release);
            }
        };
    }

    /** Waits for the film's view (its segments' latest checkpoints combined) to reach this status. */
    private FilmProgress awaitFilm(String status) {
        FilmProgress[] found = new FilmProgress[1];
        await().atMost(Duration.ofSeconds(180)).until(() -> {
            found[0] = FilmScans.combine(latestSegments().values()).orElse(null);
            return found[0] != null && found[0].status().equals(status);
        });
        return found[0];
    }

    /** The latest checkpoint of each segment, by segment number. */
    private Map<Integer, FilmProgress> latestSegments() {
        Map<Integer, FilmProgress> latest = new LinkedHashMap<>();
        for (FilmProgress p : lane.checkpoints()) {
            latest.merge(p.segment().index(), p, (old, neu) -> neu.updatedAt().isBefore(old.updatedAt()) ? old : neu);
        }
        return latest.entrySet().stream().sorted(Map.Entry.comparingByKey()).collect(Collectors.toMap(
                Map.Entry::getKey, Map.Entry::getValue, (x, y) -> x, LinkedHashMap::new));
    }
}
