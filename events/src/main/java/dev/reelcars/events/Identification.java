package dev.reelcars.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * identify's verdict on one still, keyed by {@code stillId}. An empty candidate list is the explicit "no match".
 * The still's own event travels along so a reader of this topic alone can show the whole story.
 *
 * <p>{@code nearMisses} are references that passed geometric verification but stayed below the acceptance
 * threshold: never a match, only evidence for a reviewer who names the vehicle. Added within schema version 1 as an
 * optional field: events written before it read as an empty list, and older readers ignore it.
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
        Instant identifiedAt) implements Event {

    public static final int CURRENT_VERSION = 1;

    public Identification {
        Ids.require(stillId, "stillId");
        Objects.requireNonNull(still, "still");
        Objects.requireNonNull(identifiedAt, "identifiedAt");
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        nearMisses = nearMisses == null ? List.of() : List.copyOf(nearMisses);
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
