package dev.reelcars.notify;

import dev.reelcars.platform.Settings;
import java.util.concurrent.CountDownLatch;

/** Runs notify alone: settings from the environment, stopped cleanly on SIGTERM/Ctrl-C. */
public final class NotifyMain {
    private NotifyMain() {
    }

    public static void main(String[] args) throws Exception {
        NotifyService service = new NotifyService(
                NotifyConfig.from(Settings.fromEnvironment("notify", NotifyKeys.all())));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.stop();
            done.countDown();
        }, "notify-shutdown"));
        service.start();
        done.await();
    }
}
