package dev.reelcars.contracts;

import java.util.List;
import java.util.Objects;

/**
 * The topic names of one reelcars deployment. A prefix lets tests use unique topics and lets two deployments share
 * a cluster. Each consumed topic has a dead-letter topic named {@code <topic>.dlt}.
 */
public record Topics(String stills, String identifications, String references, String decisions) {
    public static final String DEFAULT_PREFIX = "reelcars.";

    public Topics {
        Objects.requireNonNull(stills);
        Objects.requireNonNull(identifications);
        Objects.requireNonNull(references);
        Objects.requireNonNull(decisions);
    }

    public static Topics withPrefix(String prefix) {
        return new Topics(prefix + "stills", prefix + "identifications", prefix + "references", prefix + "decisions");
    }

    public static Topics defaults() {
        return withPrefix(DEFAULT_PREFIX);
    }

    public static String deadLetter(String topic) {
        return topic + ".dlt";
    }

    public List<String> all() {
        return List.of(stills, identifications, references, decisions);
    }
}
