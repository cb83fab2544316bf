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
 *   <li>{@code REELCARS_IDENTIFY_GALLERY_PROFILE} (default {@code full}; or {@code compact}): features kept per
 *       reference view; {@code compact} holds a view in about 31 KB of heap instead of 48 (100,000 views in about
 *       3 GB) at a cost in recall measured in README-matcher (indexed matcher only);</li>
 *   <li>{@code REELCARS_IDENTIFY_GALLERY_WAIT_SECONDS} (default 300): how long to wait for the gallery to load from the
 *       references topic before consuming stills (matching against half a gallery would give wrong "no match");</li>
 *   <li>{@code REELCARS_IDENTIFY_MAX_ATTEMPTS} (default 3): tries before an unexpectedly failing still is dead-lettered;</li>
 *   <li>plus the shared settings of {@link Common}.</li>
 * </ul>
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
        String matcher = s.string("REELCARS_IDENTIFY_MATCHER", "indexed");
        String gallery = s.string("REELCARS_IDENTIFY_GALLERY_PROFILE", "full");
        if (!gallery.equals("full") && !gallery.equals("compact")) {
            throw new IllegalArgumentException(
                    "REELCARS_IDENTIFY_GALLERY_PROFILE must be full or compact, got '" + gallery + "'");
        }
        EngineConfig engine = switch (matcher) {
            case "indexed" -> gallery.equals("compact") ? EngineConfig.compact() : EngineConfig.defaults();
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
                BindAddress.from(s));
    }
}
