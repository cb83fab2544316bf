package dev.reelcars.launcher;

import dev.reelcars.catalogue.CatalogueKeys;
import dev.reelcars.identify.service.IdentifyKeys;
import dev.reelcars.ingest.IngestKeys;
import dev.reelcars.notify.NotifyKeys;
import dev.reelcars.platform.Key;
import dev.reelcars.platform.Keys;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** The launcher's own settings ({@link LauncherConfig}) and the list of every key of the stack ({@link #all}). */
public final class LauncherKeys {
    public static final Keys KEYS = new Keys("launcher");

    public static final Key KAFKA_PORT = KEYS.key("REELCARS_LAUNCHER_KAFKA_PORT", "9092",
            "the embedded broker's port, always on localhost (`0`: a free port)", Keys.was("REELCARS_KAFKA_PORT"));
    public static final Key KAFKA_CONTROLLER_PORT = KEYS.key("REELCARS_LAUNCHER_KAFKA_CONTROLLER_PORT", "9093",
            "the embedded broker's controller port (`0`: a free port)", Keys.was("REELCARS_KAFKA_CONTROLLER_PORT"));
    public static final Key DEMO_GALLERY = KEYS.key("REELCARS_LAUNCHER_DEMO_GALLERY", "true",
            "publish the bundled demo gallery on first start", Keys.was("REELCARS_DEMO_GALLERY"));
    public static final Key DEMO_ACCOUNTS = KEYS.computed("REELCARS_LAUNCHER_DEMO_ACCOUNTS",
            "`true` while no admin or reviewer is configured and the bind address is loopback",
            "demo mode: the accounts `demo`/`demo` (admin, reviewer) and `contributor`/`demo`, and a consensus of 1 "
                    + "unless `REELCARS_CONSENSUS` is set; refused beyond loopback; outside demo mode the demo's "
                    + "accounts are disabled at start", Keys.was("REELCARS_DEMO_ACCOUNTS"));

    /** Keys only docker compose reads (from {@code .env}, to fill in the compose file), never a service. */
    public static final Keys COMPOSE = new Keys(Keys.SHARED).readBy("docker compose");
    public static final Key PUBLISH_ADDRESS = COMPOSE.key("REELCARS_PUBLISH_ADDRESS", "127.0.0.1",
            "compose only (in `.env`): the host interface the services' ports are published on");

    private LauncherKeys() {
    }

    /** Every key of the stack, shared ones first: what the launcher reads, and the README's table. */
    public static List<Keys> all() {
        LinkedHashSet<Keys> groups = new LinkedHashSet<>();
        groups.addAll(IngestKeys.all());
        groups.addAll(IdentifyKeys.all());
        groups.addAll(NotifyKeys.all());
        groups.addAll(CatalogueKeys.all());
        groups.add(KEYS);
        groups.add(COMPOSE);
        return new ArrayList<>(groups);
    }
}
