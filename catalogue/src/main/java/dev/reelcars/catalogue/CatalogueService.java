package dev.reelcars.catalogue;

import dev.reelcars.accounts.AccountDirectory;
import dev.reelcars.accounts.AuditLog;
import dev.reelcars.accounts.Authenticator;
import dev.reelcars.accounts.Tokens;
import dev.reelcars.events.CatalogueEdit;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.Identification;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.OpenedResources;
import dev.reelcars.platform.Service;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.blob.BlobStores;
import dev.reelcars.platform.http.ApiDescription;
import dev.reelcars.platform.http.HttpErrors;
import dev.reelcars.platform.http.ServerPort;
import dev.reelcars.platform.kafka.DeadLetters;
import dev.reelcars.platform.kafka.EventPublisher;
import dev.reelcars.platform.kafka.KafkaClients;
import dev.reelcars.platform.kafka.RecordHandler;
import dev.reelcars.platform.kafka.TopicAdmin;
import dev.reelcars.platform.kafka.TopicReplay;
import dev.reelcars.platform.metrics.Metrics;
import io.javalin.Javalin;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogue: what the community has found, readable by everyone. At start it replays the identifications,
 * decisions and references topics from the beginning into an in-memory {@link Catalogue} and a Lucene
 * {@link SearchIndex} (nothing is stored locally; Kafka is the only source of truth), then serves pages and API and
 * follows the topics live, re-indexing changed vehicles and films every {@value #INDEX_EVERY_MILLIS} ms.
 */
public final class CatalogueService implements Service {
    private static final Logger log = LoggerFactory.getLogger(CatalogueService.class);
    static final long INDEX_EVERY_MILLIS = 250;
    static final String API_DESCRIPTION = "/openapi/catalogue.json";

    private final CatalogueConfig config;
    private final Clock clock;
    private final Catalogue catalogue;
    /** Everything start() opened, closed in reverse order by stop(). */
    private final OpenedResources opened = new OpenedResources();
    private Javalin app;
    private final ServerPort serverPort = new ServerPort("catalogue");
    private Metrics metrics;
    private boolean started;
    private long rebuildMillis;
    private long rebuildCpuMillis;

    public CatalogueService(CatalogueConfig config) {
        this(config, Clock.systemUTC());
    }

    CatalogueService(CatalogueConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.catalogue = new Catalogue(config.consensus());
    }

    @Override
    public String name() {
        return "catalogue";
    }

    @Override
    public synchronized void start() throws Exception {
        if (started) {
            throw new IllegalStateException("catalogue already started");
        }
        started = true;
        opened.startOrClose(this::startAll);
    }

    private void startAll() throws InterruptedException {
        var common = config.common();
        Topics topics = common.topics();
        TopicAdmin.ensureTopics(common.kafka(), topics, 30_000);
        BlobStore blobs = BlobStores.open(common.blobStore());
        opened.push(blobs);
        metrics = new Metrics("catalogue", common.metrics());
        opened.push(metrics);
        KafkaProducer<String, byte[]> dltProducer = KafkaClients.producer(common.kafka(), "catalogue-dlt");
        opened.push(dltProducer);
        DeadLetters dlt = new DeadLetters(dltProducer, "catalogue", metrics);
        EventPublisher publisher = new EventPublisher(common.kafka(), "catalogue-events", config.publishTimeout(), 5);
        opened.push(publisher);
        Thumbnails thumbnails = new Thumbnails(blobs, publisher, topics.thumbnails(), clock);
        SearchIndex index = new SearchIndex();
        opened.push(index);
        Indexer indexer = new Indexer(catalogue, index);
        CatalogueMetrics.install(metrics, catalogue, index, this::rebuildMillis);
        AccountDirectory directory = new AccountDirectory();

        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        List<TopicReplay> replays = new ArrayList<>();
        replays.add(replay("identifications", topics.identifications(), dlt, r -> {
            if (r.value() != null) {
                catalogue.apply(EventCodec.decode(r.value(), Identification.class));
            }
        }));
        replays.add(replay("decisions", topics.decisions(), dlt, r ->
                catalogue.apply(EventCodec.decode(r.value(), ReviewDecision.class))));
        replays.add(replay("references", topics.references(), dlt, r -> catalogue.applyReference(r.key(),
                r.value() == null ? null : EventCodec.decode(r.value(), ReferenceAdded.class))));
        // Reviewers' edits, in the one partition's order: the same order on every instance and at every start.
        replays.add(replay("edits", topics.catalogueEdits(), dlt, r -> {
            if (r.value() != null) {
                catalogue.apply(EventCodec.decode(r.value(), CatalogueEdit.class));
            }
        }));
        replays.add(replay("thumbnails", topics.thumbnails(), dlt, thumbnails));
        // Who may read a members-only catalogue and who may edit: the accounts topic, as on every service.
        replays.add(replay("accounts", topics.accounts(), dlt, directory));
        for (TopicReplay replay : replays) {
            if (!replay.awaitCaughtUp(config.replayTimeout())) {
                throw new IllegalStateException("topics not read within " + config.replayTimeout());
            }
        }
        long replayed = System.nanoTime();
        int documents = indexer.sync();
        rebuildMillis = (System.nanoTime() - t0) / 1_000_000;
        rebuildCpuMillis = (processCpuNanos() - cpu0) / 1_000_000;
        log.info("catalogue rebuilt from Kafka in {} ms (topics {} ms, index {} ms; the process used {} ms of CPU):"
                + " {} appearances, {} documents", rebuildMillis, (replayed - t0) / 1_000_000,
                (System.nanoTime() - replayed) / 1_000_000, rebuildCpuMillis, catalogue.appearanceCount(), documents);

        ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r ->
                new Thread(r, "catalogue-indexer"));
        opened.push(worker::shutdownNow);
        worker.scheduleWithFixedDelay(() -> {
            try {
                indexer.sync();
            } catch (RuntimeException e) {
                log.error("re-indexing failed; retrying", e);
            }
        }, INDEX_EVERY_MILLIS, INDEX_EVERY_MILLIS, TimeUnit.MILLISECONDS);

        var accounts = config.accounts();
        Authenticator auth = new Authenticator(new Tokens(accounts.tokenSecret()), directory,
                accounts.publicOrigins(), clock);
        CatalogueApi api = new CatalogueApi(catalogue, index, blobs, thumbnails, auth, config.publicPages());
        // The catalogue writes the audit trail but does not read it back (notify serves GET /api/audit).
        AuditLog audit = new AuditLog(publisher::publish, topics.audit(), clock);
        EditApi edits = new EditApi(catalogue, indexer::sync, auth, publisher, audit, topics.catalogueEdits(),
                config.editRate(), clock);
        CataloguePages pages = new CataloguePages(accounts.publicOrigins().iterator().next() + "/");
        app = Javalin.create(c -> {
            HttpErrors.configure(c);
            metrics.configure(c);
            CataloguePages.configure(c);
        });
        HttpErrors.install(app);
        metrics.install(app);
        ApiDescription.fromResource(CatalogueService.class, API_DESCRIPTION).serve(app);
        ServerTiming.install(app);
        api.routes(app);
        edits.routes(app);
        pages.routes(app);
        opened.push(app::stop);
        serverPort.listen(app, config.bindAddress(), config.port());
        log.info("catalogue serving on http://localhost:{}/ ({})", serverPort.get(),
                config.publicPages() ? "public" : "signed-in readers only");
    }

    private TopicReplay replay(String role, String topic, DeadLetters dlt, RecordHandler handler) {
        TopicReplay r = new TopicReplay("catalogue-replay-" + role,
                metrics.consumerLag(KafkaClients.replayConsumer(config.common().kafka(), "catalogue-" + role),
                        "catalogue-replay-" + role), List.of(topic), handler, dlt);
        opened.push(r);
        r.start();
        return r;
    }

    /** The HTTP port (the real one when configured with 0). */
    public int port() {
        return serverPort.get();
    }

    /** The running app, for tests that read its routes. */
    Javalin http() {
        return app;
    }

    /** How long the last start took to read the topics and build the index. */
    public long rebuildMillis() {
        return rebuildMillis;
    }

    /**
     * CPU time the whole process used during the last rebuild (all threads, the broker's too when it runs in the same
     * JVM): on a shared machine the wall time says more about the neighbours than about the catalogue.
     */
    public long rebuildCpuMillis() {
        return rebuildCpuMillis;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    @Override
    public synchronized void stop() {
        opened.closeAll();
        app = null;
    }
}
