package dev.reelcars.ingest;

import dev.reelcars.events.EventCodec;
import dev.reelcars.events.FilmControl;
import dev.reelcars.events.FilmProgress;
import dev.reelcars.events.FilmSubmitted;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.kafka.RecordHandler;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What ingest knows of films, rebuilt at start by replaying the films, film-control and film-progress topics and
 * then following them: each film's submission (for idempotent re-submission by content hash and for quotas), what
 * its owner asked of the scan, and identify's latest progress (for {@code GET /api/films/{id}}).
 */
final class FilmCatalog implements RecordHandler {
    private final Topics topics;
    private final Map<String, FilmSubmitted> films = new ConcurrentHashMap<>();
    private final Map<String, FilmControl> control = new ConcurrentHashMap<>();
    private final Map<String, FilmProgress> progress = new ConcurrentHashMap<>();

    FilmCatalog(Topics topics) {
        this.topics = topics;
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) {
        String topic = record.topic();
        if (topic.equals(topics.films())) {
            if (record.value() == null) {
                films.remove(record.key());
            } else {
                record(EventCodec.decode(record.value(), FilmSubmitted.class));
            }
        } else if (topic.equals(topics.filmControl()) && record.value() != null) {
            FilmControl c = EventCodec.decode(record.value(), FilmControl.class);
            control.put(c.filmId(), c);
        } else if (topic.equals(topics.filmProgress()) && record.value() != null) {
            FilmProgress p = EventCodec.decode(record.value(), FilmProgress.class);
            progress.put(p.filmId(), p);
        }
    }

    /** Records a submission at once (the replay brings the same record back later). */
    void record(FilmSubmitted film) {
        films.put(film.filmId(), film);
    }

    /** Records a control wish at once, so the answer to pause or resume already shows it. */
    void record(FilmControl wish) {
        control.put(wish.filmId(), wish);
    }

    Optional<FilmSubmitted> film(String filmId) {
        return Optional.ofNullable(films.get(filmId));
    }

    /** The film with this content, if one was submitted. */
    Optional<FilmSubmitted> bySha(String sha256) {
        return film(FilmSubmitted.idOf(sha256)).filter(f -> f.sha256().equals(sha256));
    }

    Optional<FilmProgress> progress(String filmId) {
        return Optional.ofNullable(progress.get(filmId));
    }

    /** The owner's latest wish for the scan: run (also when never said), pause or cancel. */
    String requested(String filmId) {
        FilmControl c = control.get(filmId);
        return c == null ? FilmControl.RUN : c.state();
    }

    /** Bytes of the films this account submitted (counted against its quota). */
    long bytesOwnedBy(String account) {
        return films.values().stream().filter(f -> f.owner().equals(account)).mapToLong(FilmSubmitted::bytes).sum();
    }
}
