package dev.reelcars.notify;

import dev.reelcars.accounts.AccountDirectory;
import dev.reelcars.accounts.AccountService;
import dev.reelcars.accounts.AccountsApi;
import dev.reelcars.accounts.AuditLog;
import dev.reelcars.accounts.Authenticator;
import dev.reelcars.accounts.PasswordHasher;
import dev.reelcars.accounts.SignInGuard;
import dev.reelcars.accounts.Tokens;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.Identification;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.ReferenceProposal;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.Service;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.blob.BlobStores;
import dev.reelcars.platform.http.ApiDescription;
import dev.reelcars.platform.http.HttpErrors;
import dev.reelcars.platform.http.RateLimiter;
import dev.reelcars.platform.http.ServerPort;
import dev.reelcars.platform.kafka.DeadLetters;
import dev.reelcars.platform.kafka.EventPublisher;
import dev.reelcars.platform.kafka.KafkaClients;
import dev.reelcars.platform.kafka.RecordHandler;
import dev.reelcars.platform.kafka.TopicAdmin;
import dev.reelcars.platform.kafka.TopicReplay;
import dev.reelcars.platform.metrics.Metrics;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reviewers' workbench. At start it rebuilds the review queue by replaying the identifications, decisions and
 * references topics from the beginning (they are the source of truth: nothing is stored locally), then serves the
 * page and API and follows the topics live. Decisions are published to Kafka and answered only after the ack.
 */
public final class NotifyService implements Service {
    private static final Logger log = LoggerFactory.getLogger(NotifyService.class);
    /** How long start() waits for the replay of existing records before serving anyway. */
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(120);
    /** The API's OpenAPI description, served at {@code GET /openapi.json}. */
    static final String API_DESCRIPTION = "/openapi/notify.json";

    private final NotifyConfig config;
    private final Clock clock;
    private final ReviewQueue queue;
    private final ReferenceProposals proposals;
    private final LiveUpdates live = new LiveUpdates();
    private final List<TopicReplay> replays = new ArrayList<>();
    private volatile boolean following;
    private final AtomicBoolean retroPending = new AtomicBoolean();
    private boolean started;
    private boolean stopped;
    private KafkaProducer<String, byte[]> producer;
    private EventPublisher publisher;
    private ScheduledExecutorService worker;
    private Webhooks webhooks;
    private ReferencePublisher references;
    private RetroMatcher retro;
    private DigestMailer mailer;
    private Javalin app;
    private final ServerPort serverPort = new ServerPort("notify");
    private Metrics metrics;

    public NotifyService(NotifyConfig config) {
        this(config, Clock.systemUTC());
    }

    public NotifyService(NotifyConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.queue = new ReviewQueue(config.consensus());
        this.proposals = new ReferenceProposals(config.consensus(), clock);
    }

    @Override
    public String name() {
        return "notify";
    }

    /** The port the page is served on (the real one when configured with 0). */
    public int port() {
        return serverPort.get();
    }

    /** The running app, for the test that checks the API description against its routes. */
    Javalin http() {
        return app;
    }

    /** The queue state (read-only use: tests and the launcher's status). */
    public ReviewQueue queue() {
        return queue;
    }

    @Override
    public synchronized void start() throws Exception {
        if (started) {
            throw new IllegalStateException("notify already started");
        }
        started = true;
        Topics topics = config.common().topics();
        var kafka = config.common().kafka();
        TopicAdmin.ensureTopics(kafka, topics, 30_000);
        BlobStore blobs = BlobStores.open(config.common().blobStore());
        producer = KafkaClients.producer(kafka, "notify");
        // A decision Kafka did not take is answered 503 and never published later; retry after 5 s.
        publisher = new EventPublisher(kafka, "notify-events", config.publishTimeout(), 5);
        worker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "notify-worker"));
        webhooks = new Webhooks(config.webhooks(), config.webhookAttempts(), config.webhookBackoff());
        references = new ReferencePublisher(queue, blobs, publisher, topics.references(), clock);
        retro = new RetroMatcher(queue, publisher::publish, topics.stills(), config.retroMatchPerHour(), clock);
        mailer = new DigestMailer(config.mail());
        warnAboutDemoAccount();

        metrics = new Metrics("notify", config.common().metrics());
        QueueMetrics.register(metrics.registry(), queue, proposals);
        DeadLetters dlt = new DeadLetters(producer, "notify", metrics);
        replays.add(replay("identifications", topics.identifications(), dlt, r ->
                onIdentification(EventCodec.decode(r.value(), Identification.class))));
        replays.add(replay("decisions", topics.decisions(), dlt, r ->
                applyDecision(EventCodec.decode(r.value(), ReviewDecision.class))));
        replays.add(replay("references", topics.references(), dlt, r ->
                onReference(r.key(), r.value() == null ? null : EventCodec.decode(r.value(), ReferenceAdded.class))));
        replays.add(replay("proposals", topics.referenceProposals(), dlt, r -> {
            if (r.value() != null) {
                ReferenceProposal p = EventCodec.decode(r.value(), ReferenceProposal.class);
                proposals.apply(p);
                if (following) {
                    live.broadcast("proposals", Map.of("proposalId", p.proposalId()));
                }
            }
        }));
        AccountDirectory directory = new AccountDirectory();
        AuditLog audit = new AuditLog(publisher::publish, topics.audit(), clock);
        replays.add(replay("accounts", topics.accounts(), dlt, directory));
        replays.add(replay("audit", topics.audit(), dlt, audit));
        long t0 = System.nanoTime();
        for (TopicReplay replay : replays) {
            if (!replay.awaitCaughtUp(CATCH_UP_TIMEOUT)) {
                log.warn("replay not caught up within {} s; serving a partial queue", CATCH_UP_TIMEOUT.toSeconds());
            }
        }
        following = true;
        log.info("queue rebuilt from Kafka in {} ms: {} stills", (System.nanoTime() - t0) / 1_000_000,
                queue.tasks().size());
        // A confirmation whose reference was not yet published, or a reopening whose reference was not yet withdrawn
        // (a crash in between), is completed now.
        worker.execute(references::reconcile);
        worker.execute(this::publishAcceptedProposals);
        scheduleDigest();

        var accountsConfig = config.accountsConfig();
        Tokens tokens = new Tokens(accountsConfig.tokenSecret());
        AccountService accounts = new AccountService(directory, new PasswordHasher(accountsConfig.passwordCost()),
                tokens, new SignInGuard(clock, accountsConfig.signInsPerAddressPerMinute()), publisher::publish,
                topics.accounts(), audit, accountsConfig, clock);
        seedAccounts(accounts);
        Authenticator auth = new Authenticator(tokens, directory,
                accountsConfig.publicOrigins(), clock);
        ReviewApi api = new ReviewApi(config, queue, blobs, auth, audit, live, this::decide, this::sendDigest, clock);
        app = Javalin.create(c -> {
            HttpErrors.configure(c);
            metrics.configure(c);
            c.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/public";
                sf.location = Location.CLASSPATH;
                sf.headers = Map.of("Content-Security-Policy", api.contentSecurityPolicy(),
                        "X-Content-Type-Options", "nosniff", "Cache-Control", "no-cache");
            });
        });
        HttpErrors.install(app);
        metrics.install(app);
        ApiDescription.fromResource(NotifyService.class, API_DESCRIPTION).serve(app);
        new AccountsApi(accounts, auth, audit, accountsConfig).routes(app);
        new ReviewerRateLimit(auth, new RateLimiter(config.writeRate(), clock, "writes")).install(app);
        api.routes(app);
        new GalleryApi(auth, audit, proposals, queue, this::decide, new GalleryApi.Gallery() {
            @Override
            public void put(ReferenceAdded reference) {
                publisher.publish(topics.references(), reference);
                onReference(reference.referenceId(), reference);
            }

            @Override
            public void retire(String referenceId) {
                publisher.publishTombstone(topics.references(), referenceId);
                onReference(referenceId, null);
            }
        }, retro, clock).routes(app);
        serverPort.listen(app, config.bindAddress(), config.port());
        log.info("notify serving the reviewers' page on http://localhost:{}/", serverPort.get());
    }

    private TopicReplay replay(String role, String topic, DeadLetters dlt, RecordHandler handler) {
        TopicReplay r = new TopicReplay("notify-replay-" + role,
                metrics.consumerLag(KafkaClients.replayConsumer(config.common().kafka(), "notify-" + role),
                        "notify-replay-" + role), List.of(topic), handler, dlt);
        r.start();
        return r;
    }

    private void onIdentification(Identification id) {
        if (queue.apply(id) && following) {
            var task = queue.task(id.stillId());
            String status = task.map(t -> t.status().name().toLowerCase()).orElse("unknown");
            live.broadcast("queue", Map.of("stillId", id.stillId(), "reason", "identification", "status", status));
            webhooks.send("identification", Map.of("stillId", id.stillId(), "status", status,
                    "candidates", id.candidates().size(),
                    "film", Optional.ofNullable(id.still().film()).orElse("")));
        }
    }

    /** Publishes a reviewer's decision, waits for the broker's ack, then applies it (the replay will skip it). */
    private ReviewDecision decide(ReviewDecision decision) {
        publisher.publish(config.common().topics().decisions(), decision);
        applyDecision(decision);
        return decision;
    }

    private void applyDecision(ReviewDecision d) {
        if (ReferenceProposals.isProposal(d.stillId())) {
            if (proposals.apply(d) && following) {
                live.broadcast("proposals", Map.of("proposalId", d.stillId()));
                worker.execute(this::publishAcceptedProposals);
            }
            return;
        }
        var before = queue.task(d.stillId()).map(ReviewQueue.Task::status).orElse(null);
        if (!queue.apply(d) || !following) {
            return;
        }
        var after = queue.task(d.stillId()).map(ReviewQueue.Task::status).orElse(null);
        String status = after == null ? "unknown" : after.name().toLowerCase();
        live.broadcast("queue", Map.of("stillId", d.stillId(), "reason", "decision", "status", status));
        webhooks.send("decision", Map.of("stillId", d.stillId(), "verdict", d.verdict().name().toLowerCase(),
                "label", String.valueOf(d.label()), "reviewer", d.reviewer(), "status", status,
                "decidedAt", d.decidedAt().toString()));
        if (after != before && (after == ReviewQueue.Status.CONFIRMED || after == ReviewQueue.Status.REJECTED)) {
            webhooks.send(status, Map.of("stillId", d.stillId(), "label", String.valueOf(d.label())));
        }
        if (after == ReviewQueue.Status.CONFIRMED || d.verdict() == ReviewDecision.Verdict.REOPEN) {
            // A confirmation grows the gallery; a reopened one takes its view out again.
            worker.execute(references::reconcile);
        }
    }

    private void onReference(String referenceId, ReferenceAdded ref) {
        boolean isNew = queue.applyReference(referenceId, ref);
        if (isNew && following) {
            live.broadcast("references", Map.of("referenceId", referenceId));
            if (config.retroMatch() && retroPending.compareAndSet(false, true)) {
                // Coalesce a burst of new references into one resubmission, and give identify time to load them
                // into its gallery first (it reads the references topic on its own).
                worker.schedule(() -> retroMatch(referenceId), config.retroMatchDelay().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Publishes every accepted proposal not yet in the gallery (again after a crash: same reference id). */
    private void publishAcceptedProposals() {
        for (ReferenceAdded ref : proposals.acceptedNotPublished(queue::hasReference)) {
            try {
                publisher.publish(config.common().topics().references(), ref);
                proposals.markPublished(ref.referenceId());
            } catch (EventPublisher.Unavailable e) {
                log.warn("cannot publish accepted reference {} now, will retry on the next decision: {}",
                        ref.referenceId(), e.getMessage());
                return;
            }
        }
    }

    private void retroMatch(String referenceId) {
        retroPending.set(false);
        retro.resubmitUnidentified(referenceId);
        if (retro.waiting() > 0 && !stopped) {
            // Over this hour's budget: the rest go when the next hour's budget opens.
            worker.schedule(() -> retroMatch(referenceId), retro.untilNextHour().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void sendDigest() throws Exception {
        mailer.send(queue.queueFor("", null, null), "http://localhost:" + port() + "/");
    }

    private void scheduleDigest() {
        long every = config.mail().digestEvery().toMillis();
        if (mailer.enabled() && every > 0) {
            worker.scheduleAtFixedRate(() -> {
                try {
                    sendDigest();
                } catch (Exception e) {
                    log.warn("digest e-mail not sent: {}", e.toString());
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private void warnAboutDemoAccount() {
        if (config.demoAccounts()) {
            log.warn("DEMO ACCOUNTS ENABLED: 'demo'/'demo' (admin, reviewer) and 'contributor'/'demo' can sign in."
                    + " The launcher enables them only while it listens on loopback.");
        }
    }

    /** Creates configured accounts that do not exist yet; outside demo mode, disables the demo's accounts. */
    private void seedAccounts(AccountService accounts) {
        for (NotifyConfig.Seed seed : config.seeds()) {
            accounts.ensure(seed.name(), seed.passwordHash(), seed.roles(), seed.source());
        }
        if (!config.demoAccounts()) {
            int disabled = accounts.disableAllBy(NotifyConfig.DEMO);
            if (disabled > 0) {
                log.warn("disabled {} account(s) left by an earlier demo run", disabled);
            }
        }
        if (accounts.directory().all().stream().noneMatch(a -> a.has(dev.reelcars.accounts.Role.ADMIN))) {
            log.warn("no admin account: set REELCARS_NOTIFY_ADMIN_PASSWORD (and REELCARS_NOTIFY_ADMIN_NAME) to create"
                    + " one");
        }
    }

    @Override
    public synchronized void stop() {
        if (stopped || !started) {
            stopped = true;
            return;
        }
        stopped = true;
        long t0 = System.nanoTime();
        live.closeAll();
        if (app != null) {
            app.stop();
        }
        for (TopicReplay r : replays) {
            r.close();
        }
        if (worker != null) {
            worker.shutdown();
            try {
                if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                    worker.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                worker.shutdownNow();
            }
        }
        if (webhooks != null) {
            webhooks.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (metrics != null) {
            metrics.close();
        }
        // A retro-match already scheduled still runs before the worker ends, so a stop can take that long.
        log.info("notify stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }
}
