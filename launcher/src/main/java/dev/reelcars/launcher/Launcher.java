package dev.reelcars.launcher;

import dev.reelcars.accounts.AccountsConfig;
import dev.reelcars.accounts.AccountsKeys;
import dev.reelcars.broker.EmbeddedKafka;
import dev.reelcars.catalogue.CatalogueConfig;
import dev.reelcars.catalogue.CatalogueService;
import dev.reelcars.identify.service.IdentifyConfig;
import dev.reelcars.identify.service.IdentifyService;
import dev.reelcars.ingest.IngestConfig;
import dev.reelcars.ingest.IngestService;
import dev.reelcars.notify.NotifyConfig;
import dev.reelcars.notify.NotifyService;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.CommonKeys;
import dev.reelcars.platform.Service;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.blob.BlobStores;
import dev.reelcars.platform.kafka.TopicAdmin;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the whole stack in one JVM: an embedded Kafka broker (unless {@code REELCARS_KAFKA_BOOTSTRAP_SERVERS} names
 * a cluster), identify, notify, the catalogue and ingest, and the demo gallery on first start. Services start in the
 * order their readers need (identify's gallery before uploads arrive) and stop in reverse. Each service gets its
 * config record, read from the one {@link Settings} and adjusted as records (the broker's address, the page's
 * origin, demo mode): the environment is never rewritten.
 */
public final class Launcher implements Service {
    private static final Logger log = LoggerFactory.getLogger(Launcher.class);

    private final Settings settings;
    private final LauncherConfig config;
    private final List<Service> services = new ArrayList<>();
    private EmbeddedKafka broker;
    private String bootstrapServers;
    private IdentifyService identify;
    private IngestService ingest;
    private volatile NotifyService notify;
    private Configs configs;

    public Launcher(Settings settings) {
        this.settings = settings;
        this.config = LauncherConfig.from(settings);
    }

    @Override
    public String name() {
        return "reelcars";
    }

    @Override
    public synchronized void start() throws Exception {
        long t0 = System.nanoTime();
        if (config.externalKafka().isEmpty()) {
            broker = EmbeddedKafka.start(config.dataDir().resolve("kafka"), config.kafkaPort(),
                    config.controllerPort());
        }
        bootstrapServers = config.externalKafka().orElseGet(() -> broker.bootstrapServers());
        Common common = common("launcher");
        TopicAdmin.ensureTopics(common.kafka(), common.topics(), 60_000);
        if (config.demoGallery()) {
            DemoGallery.seedOnce(config.dataDir(), common.kafka(), common.topics().references(),
                    BlobStores.open(common.blobStore()), Clock.systemUTC());
        }
        IdentifyConfig identifyConfig = IdentifyConfig.from(settings, common("identify"));
        identify = startService(new IdentifyService(identifyConfig));
        // After identify runs: notify's free port is chosen now, and nothing else binds before notify does.
        configs = configs(identifyConfig);
        notify = startService(new NotifyService(configs.notifyConfig()));
        startService(new CatalogueService(configs.catalogueConfig()));
        ingest = startService(new IngestService(configs.ingestConfig()));
        log.info("reelcars ready in {} ms: reviewer page http://localhost:{}/  uploads http://localhost:{}/api/stills"
                        + "  identify health http://localhost:{}/health  Kafka {}",
                (System.nanoTime() - t0) / 1_000_000, notify.port(), ingest.port(), identify.port(),
                bootstrapServers);
    }

    /** What each service is started with: records, read once from the settings and adjusted as records. */
    public record Configs(IdentifyConfig identifyConfig, NotifyConfig notifyConfig, CatalogueConfig catalogueConfig,
            IngestConfig ingestConfig) {
    }

    private Configs configs(IdentifyConfig identifyConfig) throws java.io.IOException {
        AccountsConfig accounts = AccountsConfig.from(settings, config.dataDir());
        NotifyConfig notifyConfig = NotifyConfig.from(settings, common("notify"), accounts);
        if (!settings.isSet(AccountsKeys.PUBLIC_URL)) {
            // The page's own origin, the only one that may write with the session cookie (a free port is known only
            // once notify listens, so notify is given a free port chosen now).
            int port = notifyConfig.port() == 0 ? freePort() : notifyConfig.port();
            accounts = accounts.withPublicOrigins(Set.of("http://localhost:" + port, "http://127.0.0.1:" + port));
            notifyConfig = notifyConfig.withPort(port, accounts);
        }
        if (config.demoAccounts()) {
            // Demo mode, on loopback only: demo accounts, and one confirmation counts (a single person is trying it).
            notifyConfig = notifyConfig.withDemoAccounts();
            if (!settings.isSet(CommonKeys.CONSENSUS)) {
                notifyConfig = notifyConfig.withConsensus(1);
            }
        }
        return new Configs(
                identifyConfig,
                notifyConfig,
                CatalogueConfig.from(settings, common("catalogue"), accounts).withConsensus(notifyConfig.consensus()),
                IngestConfig.from(settings, common("ingest"), accounts));
    }

    /** The records the services were started with. */
    public Configs startedWith() {
        return configs;
    }

    /**
     * The shared settings for a client named {@code name}, on the stack's cluster (the embedded broker's address is
     * known once it runs); tests use it to reach the stack's topics and blobs.
     */
    public Common common(String name) {
        if (bootstrapServers == null) {
            throw new IllegalStateException("the launcher has not started");
        }
        return Common.from(settings, name).withBootstrapServers(bootstrapServers);
    }

    /** A port free now (tests ask for 0): the page's origin must be known before notify starts. */
    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private <S extends Service> S startService(S service) throws Exception {
        service.start();
        services.add(service);
        return service;
    }

    /** Stops notify and starts a new instance with the same settings, as a process restart would (tests). */
    synchronized NotifyService restartNotify() throws Exception {
        int i = services.indexOf(notify);
        notify.stop();
        // Callers on other threads (a test's reviewers) see the stopped notify until the new one listens, never one
        // half-way through its start.
        NotifyService next = new NotifyService(configs.notifyConfig());
        try {
            next.start();
        } catch (Exception | Error e) {
            next.stop();
            throw e;
        }
        notify = next;
        services.set(i, notify);
        return notify;
    }

    public IdentifyService identify() {
        return identify;
    }

    public IngestService ingest() {
        return ingest;
    }

    public NotifyService notifyService() {
        return notify;
    }

    public EmbeddedKafka broker() {
        return broker;
    }

    @Override
    public synchronized void stop() {
        for (int i = services.size() - 1; i >= 0; i--) {
            try {
                services.get(i).stop();
            } catch (RuntimeException e) {
                log.warn("stopping {} failed", services.get(i).name(), e);
            }
        }
        services.clear();
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /**
     * {@code java -jar reelcars.jar} runs the whole stack; {@code java -jar reelcars.jar seed-demo} only publishes the
     * demo gallery to the cluster in {@code REELCARS_KAFKA_BOOTSTRAP_SERVERS} and exits (compose runs it once);
     * {@code java -jar reelcars.jar dlt list|replay} inspects and replays dead letters ({@link DeadLetterTool}).
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("seed-demo")) {
            Common common = Common.from(Settings.fromEnvironment("seed-demo", LauncherKeys.all()), "seed-demo");
            TopicAdmin.ensureTopics(common.kafka(), common.topics(), 60_000);
            int n = DemoGallery.seedOnce(common.dataDir(), common.kafka(), common.topics().references(),
                    BlobStores.open(common.blobStore()), Clock.systemUTC());
            System.out.println("published " + n + " demo reference views (0: already published from "
                    + common.dataDir() + ")");
            return;
        }
        if (args.length > 0 && args[0].equals("gallery")) {
            Common common = Common.from(Settings.fromEnvironment("gallery import", LauncherKeys.all()),
                    "gallery-import");
            System.exit(GalleryImport.main(common, BlobStores.open(common.blobStore()),
                    java.util.Arrays.asList(args).subList(1, args.length), System.out));
        }
        if (args.length > 0 && args[0].equals("dlt")) {
            Common common = Common.from(Settings.fromEnvironment("dlt", LauncherKeys.all()), "dlt-tool");
            System.exit(new DeadLetterTool(common, System.out).run(java.util.Arrays.asList(args).subList(1,
                    args.length)));
        }
        if (args.length > 0) {
            System.err.println("usage: java -jar reelcars.jar [seed-demo | gallery import DIR [--as NAME]"
                    + " | dlt list [TOPIC] | dlt replay TOPIC]");
            System.exit(2);
        }
        Launcher launcher = new Launcher(Settings.fromEnvironment("reelcars", LauncherKeys.all()));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            launcher.stop();
            done.countDown();
        }, "reelcars-shutdown"));
        launcher.start();
        done.await();
    }
}
