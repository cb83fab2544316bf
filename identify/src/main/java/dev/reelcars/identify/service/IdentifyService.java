package dev.reelcars.identify.service;

import dev.reelcars.identify.matcher.MatchEngine;
import dev.reelcars.platform.OpenedResources;
import dev.reelcars.platform.Service;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.blob.BlobStores;
import dev.reelcars.platform.http.HttpErrors;
import dev.reelcars.platform.http.ServerPort;
import dev.reelcars.platform.kafka.DeadLetters;
import dev.reelcars.platform.kafka.KafkaClients;
import dev.reelcars.platform.kafka.TopicAdmin;
import dev.reelcars.platform.kafka.TopicReplay;
import dev.reelcars.platform.kafka.TransactionalLoop;
import dev.reelcars.platform.metrics.Metrics;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identify service: holds the whole gallery (rebuilt from the references topic, then followed live) and
 * matches every still of its share of the stills partitions. Scale out by starting more instances with the same
 * group id: Kafka splits the partitions among them, and each loads the full gallery.
 */
public final class IdentifyService implements Service {
    private static final Logger log = LoggerFactory.getLogger(IdentifyService.class);

    private final IdentifyConfig config;
    private final Clock clock;
    private MatchEngine engine;
    private KafkaProducer<String, byte[]> producer;
    private TopicReplay gallery;
    private TransactionalLoop stills;
    private FilmJobs films;
    private FilmStates filmStates;
    /** Runs on a film worker before each frame's match: the test's way to hold a scan at a frame. */
    private final Runnable filmFrameHook;
    private Javalin http;
    private final ServerPort serverPort = new ServerPort("identify");
    private volatile boolean started;
    /** Everything start() opened, the stills loop last, closed in reverse order by stop(). */
    private final OpenedResources opened = new OpenedResources();

    public IdentifyService(IdentifyConfig config) {
        this(config, Clock.systemUTC());
    }

    public IdentifyService(IdentifyConfig config, Clock clock) {
        this(config, clock, () -> { });
    }

    IdentifyService(IdentifyConfig config, Clock clock, Runnable filmFrameHook) {
        this.config = config;
        this.clock = clock;
        this.filmFrameHook = filmFrameHook;
    }

    @Override
    public String name() {
        return "identify";
    }

    @Override
    public synchronized void start() throws Exception {
        if (started) {
            return;
        }
        // A start that fails half-way (the port taken, say) closes what it had opened.
        opened.startOrClose(this::startAll);
        started = true;
    }

    private void startAll() throws Exception {
        long t0 = System.nanoTime();
        var common = config.common();
        TopicAdmin.ensureTopics(common.kafka(), common.topics(), 60_000);
        BlobStore blobs = BlobStores.open(common.blobStore());
        opened.push(blobs);
        engine = new MatchEngine(config.engine(), config.descriptors());
        opened.push(engine);
        Metrics metrics = new Metrics("identify", common.metrics());
        opened.push(metrics);
        ReferenceDirectory directory = new ReferenceDirectory();
        producer = KafkaClients.producer(common.kafka(), "identify-producer");
        opened.push(() -> producer.close(Duration.ofSeconds(10)));

        gallery = new TopicReplay("identify-gallery", KafkaClients.replayConsumer(common.kafka(), "identify-gallery"),
                List.of(common.topics().references()), new GalleryLoader(engine, blobs, directory),
                new DeadLetters(producer, "identify-gallery", metrics));
        opened.push(gallery);
        gallery.start();
        http = Javalin.create(c -> {
            HttpErrors.configure(c);
            metrics.configure(c);
        });
        opened.push(http::stop);
        HttpErrors.install(http);
        metrics.install(http);
        http.get("/health", ctx -> ctx.status(isHealthy() ? 200 : 503).json(health()));
        serverPort.listen(http, config.bindAddress(), config.port());

        if (!gallery.awaitCaughtUp(config.galleryWait())) {
            log.warn("gallery not loaded within {}; matching stills against the {} views loaded so far",
                    config.galleryWait(), engine.size());
        } else {
            engine.trimToSize(); // the spare room of the index's lists, kept while the gallery was replayed
        }
        StillMatcher matcher = new StillMatcher(engine, blobs, directory, common.topics().identifications(),
                common.kafka().clientIdPrefix(), clock, new MatchMetrics(metrics.registry(), engine));
        StillsFirst stillsFirst = new StillsFirst();
        // One transactional id per instance: KIP-447 fences zombies by consumer-group generation.
        stills = new TransactionalLoop("identify-stills",
                metrics.consumerLag(KafkaClients.groupConsumer(common.kafka(), "identify-stills", config.groupId()),
                        config.groupId()),
                KafkaClients.transactionalProducer(common.kafka(), "identify-results",
                        common.kafka().clientIdPrefix() + "-identify-tx"),
                List.of(common.topics().stills()),
                record -> {
                    stillsFirst.stillStarted();
                    try {
                        return matcher.apply(record);
                    } finally {
                        stillsFirst.stillDone();
                    }
                },
                config.maxAttempts(), Duration.ofSeconds(1));
        opened.push(stills);
        stills.countDeadLettersIn(metrics);
        stills.start();
        if (config.films().enabled()) {
            startFilms(common, blobs, matcher, stillsFirst, producer);
        }
        log.info("identify ready on port {} with {} reference views in {} ms", port(), engine.size(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** The film lane: every film's wishes and checkpoints, then scan requests from the films group. */
    private void startFilms(dev.reelcars.platform.Common common, BlobStore blobs, StillMatcher matcher,
            StillsFirst stillsFirst, KafkaProducer<String, byte[]> dltProducer) throws InterruptedException {
        FilmStates states = new FilmStates(common.topics());
        filmStates = states;
        TopicReplay replay = new TopicReplay("identify-film-states",
                KafkaClients.replayConsumer(common.kafka(), "identify-film-states"),
                List.of(common.topics().filmControl(), common.topics().filmProgress()), states,
                new DeadLetters(dltProducer, "identify-film-states"));
        opened.push(replay);
        replay.start();
        if (!replay.awaitCaughtUp(config.galleryWait())) {
            log.warn("film checkpoints not read within {}; film scans start anyway", config.galleryWait());
        }
        // The film lane's first half: a film's request is cut into segment requests, in the transaction that
        // commits it.
        int segmentPartitions = dltProducer.partitionsFor(common.topics().filmSegments()).size();
        TransactionalLoop planner = new TransactionalLoop("identify-films",
                KafkaClients.groupConsumer(common.kafka(), "identify-films", config.films().groupId()),
                KafkaClients.transactionalProducer(common.kafka(), "identify-films",
                        common.kafka().clientIdPrefix() + "-identify-films-tx"),
                List.of(common.topics().films()),
                new FilmPlanner(config.films(), states, common.topics(), segmentPartitions,
                        common.kafka().clientIdPrefix(), clock),
                config.maxAttempts(), Duration.ofSeconds(1));
        opened.push(planner);
        planner.start();
        // The second half: segments scanned, one at a time per instance.
        films = new FilmJobs(new FilmJob.Context(config.films(), engine, blobs, matcher, states,
                common.topics().identifications(), common.kafka().clientIdPrefix(), () -> {
                    stillsFirst.awaitTurn();
                    filmFrameHook.run();
                }, clock), common.kafka(), common.topics());
        opened.push(films);
        films.start();
    }

    public int port() {
        return serverPort.get();
    }

    /** Every film's latest wish and checkpoint as this instance knows them (null when the film lane is off). */
    FilmStates filmStates() {
        return filmStates;
    }

    /** How many film-segments partitions this instance holds right now (0 when the film lane is off). */
    int filmSegmentPartitions() {
        return films == null ? 0 : films.assignedPartitions();
    }

    /** Whether the stills loop is running (false before start, after stop, and after a fatal error). */
    public boolean isConsuming() {
        return stills != null && stills.isRunning();
    }

    /** How many stills partitions this instance owns right now. */
    public int assignedPartitions() {
        return stills == null ? 0 : stills.assignedPartitions().size();
    }

    /** Stills this instance has identified (dead letters not counted). */
    public long stillsProcessed() {
        return stills == null ? 0 : stills.processedCount();
    }

    /** Reference views currently in the gallery. */
    public int gallerySize() {
        return engine == null ? 0 : engine.size();
    }

    private boolean isHealthy() {
        return started && gallery.isCaughtUp() && stills != null && stills.isRunning();
    }

    private Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", isHealthy() ? "ok" : "starting-or-failing");
        h.put("galleryViews", engine.size());
        h.put("galleryLoaded", gallery.isCaughtUp());
        h.put("consuming", stills != null && stills.isRunning());
        h.put("stillsPartitions", assignedPartitions());
        h.put("stillsProcessed", stills == null ? 0 : stills.processedCount());
        h.put("stillsDeadLettered", stills == null ? 0 : stills.deadLetteredCount());
        h.put("matcher", config.engine().matcher().name().toLowerCase());
        h.put("filmLane", films != null && films.isRunning());
        return h;
    }

    @Override
    public synchronized void stop() {
        started = false;
        if (opened.closeAll()) {
            log.info("identify stopped");
        }
    }
}
