package dev.reelcars.identify.service;

import dev.reelcars.events.EventCodec;
import dev.reelcars.events.FilmControl;
import dev.reelcars.events.FilmProgress;
import dev.reelcars.events.FilmScans;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.kafka.RecordHandler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Every film's latest wish (film-control) and its segments' latest checkpoints (film-progress), replayed from the
 * start and followed by every identify instance: whichever instance is handed a segment resumes it from its
 * checkpoint, the one that takes a film's request sees whether it was already cut into segments, and the ones
 * scanning a film see its owner's pause or cancel between two frames.
 */
final class FilmStates implements RecordHandler {
    private final Topics topics;
    private final Map<String, FilmControl> requested = new ConcurrentHashMap<>();
    /** Per film, the latest checkpoint per key (one per segment). */
    private final Map<String, Map<String, FilmProgress>> checkpoints = new ConcurrentHashMap<>();

    FilmStates(Topics topics) {
        this.topics = topics;
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        if (record.topic().equals(topics.filmControl())) {
            FilmControl c = EventCodec.decode(record.value(), FilmControl.class);
            requested.put(c.filmId(), c);
        } else if (record.topic().equals(topics.filmProgress())) {
            record(EventCodec.decode(record.value(), FilmProgress.class));
        }
    }

    /**
     * A checkpoint this instance committed (at once) or read back; an older one never replaces a newer, so reading
     * back our own earlier checkpoints does not move a segment backwards.
     */
    void record(FilmProgress p) {
        checkpoints.computeIfAbsent(p.filmId(), id -> new ConcurrentHashMap<>()).merge(p.key(), p,
                (old, neu) -> neu.updatedAt().isBefore(old.updatedAt()) ? old : neu);
    }

    /** The owner's latest wish: run (also when never said), pause or cancel. */
    String requested(String filmId) {
        FilmControl c = requested.get(filmId);
        return c == null ? FilmControl.RUN : c.state();
    }

    /** When the owner's latest wish was made (null: never). */
    java.time.Instant wishedAt(String filmId) {
        FilmControl c = requested.get(filmId);
        return c == null ? null : c.at();
    }

    /** The film's scan as one view ({@link FilmScans#combine}). */
    Optional<FilmProgress> progress(String filmId) {
        Map<String, FilmProgress> film = checkpoints.get(filmId);
        return film == null ? Optional.empty() : FilmScans.combine(film.values());
    }

    /** The latest checkpoint of one segment of the film. */
    Optional<FilmProgress> checkpoint(String filmId, FilmProgress.Segment segment) {
        Map<String, FilmProgress> film = checkpoints.get(filmId);
        return film == null ? Optional.empty() : Optional.ofNullable(film.get(FilmProgress.key(filmId, segment)));
    }

    /** The latest checkpoints of the film's segments (none before it was cut into segments). */
    List<FilmProgress> segments(String filmId) {
        Map<String, FilmProgress> film = checkpoints.get(filmId);
        return film == null ? List.of() : film.values().stream().filter(p -> p.segment() != null).toList();
    }
}
