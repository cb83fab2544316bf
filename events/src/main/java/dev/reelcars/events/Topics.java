package dev.reelcars.events;

import java.util.List;
import java.util.Objects;

/**
 * The topic names of one reelcars deployment. A prefix lets tests use unique topics and lets two deployments share
 * a cluster. Each consumed topic has a dead-letter topic named {@code <topic>.dlt}.
 */
public record Topics(String stills, String identifications, String references, String decisions,
        String referenceProposals, String accounts, String audit, String catalogueEdits, String thumbnails,
        String films, String filmControl, String filmProgress, String filmSegments) {
    public static final String DEFAULT_PREFIX = "reelcars.";

    public Topics {
        Objects.requireNonNull(stills);
        Objects.requireNonNull(identifications);
        Objects.requireNonNull(references);
        Objects.requireNonNull(decisions);
        Objects.requireNonNull(referenceProposals);
        Objects.requireNonNull(accounts);
        Objects.requireNonNull(audit);
        Objects.requireNonNull(catalogueEdits);
        Objects.requireNonNull(thumbnails);
        Objects.requireNonNull(films);
        Objects.requireNonNull(filmControl);
        Objects.requireNonNull(filmProgress);
        Objects.requireNonNull(filmSegments);
    }

    public static Topics withPrefix(String prefix) {
        return new Topics(prefix + "stills", prefix + "identifications", prefix + "references", prefix + "decisions",
                prefix + "reference-proposals", prefix + "accounts", prefix + "audit", prefix + "catalogue-edits",
                prefix + "thumbnails", prefix + "films", prefix + "film-control", prefix + "film-progress",
                prefix + "film-segments");
    }

    public static Topics defaults() {
        return withPrefix(DEFAULT_PREFIX);
    }

    public static String deadLetter(String topic) {
        return topic + ".dlt";
    }

    /** The topics a consumer reads and dead-letters from. */
    public List<String> all() {
        return List.of(stills, identifications, references, decisions, referenceProposals, accounts, audit,
                catalogueEdits, thumbnails, films, filmControl, filmProgress, filmSegments);
    }
}
