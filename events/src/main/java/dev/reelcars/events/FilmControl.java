package dev.reelcars.events;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What a film's owner (or an admin) wants of its scan, keyed by {@code filmId} on the compacted film-control topic:
 * {@value #RUN}, {@value #PAUSE} or {@value #CANCEL}. Every identify instance follows this topic, and the one scanning
 * the film looks at it between frames: a pause or a cancel takes effect within a frame's matching.
 */
public record FilmControl(int schemaVersion, String filmId, String state, String by, Instant at) implements Event {
    public static final int CURRENT_VERSION = 1;
    public static final String RUN = "run";
    public static final String PAUSE = "pause";
    public static final String CANCEL = "cancel";
    private static final Set<String> STATES = Set.of(RUN, PAUSE, CANCEL);

    public FilmControl {
        Ids.require(filmId, "filmId");
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("state must be one of " + STATES + ", got " + state);
        }
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
    }

    @Override
    public String key() {
        return filmId;
    }
}
