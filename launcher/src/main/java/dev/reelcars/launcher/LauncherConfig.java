package dev.reelcars.launcher;

import dev.reelcars.platform.Settings;
import dev.reelcars.platform.http.BindAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The all-in-one launcher's own settings (each service reads its own from the same environment):
 * <ul>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} (unset by default): when unset, an embedded single-node KRaft broker starts
 *       in-process; when set, every service uses that cluster and no broker is started;</li>
 *   <li>{@code REELCARS_DATA_DIR} (default {@code ./data}): the embedded broker's log ({@code <dir>/kafka}), the
 *       blob store ({@code <dir>/blobs}) and the demo-gallery marker; a restart on the same directory keeps
 *       everything;</li>
 *   <li>{@code REELCARS_KAFKA_PORT} (default 9092) and {@code REELCARS_KAFKA_CONTROLLER_PORT} (default 9093): the
 *       embedded broker's ports (0 picks free ones);</li>
 *   <li>{@code REELCARS_DEMO_GALLERY} (default true): load the bundled demo gallery on first start;</li>
 *   <li>{@code REELCARS_DEMO_ACCOUNTS} (default true while no admin or reviewer is configured): demo mode, with
 *       the accounts {@code demo}/{@code demo} (admin, reviewer) and {@code contributor}/{@code demo} and a
 *       consensus of 1. Only while {@code REELCARS_BIND_ADDRESS} is a loopback address: asking for it on another
 *       address is refused at start.</li>
 * </ul>
 */
public record LauncherConfig(Optional<String> externalKafka, Path dataDir, int kafkaPort, int controllerPort,
        boolean demoGallery, boolean demoAccounts) {

    public static LauncherConfig from(Settings s) {
        boolean configured = s.optional("REELCARS_ADMIN_PASSWORD").isPresent()
                || s.optional("REELCARS_REVIEWERS").isPresent();
        String bind = BindAddress.from(s);
        boolean demo = s.bool("REELCARS_DEMO_ACCOUNTS", !configured && BindAddress.isLoopback(bind));
        if (demo && !BindAddress.isLoopback(bind)) {
            throw new IllegalArgumentException("REELCARS_DEMO_ACCOUNTS=true is refused while REELCARS_BIND_ADDRESS ("
                    + bind + ") is not a loopback address: the demo accounts' passwords are public");
        }
        return new LauncherConfig(
                s.optional("KAFKA_BOOTSTRAP_SERVERS"),
                s.path("REELCARS_DATA_DIR", Path.of("data")),
                s.integer("REELCARS_KAFKA_PORT", 9092, 0, 65535),
                s.integer("REELCARS_KAFKA_CONTROLLER_PORT", 9093, 0, 65535),
                s.bool("REELCARS_DEMO_GALLERY", true),
                demo);
    }
}
