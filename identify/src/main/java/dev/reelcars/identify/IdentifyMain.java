package dev.reelcars.identify;

import dev.reelcars.identify.cli.MatchCli;
import dev.reelcars.identify.service.IdentifyConfig;
import dev.reelcars.identify.service.IdentifyKeys;
import dev.reelcars.identify.service.IdentifyService;
import dev.reelcars.platform.Settings;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar identify.jar} runs the identify service (settings from the environment, see
 * {@link IdentifyConfig}); {@code java -jar identify.jar match|train-vocabulary|calibrate ...} runs the batch
 * command-line tools of {@link MatchCli} on the same engine.
 */
public final class IdentifyMain {
    private IdentifyMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && !args[0].equals("serve")) {
            System.exit(MatchCli.run(args));
        }
        IdentifyService service = new IdentifyService(
                IdentifyConfig.from(Settings.fromEnvironment("identify", IdentifyKeys.all())));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.stop();
            done.countDown();
        }, "identify-shutdown"));
        service.start();
        done.await();
    }
}
