package dev.reelcars.launcher;

import dev.reelcars.notify.NotifyKeys;
import dev.reelcars.platform.CommonKeys;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.http.BindAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The all-in-one launcher's own settings ({@link LauncherKeys}); the services' records are read from the same
 * {@link Settings} and handed to them typed ({@link Launcher}):
 * <ul>
 *   <li>{@code REELCARS_KAFKA_BOOTSTRAP_SERVERS} unset: an embedded single-node KRaft broker starts in-process;
 *       set: every service uses that cluster and no broker is started;</li>
 *   <li>{@code REELCARS_DATA_DIR}: the embedded broker's log ({@code <dir>/kafka}), the blob store
 *       ({@code <dir>/blobs}) and the demo-gallery marker; a restart on the same directory keeps everything;</li>
 *   <li>demo mode (the demo accounts and a consensus of 1) only while {@code REELCARS_BIND_ADDRESS} is a loopback
 *       address: asking for it on another address is refused at start.</li>
 * </ul>
 */
public record LauncherConfig(Optional<String> externalKafka, Path dataDir, int kafkaPort, int controllerPort,
        boolean demoGallery, boolean demoAccounts) {

    public static LauncherConfig from(Settings s) {
        boolean configured = s.isSet(NotifyKeys.ADMIN_PASSWORD) || s.isSet(NotifyKeys.REVIEWERS);
        String bind = BindAddress.from(s);
        boolean demo = s.bool(LauncherKeys.DEMO_ACCOUNTS, !configured && BindAddress.isLoopback(bind));
        if (demo && !BindAddress.isLoopback(bind)) {
            throw new IllegalArgumentException(LauncherKeys.DEMO_ACCOUNTS + "=true is refused while "
                    + CommonKeys.BIND_ADDRESS + " (" + bind + ") is not a loopback address: the demo accounts' "
                    + "passwords are public");
        }
        return new LauncherConfig(
                s.optional(CommonKeys.KAFKA_BOOTSTRAP_SERVERS),
                s.path(CommonKeys.DATA_DIR),
                s.integer(LauncherKeys.KAFKA_PORT, 0, 65535),
                s.integer(LauncherKeys.KAFKA_CONTROLLER_PORT, 0, 65535),
                s.bool(LauncherKeys.DEMO_GALLERY),
                demo);
    }
}
