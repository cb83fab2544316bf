package dev.reelcars.identify.service;

import dev.reelcars.identify.matcher.DescriptorStorage;
import dev.reelcars.identify.matcher.EngineConfig;
import dev.reelcars.platform.Common;
import dev.reelcars.platform.CommonKeys;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.http.BindAddress;
import java.time.Duration;

/**
 * identify's settings, read once from {@link Settings}: its own ({@link IdentifyKeys}: port, consumer group,
 * matcher, gallery profile, acceptance threshold, plates, descriptor storage, gallery wait, attempts, the film lane)
 * plus the shared settings of {@link Common}.
 */
public record IdentifyConfig(Common common, int port, String groupId, EngineConfig engine,
        DescriptorStorage descriptors, Duration galleryWait, int maxAttempts, String bindAddress,
        FilmJobs.Settings films) {

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
        String gallery = s.string(IdentifyKeys.GALLERY_PROFILE);
        if (!EngineConfig.PROFILES.contains(gallery)) {
            throw new IllegalArgumentException("REELCARS_IDENTIFY_GALLERY_PROFILE must be one of "
                    + String.join(", ", EngineConfig.PROFILES) + ", got '" + gallery + "'");
        }
        EngineConfig engine = switch (matcher) {
            case "indexed" -> EngineConfig.profile(gallery);
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
                descriptors(s.string(IdentifyKeys.DESCRIPTORS)),
                s.duration(IdentifyKeys.GALLERY_WAIT, Duration.ofSeconds(1), Duration.ofDays(1)),
                s.integer(IdentifyKeys.MAX_ATTEMPTS, 1, 100),
                BindAddress.from(s),
                films(s, common));
    }

    private static DescriptorStorage descriptors(String value) {
        try {
            return DescriptorStorage.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("REELCARS_IDENTIFY_DESCRIPTORS: " + e.getMessage(), e);
        }
    }

    private static FilmJobs.Settings films(Settings s, Common common) {
        return new FilmJobs.Settings(
                s.bool(IdentifyKeys.FILMS),
                s.string(IdentifyKeys.FILM_GROUP_ID),
                s.path(CommonKeys.FILM_DIR, common.dataDir().resolve("films")),
                s.decimal(IdentifyKeys.FILM_FPS, 0.1, 30),
                s.integer(IdentifyKeys.FILM_WIDTH, 64, 3840),
                // Every core: StillsFirst already holds film workers back while a still is matched, and leaving a
                // core idle capped the lane at one core on a 2-core machine (measured in identify's README).
                s.integer(IdentifyKeys.FILM_THREADS, Runtime.getRuntime().availableProcessors(), 1, 256),
                s.integer(IdentifyKeys.FILM_CHECKPOINT_FRAMES, 1, 1_000_000),
                s.decimal(IdentifyKeys.FILM_SEGMENT_SECONDS, 1, 1_000_000),
                s.string(IdentifyKeys.FFMPEG),
                s.string(IdentifyKeys.FFPROBE));
    }
}
