package dev.reelcars.ingest;

import dev.reelcars.events.EventCodec;
import dev.reelcars.events.FilmControl;
import dev.reelcars.events.FilmProgress;
import dev.reelcars.events.FilmScans;
import dev.reelcars.events.FilmSubmitted;
import dev.reelcars.events.Identification;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.events.Topics;
import dev.reelcars.platform.kafka.RecordHandler;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What ingest knows of films, rebuilt at start by replaying the films, film-control, film-progress and
 * identifications topics and then following them: each film's submission (for idempotent re-submission by content
 * hash and for quotas; a tombstone is a deleted film), what its owner asked of the scan, identify's latest progress
 * (for {@code GET /api/films/{id}}: the latest checkpoint of each of the film's segments, combined into one view)
 * and the appearances found so far (for the page's timeline).
 *
 * <p>An appearance is the review item identify publishes for it: an identification whose still carries a
 * {@code filmRange} (the film and the in and out seconds) and whose note says {@code film scan: LABEL from IN to OUT
 * (N frames, score S)}, where the label, frame count and score are read; stills written before {@code filmRange}
 * existed (version 1) give the film as {@code clipId} and the times only in the note.
 * Only identifications keyed as a film's review items ({@value #APPEARANCE_KEY}) are decoded, so the stills'
 * identifications cost a key comparison each.
 */
final class FilmCatalog implements RecordHandler {
    /** identify's review-item ids for appearances: {@code still-<the film id's 32 hex digits>-<16 hex digits>}. */
    static final String APPEARANCE_KEY = "still-[0-9a-f]{32}-[0-9a-f]{16}";
    private static final Pattern APPEARANCE_ID = Pattern.compile(APPEARANCE_KEY);
    private static final Pattern NOTE = Pattern.compile(
            "film scan: (.+) from (\\d+):(\\d\\d):(\\d\\d(?:\\.\\d+)?) to (\\d+):(\\d\\d):(\\d\\d(?:\\.\\d+)?) "
            + "\\((\\d+) frames, score ([0-9.]+)\\)");

    /**
     * One appearance on a film's timeline: in and out in film seconds, the best frame's timecode, and the review
     * item ({@code stillId}) that carries it.
     */
    record Appearance(String stillId, String label, double start, double end, int frames, double score,
            String timecode) {
    }

    private final Topics topics;
    private final Map<String, FilmSubmitted> films = new ConcurrentHashMap<>();
    private final Map<String, FilmControl> control = new ConcurrentHashMap<>();
    /** Each film's latest checkpoint per key: one per segment (a whole-film checkpoint of old under the film's id). */
    private final Map<String, Map<String, FilmProgress>> progress = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Appearance>> appearances = new ConcurrentHashMap<>();

    FilmCatalog(Topics topics) {
        this.topics = topics;
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) {
        String topic = record.topic();
        if (topic.equals(topics.films())) {
            if (record.value() == null) {
                forget(record.key());
            } else {
                record(EventCodec.decode(record.value(), FilmSubmitted.class));
            }
        } else if (topic.equals(topics.filmControl()) && record.value() != null) {
            FilmControl c = EventCodec.decode(record.value(), FilmControl.class);
            control.put(c.filmId(), c);
        } else if (topic.equals(topics.filmProgress()) && record.value() != null) {
            FilmProgress p = EventCodec.decode(record.value(), FilmProgress.class);
            progress.computeIfAbsent(p.filmId(), id -> new ConcurrentHashMap<>()).put(p.key(), p);
        } else if (topic.equals(topics.identifications()) && record.value() != null && record.key() != null
                && APPEARANCE_ID.matcher(record.key()).matches()) {
            appearance(EventCodec.decode(record.value(), Identification.class));
        }
    }

    private void appearance(Identification id) {
        StillSubmitted.FilmRange range = id.still().filmRange();
        String filmId = range != null ? range.filmId() : id.still().clipId();
        Matcher m = id.still().note() == null ? null : NOTE.matcher(id.still().note());
        if (filmId == null || m == null || !m.matches()) {
            return;
        }
        double in = range != null ? range.inSeconds() : seconds(m.group(2), m.group(3), m.group(4));
        double out = range != null ? range.outSeconds() : seconds(m.group(5), m.group(6), m.group(7));
        Appearance a = new Appearance(id.stillId(), m.group(1), in, out, Integer.parseInt(m.group(8)),
                Double.parseDouble(m.group(9)), id.still().timecode());
        // The same review item published again (a restarted scan) replaces the earlier one.
        appearances.computeIfAbsent(filmId, k -> new ConcurrentHashMap<>()).put(a.stillId(), a);
    }

    private static double seconds(String h, String m, String s) {
        return Integer.parseInt(h) * 3600 + Integer.parseInt(m) * 60 + Double.parseDouble(s);
    }

    /** A deleted film: its submission, wishes, progress and appearances are no longer ingest's to show. */
    void forget(String filmId) {
        films.remove(filmId);
        control.remove(filmId);
        progress.remove(filmId);
        appearances.remove(filmId);
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

    /** This account's films, newest first. */
    List<FilmSubmitted> ownedBy(String account) {
        return films.values().stream().filter(f -> f.owner().equals(account))
                .sorted(Comparator.comparing(FilmSubmitted::submittedAt).reversed()).toList();
    }

    /** The film's appearances so far, by start. */
    List<Appearance> appearances(String filmId) {
        return appearances.getOrDefault(filmId, Map.of()).values().stream()
                .sorted(Comparator.comparingDouble(Appearance::start).thenComparing(Appearance::label)).toList();
    }

    /** The film's scan as one view: its segments' checkpoints summed ({@link FilmScans#combine}). */
    Optional<FilmProgress> progress(String filmId) {
        Map<String, FilmProgress> checkpoints = progress.get(filmId);
        return checkpoints == null ? Optional.empty() : FilmScans.combine(checkpoints.values());
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
