package dev.reelcars.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * identify's verdict on one still, keyed by {@code stillId}. An empty candidate list is the explicit "no match".
 * The still's own event travels along so a reader of this topic alone can show the whole story.
 *
 * <p>{@code nearMisses} are references that passed geometric verification but stayed below the acceptance
 * threshold: never a match, only evidence for a reviewer who names the vehicle. Added within schema version 1 as an
 * optional field: events written before it read as an empty list, and older readers ignore it.
 *
 * <p>{@code acceptThresholds}, likewise optional within version 1 (absent: an empty map, "not sent"), is the
 * confidence a candidate had to reach to be proposed, by evidence kind ({@link Candidate#FEATURES},
 * {@link Candidate#PLATE}): identify's setting at the time it matched this still, so a reviewer can see how far
 * above the line a match is. Empty when the matcher has no threshold (the exhaustive matcher: most inliers win).
 */
public record Identification(
        int schemaVersion,
        String stillId,
        StillSubmitted still,
        List<Candidate> candidates,
        List<Candidate> nearMisses,
        int gallerySize,
        long matchMicros,
        String identifiedBy,
        Instant identifiedAt,
        Map<String, Double> acceptThresholds) implements Event {

    public static final int CURRENT_VERSION = 1;

    /** An identification that does not say its acceptance thresholds. */
    public Identification(int schemaVersion, String stillId, StillSubmitted still, List<Candidate> candidates,
            List<Candidate> nearMisses, int gallerySize, long matchMicros, String identifiedBy, Instant identifiedAt) {
        this(schemaVersion, stillId, still, candidates, nearMisses, gallerySize, matchMicros, identifiedBy,
                identifiedAt, Map.of());
    }

    public Identification {
        Ids.require(stillId, "stillId");
        Objects.requireNonNull(still, "still");
        Objects.requireNonNull(identifiedAt, "identifiedAt");
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        nearMisses = nearMisses == null ? List.of() : List.copyOf(nearMisses);
        acceptThresholds = acceptThresholds == null ? Map.of() : Map.copyOf(acceptThresholds);
        for (var t : acceptThresholds.entrySet()) {
            if (!(t.getValue() >= 0 && t.getValue() <= 1)) {
                throw new IllegalArgumentException("acceptThresholds." + t.getKey() + " must be in 0..1, got "
                        + t.getValue());
            }
        }
    }

    @JsonIgnore
    public boolean matched() {
        return !candidates.isEmpty();
    }

    @Override
    public String key() {
        return stillId;
    }
}
