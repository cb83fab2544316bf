package dev.reelcars.identify;

import dev.reelcars.platform.Common;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.http.BindAddress;
import java.time.Duration;

/**
 * identify's settings, read once from {@link Settings}: its own ({@link IdentifyKeys}: port, consumer group,
 * matcher, acceptance threshold, plates, gallery wait, attempts) plus the shared settings of {@link Common}.
 */
public record IdentifyConfig(Common common, int port, String groupId, EngineConfig engine, Duration galleryWait,
        int maxAttempts, String bindAddress) {

    public IdentifyConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("REELCARS_IDENTIFY_PORT must be in 0..65535, got " + port);
        }
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("REELCARS_IDENTIFY_GROUP_ID must not be blank");
        }
    }

    public static IdentifyConfig from(Settings s) {
        return from(s, Common.from(s, "identify"));
    }

    /** identify's settings with the shared ones already made (the launcher's, for every service alike). */
    public static IdentifyConfig from(Settings s, Common common) {
        String matcher = s.string(IdentifyKeys.MATCHER);
        EngineConfig engine = switch (matcher) {
            case "indexed" -> EngineConfig.defaults();
            case "exhaustive" -> EngineConfig.exhaustive();
            default -> throw new IllegalArgumentException(
                    "REELCARS_IDENTIFY_MATCHER must be indexed or exhaustive, got '" + matcher + "'");
        };
        if (engine.matcher() == EngineConfig.Matcher.INDEXED) {
            engine = engine.withAcceptConfidence(
                    s.decimal(IdentifyKeys.ACCEPT_CONFIDENCE, engine.acceptConfidence(), 0.0, 1.0));
            if (!s.bool(IdentifyKeys.PLATES)) {
                engine = engine.withPlateRows(0);
            }
        }
        return new IdentifyConfig(
                common,
                s.integer(IdentifyKeys.PORT, 0, 65535),
                s.string(IdentifyKeys.GROUP_ID),
                engine,
                s.duration(IdentifyKeys.GALLERY_WAIT, Duration.ofSeconds(1), Duration.ofDays(1)),
                s.integer(IdentifyKeys.MAX_ATTEMPTS, 1, 100),
                BindAddress.from(s));
    }
}
