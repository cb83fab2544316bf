package dev.reelcars.catalogue;

import dev.reelcars.platform.Settings;
import java.util.concurrent.CountDownLatch;

/** Runs the catalogue alone: settings from the environment, stopped cleanly on SIGTERM/Ctrl-C. */
public final class CatalogueMain {
    private CatalogueMain() {
    }

    public static void main(String[] args) throws Exception {
        CatalogueService service = new CatalogueService(CatalogueConfig.from(
                Settings.fromEnvironment("catalogue", CatalogueKeys.all())));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.stop();
            done.countDown();
        }, "catalogue-shutdown"));
        service.start();
        done.await();
    }
}
