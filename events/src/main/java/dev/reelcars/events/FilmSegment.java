package dev.reelcars.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A request to scan one segment of a film, keyed by {@code filmId#index} on the film-segments topic. The identify
 * instance that takes a film's {@link FilmSubmitted} request cuts the film into segments and publishes one of these
 * per segment, on consecutive partitions, so the segments of one film are scanned by several instances at once
 * (their consumer group shares the partitions). Each segment keeps its own checkpoint ({@link FilmProgress} with the
 * same {@link FilmProgress.Segment}).
 *
 * @param fps frames sampled per film second; the segment's frame numbers count from the film's start at this rate
 * @param film the film's submission (where its bytes are, its title, year and owner)
 */
public record FilmSegment(int schemaVersion, String filmId, FilmProgress.Segment segment, double fps,
        FilmSubmitted film, Instant requestedAt) implements Event {
    public static final int CURRENT_VERSION = 1;

    public FilmSegment {
        Ids.require(filmId, "filmId");
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(film, "film");
        if (!film.filmId().equals(filmId)) {
            throw new IllegalArgumentException("the segment's film is " + film.filmId() + ", not " + filmId);
        }
        if (!(fps > 0)) {
            throw new IllegalArgumentException("fps must be positive, got " + fps);
        }
        Objects.requireNonNull(requestedAt, "requestedAt");
    }

    @Override
    public String key() {
        return FilmProgress.key(filmId, segment);
    }
}
