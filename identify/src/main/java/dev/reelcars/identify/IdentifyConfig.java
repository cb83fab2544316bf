package dev.reelcars.identify;

import dev.reelcars.platform.Common;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.http.BindAddress;
import java.time.Duration;

/**
 * identify's settings, read once from the environment:
 * <ul>
 *   <li>{@code REELCARS_IDENTIFY_PORT} (default 8082; 0 picks a free port): the health endpoint, on
 *       {@code REELCARS_BIND_ADDRESS} (127.0.0.1);</li>
 *   <li>{@code REELCARS_IDENTIFY_GROUP_ID} (default {@code reelcars-identify}): the consumer group; instances in one group
 *       share the stills partitions, each holding the whole gallery;</li>
 *   <li>{@code REELCARS_IDENTIFY_MATCHER} (default {@code indexed}; or {@code exhaustive}): the matching strategy;</li>
 *   <li>{@code REELCARS_IDENTIFY_ACCEPT_CONFIDENCE} (default: the calibrated threshold shipped with the matcher, 0.74):
 *       the confidence at or above which a candidate is proposed to reviewers; lower trades false matches for recall
 *       (indexed matcher only; {@code match calibrate} on your own labelled stills says what a value costs);</li>
 *   <li>{@code REELCARS_IDENTIFY_PLATES} (default {@code true}): read the number plates of references, and compare a
 *       still's with them character by character when its features identify nothing (indexed matcher only; off saves
 *       about 10 ms per reference indexed and per unidentified still);</li>
 *   <li>{@code REELCARS_IDENTIFY_GALLERY_WAIT_SECONDS} (default 300): how long to wait for the gallery to load from the
 *       references topic before consuming stills (matching against half a gallery would give wrong "no match");</li>
 *   <li>{@code REELCARS_IDENTIFY_MAX_ATTEMPTS} (default 3): tries before an unexpectedly failing still is dead-lettered;</li>
 *   <li>the film lane ({@link FilmJobs.Settings}): {@code REELCARS_IDENTIFY_FILMS} (default {@code true}: this instance
 *       scans films), {@code REELCARS_IDENTIFY_FILM_GROUP_ID} ({@code reelcars-identify-films}),
 *       {@code REELCARS_FILM_DIR} ({@code <data>/films}, shared with ingest), {@code REELCARS_IDENTIFY_FILM_FPS} (2),
 *       {@code REELCARS_IDENTIFY_FILM_WIDTH} (1280), {@code REELCARS_IDENTIFY_FILM_THREADS} (cores − 1, at least 1:
 *       a core stays for stills), {@code REELCARS_IDENTIFY_FILM_CHECKPOINT_FRAMES} (120: a minute of film),
 *       {@code REELCARS_IDENTIFY_FFMPEG} / {@code REELCARS_IDENTIFY_FFPROBE} ({@code ffmpeg} / {@code ffprobe});</li>
 *   <li>plus the shared settings of {@link Common}.</li>
 * </ul>
 */
public record IdentifyConfig(Common common, int port, String groupId, EngineConfig engine, Duration galleryWait,
        int maxAttempts, String bindAddress, FilmJobs.Settings films) {

    public IdentifyConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("REELCARS_IDENTIFY_PORT must be in 0..65535, got " + port);
        }
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("REELCARS_IDENTIFY_GROUP_ID must not be blank");
        }
    }

    public static IdentifyConfig from(Settings s) {
        String matcher = s.string("REELCARS_IDENTIFY_MATCHER", "indexed");
        EngineConfig engine = switch (matcher) {
            case "indexed" -> EngineConfig.defaults();
            case "exhaustive" -> EngineConfig.exhaustive();
            default -> throw new IllegalArgumentException(
                    "REELCARS_IDENTIFY_MATCHER must be indexed or exhaustive, got '" + matcher + "'");
        };
        if (engine.matcher() == EngineConfig.Matcher.INDEXED) {
            engine = engine.withAcceptConfidence(
                    s.decimal("REELCARS_IDENTIFY_ACCEPT_CONFIDENCE", engine.acceptConfidence(), 0.0, 1.0));
            if (!s.bool("REELCARS_IDENTIFY_PLATES", true)) {
                engine = engine.withPlateRows(0);
            }
        }
        return new IdentifyConfig(
                Common.from(s, "identify"),
                s.integer("REELCARS_IDENTIFY_PORT", 8082, 0, 65535),
                s.string("REELCARS_IDENTIFY_GROUP_ID", "reelcars-identify"),
                engine,
                Duration.ofSeconds(s.integer("REELCARS_IDENTIFY_GALLERY_WAIT_SECONDS", 300, 1, 86_400)),
                s.integer("REELCARS_IDENTIFY_MAX_ATTEMPTS", 3, 1, 100),
                BindAddress.from(s),
                films(s));
    }

    private static FilmJobs.Settings films(Settings s) {
        Common common = Common.from(s, "identify");
        return new FilmJobs.Settings(
                s.bool("REELCARS_IDENTIFY_FILMS", true),
                s.string("REELCARS_IDENTIFY_FILM_GROUP_ID", "reelcars-identify-films"),
                s.path("REELCARS_FILM_DIR", common.dataDir().resolve("films")),
                s.decimal("REELCARS_IDENTIFY_FILM_FPS", FilmScan.DEFAULT_FPS, 0.1, 30),
                s.integer("REELCARS_IDENTIFY_FILM_WIDTH", FilmScan.DEFAULT_WIDTH, 64, 3840),
                // One core is left to stills, so a film never slows a contributor's still down much.
                s.integer("REELCARS_IDENTIFY_FILM_THREADS",
                        Math.max(1, Runtime.getRuntime().availableProcessors() - 1), 1, 256),
                s.integer("REELCARS_IDENTIFY_FILM_CHECKPOINT_FRAMES", 120, 1, 1_000_000),
                s.string("REELCARS_IDENTIFY_FFMPEG", "ffmpeg"),
                s.string("REELCARS_IDENTIFY_FFPROBE", "ffprobe"));
    }
}
