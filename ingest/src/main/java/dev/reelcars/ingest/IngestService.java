package dev.reelcars.ingest;

import dev.reelcars.accounts.AccountDirectory;
import dev.reelcars.accounts.AuditLog;
import dev.reelcars.accounts.Authenticator;
import dev.reelcars.accounts.Role;
import dev.reelcars.accounts.Tokens;
import dev.reelcars.platform.OpenedResources;
import dev.reelcars.platform.Service;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.blob.BlobStores;
import dev.reelcars.platform.http.RateLimiter;
import dev.reelcars.platform.http.ServerPort;
import dev.reelcars.platform.image.OpenCvNatives;
import dev.reelcars.platform.kafka.DeadLetters;
import dev.reelcars.platform.kafka.EventPublisher;
import dev.reelcars.platform.kafka.KafkaClients;
import dev.reelcars.platform.kafka.TopicAdmin;
import dev.reelcars.platform.kafka.TopicReplay;
import dev.reelcars.platform.metrics.Metrics;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest service: accepts stills, clips and references over HTTP, validates them, stores the bytes in the blob
 * store and publishes {@code StillSubmitted} / {@code ReferenceAdded}. At start it creates the topics and rebuilds
 * its duplicate index by replaying them, and only then opens the HTTP port.
 */
public final class IngestService implements Service {
    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private final IngestConfig config;
    private final Clock clock;
    /** Everything start() opened, the HTTP server last, closed in reverse order by stop(). */
    private final OpenedResources opened = new OpenedResources();
    private Javalin app;
    private final ServerPort serverPort = new ServerPort("ingest");
    private boolean started;

    public IngestService(IngestConfig config) {
        this(config, Clock.systemUTC());
    }

    IngestService(IngestConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public synchronized void start() throws Exception {
        if (started) {
            throw new IllegalStateException("ingest already started");
        }
        started = true;
        opened.startOrClose(this::startAll);
    }

    private void startAll() throws InterruptedException {
        OpenCvNatives.load();
        var common = config.common();
        TopicAdmin.ensureTopics(common.kafka(), common.topics(), 30_000);
        BlobStore blobs = BlobStores.open(common.blobStore());

        DuplicateIndex stills = new DuplicateIndex(config.nearDuplicateDistance());
        DuplicateIndex references = new DuplicateIndex(config.nearDuplicateDistance());
        // The replay handler never throws, so this producer only exists because TopicReplay requires one.
        KafkaProducer<String, byte[]> dltProducer = KafkaClients.producer(common.kafka(), "ingest-replay-dlt");
        opened.push(dltProducer);
        TopicReplay replay = new TopicReplay("ingest-index-replay",
                KafkaClients.replayConsumer(common.kafka(), "ingest-index-replay"),
                List.of(common.topics().stills(), common.topics().references(), common.topics().referenceProposals()),
                new IndexReplay(common.topics(), blobs, stills, references),
                new DeadLetters(dltProducer, "ingest"));
        opened.push(replay);
        replay.start();
        long t0 = System.nanoTime();
        if (!replay.awaitCaughtUp(config.replayTimeout())) {
            throw new IllegalStateException("duplicate index not rebuilt within " + config.replayTimeout());
        }
        // Uploads need an owner: the accounts topic says who exists and holds which role, on every instance.
        AccountDirectory directory = new AccountDirectory();
        TopicReplay accountReplay = new TopicReplay("ingest-accounts-replay",
                KafkaClients.replayConsumer(common.kafka(), "ingest-accounts"), List.of(common.topics().accounts()),
                directory, new DeadLetters(dltProducer, "ingest"));
        opened.push(accountReplay);
        accountReplay.start();
        if (!accountReplay.awaitCaughtUp(config.replayTimeout())) {
            throw new IllegalStateException("accounts not read within " + config.replayTimeout());
        }
        log.info("duplicate index rebuilt in {} ms: {} stills, {} references",
                (System.nanoTime() - t0) / 1_000_000, stills.size(), references.size());
        // Films: their submissions (content hashes, quotas), their owners' wishes and identify's progress.
        FilmCatalog filmCatalog = new FilmCatalog(common.topics());
        TopicReplay filmReplay = new TopicReplay("ingest-films-replay",
                KafkaClients.replayConsumer(common.kafka(), "ingest-films"),
                List.of(common.topics().films(), common.topics().filmControl(), common.topics().filmProgress(),
                        common.topics().identifications()),
                filmCatalog, new DeadLetters(dltProducer, "ingest"));
        opened.push(filmReplay);
        filmReplay.start();
        if (!filmReplay.awaitCaughtUp(config.replayTimeout())) {
            throw new IllegalStateException("films not read within " + config.replayTimeout());
        }

        EventPublisher publisher = new EventPublisher(common.kafka(), "ingest", config.publishTimeout(),
                config.retryAfterSeconds());
        opened.push(publisher);
        KafkaHealth health = new KafkaHealth(common.kafka());
        opened.push(health);
        Submissions submissions = new Submissions(common.topics(), blobs, publisher, stills, references, clock);
        RateLimiter rateLimiter = new RateLimiter(config.rate(), clock, "uploads");
        var spoolDir = common.dataDir().resolve("ingest-spool");
        var limits = config.uploads();
        // One validator for uploads and clip frames, so its cap on concurrent decodes holds for the whole service.
        ImageValidator validator = new ImageValidator(limits.maxImageBytes(), limits.maxPixels(),
                limits.stripTrailingData(), limits.maxConcurrentDecodes(), config.retryAfterSeconds());
        UploadEndpoints uploads = new UploadEndpoints(limits, validator, submissions, spoolDir);
        var accounts = config.accounts();
        Authenticator auth = new Authenticator(new Tokens(accounts.tokenSecret()), directory,
                accounts.publicOrigins(), clock);
        UploadGate gate = new UploadGate(auth, rateLimiter, config.anonymousStills());
        ClipJobs clipJobs = new ClipJobs(config.clips(), validator, submissions);
        opened.push(clipJobs);
        ClipEndpoints clips = new ClipEndpoints(config.clips(), config.uploads(), clipJobs, spoolDir);
        FilmUploads filmUploads = new FilmUploads(config.films(), config.uploads(), filmCatalog, publisher,
                common.topics(), auth, config.clips().ffprobe(), clock);
        opened.push(filmUploads);
        filmUploads.recover();
        // ingest writes the audit trail (film deletions) but does not read it back: notify serves GET /api/audit.
        AuditLog audit = new AuditLog(publisher::publish, common.topics().audit(), clock);
        FilmEndpoints films = new FilmEndpoints(filmCatalog, publisher, common.topics(), auth, config.films(),
                config.uploads(), config.clips().ffprobe(), audit, clock);
        opened.push(films);

        Metrics metrics = new Metrics("ingest", common.metrics());
        opened.push(metrics);
        UploadMetrics.install(metrics);
        app = HttpApp.create(accounts.publicOrigins(), config.bindAddress(), metrics)
                .before("/api/stills", gate::admit)
                .before("/api/references", gate::admit)
                .before("/api/clips", gate::admit)
                .post("/api/stills", uploads::postStill)
                .post("/api/references", uploads::postReference)
                .post("/api/clips", clips::postClip)
                .before(FilmUploads.BASE, gate::admit)
                .post(FilmUploads.BASE, filmUploads::create)
                .patch(FilmUploads.BASE + "/{id}", filmUploads::patch)
                .delete(FilmUploads.BASE + "/{id}", filmUploads::delete)
                .head(FilmUploads.BASE + "/{id}", filmUploads::head)
                .get("/api/films", films::list)
                .get("/api/films/{id}", films::get)
                .delete("/api/films/{id}", films::delete)
                .before("/api/films/{id}/events", films::admitStream)
                .sse("/api/films/{id}/events", films::stream)
                .post("/api/films/{id}/pause", ctx -> films.control(ctx, "pause"))
                .post("/api/films/{id}/resume", ctx -> films.control(ctx, "resume"))
                .post("/api/films/{id}/cancel", ctx -> films.control(ctx, "cancel"))
                .post("/api/films/import", films::importFilm)
                .get("/api/clips/{id}", ctx -> {
                    auth.require(ctx, Role.CONTRIBUTOR);
                    clips.getClip(ctx);
                })
                .get("/health", ctx -> {
                    boolean kafka = health.reachable();
                    ctx.json(Map.of("status", kafka ? "ok" : "degraded", "kafka", kafka));
                });
        opened.push(app::stop);
        serverPort.listen(app, config.bindAddress(), config.port());
        log.info("ingest listening on port {}", serverPort.get());
    }

    /** The running app, for the test that checks the API description against its routes. */
    Javalin http() {
        return app;
    }

    /** The HTTP port (the real one when configured with 0). */
    public int port() {
        return serverPort.get();
    }

    @Override
    public synchronized void stop() {
        opened.closeAll();
        app = null;
    }
}
