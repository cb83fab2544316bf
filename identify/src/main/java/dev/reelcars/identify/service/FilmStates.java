package dev.reelcars.identify.service;

import dev.reelcars.events.EventCodec;
import dev.reelcars.events.FilmControl;
import dev.reelcars.events.FilmProgress;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.kafka.RecordHandler;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Every film's latest wish (film-control) and checkpoint (film-progress), replayed from the start and followed by
 * every identify instance: whichever instance is handed a film resumes it from its checkpoint, and the one scanning
 * a film sees its owner's pause or cancel between two frames.
 */
final class FilmStates implements RecordHandler {
    private final Topics topics;
    private final Map<String, FilmControl> requested = new ConcurrentHashMap<>();
    private final Map<String, FilmProgress> progress = new ConcurrentHashMap<>();

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
     * back our own earlier checkpoints does not move a film backwards.
     */
    void record(FilmProgress p) {
        progress.merge(p.filmId(), p, (old, neu) -> neu.updatedAt().isBefore(old.updatedAt()) ? old : neu);
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

    Optional<FilmProgress> progress(String filmId) {
        return Optional.ofNullable(progress.get(filmId));
    }
}
