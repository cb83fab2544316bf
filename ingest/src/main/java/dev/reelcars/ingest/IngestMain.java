package dev.reelcars.ingest;

import dev.reelcars.platform.Settings;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs ingest alone: configuration from the environment, stopped cleanly by SIGTERM / Ctrl-C. */
public final class IngestMain {
    private static final Logger log = LoggerFactory.getLogger(IngestMain.class);

    private IngestMain() {
    }

    public static void main(String[] args) throws Exception {
        IngestConfig config = IngestConfig.from(Settings.fromEnvironment("ingest", IngestKeys.all()));
        IngestService service = new IngestService(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping ingest");
            service.stop();
            stopped.countDown();
        }, "ingest-shutdown"));
        try {
            service.start();
        } catch (Exception e) {
            log.error("ingest failed to start", e);
            System.exit(1);
        }
        stopped.await();
    }
}
