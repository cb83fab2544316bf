package dev.reelcars.identify.service;

import dev.reelcars.events.EventCodec;
import dev.reelcars.events.FilmProgress;
import dev.reelcars.events.FilmSegment;
import dev.reelcars.events.FilmSubmitted;
import dev.reelcars.events.Topics;
import dev.reelcars.identify.film.FilmVideo;
import dev.reelcars.identify.film.SegmentEdges;
import dev.reelcars.platform.kafka.TransactionalLoop;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a film into segments: the instance that takes a film's request ({@link FilmSubmitted} on the films topic,
 * through the films consumer group) probes the film and publishes one {@link FilmSegment} request per segment on
 * consecutive partitions of the film-segments topic, plus a {@code queued} checkpoint of each, in the same Kafka
 * transaction that commits the film's request ({@link TransactionalLoop}). The segments group then shares the
 * segments among instances, so several instances scan one film at once.
 *
 * <p>The plan is made once: a request for a film already cut (a resume, or a request read again after a crash)
 * asks again for every segment that is not done, with the segments its checkpoints name, and writes no checkpoint
 * (a segment's own checkpoint is where it resumes). A request for a film whose scan has ended asks for nothing.
 * A film that cannot be probed is one segment, whose scan then fails with ffprobe's reason.
 */
final class FilmPlanner implements TransactionalLoop.Transformer {
    private static final Logger log = LoggerFactory.getLogger(FilmPlanner.class);
    /** No film is cut into more segments than this (a 10-hour film in 300 s segments is 120). */
    static final int MAX_SEGMENTS = 1000;

    private final FilmJobs.Settings settings;
    private final FilmStates states;
    private final Topics topics;
    private final int segmentPartitions;
    private final String worker;
    private final Clock clock;

    FilmPlanner(FilmJobs.Settings settings, FilmStates states, Topics topics, int segmentPartitions, String worker,
            Clock clock) {
        if (segmentPartitions < 1) {
            throw new IllegalArgumentException("the film-segments topic has no partition");
        }
        this.settings = settings;
        this.states = states;
        this.topics = topics;
        this.segmentPartitions = segmentPartitions;
        this.worker = worker;
        this.clock = clock;
    }

    @Override
    public List<ProducerRecord<String, byte[]>> apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return List.of(); // a deleted film (ingest's tombstone): no scan request
        }
        FilmSubmitted film = EventCodec.decode(record.value(), FilmSubmitted.class);
        if (states.progress(film.filmId()).map(FilmProgress::finished).orElse(false)) {
            return List.of(); // a request for a film already scanned
        }
        List<FilmProgress> known = states.segments(film.filmId());
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        // The film's segments start on a partition of their own, then take the next ones: the segments group's
        // round-robin assignment gives consecutive partitions to different instances.
        int base = Math.floorMod(film.filmId().hashCode(), segmentPartitions);
        if (!known.isEmpty()) {
            for (FilmProgress p : known.stream().sorted(Comparator.comparingInt(p -> p.segment().index())).toList()) {
                if (!p.finished()) {
                    out.add(request(film, p.segment(), p.fps(), base));
                }
            }
            log.info("film {} asked again: {} of its {} segments to go", film.filmId(), out.size(), known.size());
            return out;
        }
        double fps = settings.fps();
        long framesTotal = 0;
        double seconds = 0;
        try {
            FilmVideo.Probe probe = FilmVideo.probe(settings.ffprobe(), resolve(film.source()));
            seconds = Double.isNaN(probe.seconds()) ? 0 : probe.seconds();
            framesTotal = (long) Math.ceil(seconds * fps);
        } catch (FilmVideo.ScanException e) {
            log.warn("film {} cannot be probed ({}); one segment, whose scan will say why", film.filmId(),
                    e.getMessage());
        }
        for (FilmProgress.Segment s : cut(framesTotal, fps, settings.segmentSeconds())) {
            out.add(request(film, s, fps, base));
            out.add(new ProducerRecord<>(topics.filmProgress(), FilmProgress.key(film.filmId(), s),
                    EventCodec.encode(new FilmProgress(FilmProgress.CURRENT_VERSION, film.filmId(),
                            FilmProgress.QUEUED, seconds, fps, framesTotal,
                            SegmentEdges.firstFrame(s, fps, FilmVideo.DEFAULT_MAX_GAP), 0, 0, 0, List.of(), 0, 0, null,
                            worker, clock.instant(), s, null))));
        }
        log.info("film {} ({}, {} s) cut into {} segments", film.filmId(), film.title(), Math.round(seconds),
                out.size() / 2);
        return out;
    }

    /**
     * The film's {@code framesTotal} sampled frames in about {@code segmentSeconds} each: as many segments as whole
     * segment lengths fit (at least one), of equal length.
     */
    static List<FilmProgress.Segment> cut(long framesTotal, double fps, double segmentSeconds) {
        long perSegment = Math.max(1, Math.round(segmentSeconds * fps));
        int count = (int) Math.max(1, Math.min(MAX_SEGMENTS, Math.round((double) framesTotal / perSegment)));
        return SegmentEdges.split(framesTotal, count);
    }

    private ProducerRecord<String, byte[]> request(FilmSubmitted film, FilmProgress.Segment s, double fps, int base) {
        FilmSegment request = new FilmSegment(FilmSegment.CURRENT_VERSION, film.filmId(), s, fps, film,
                clock.instant());
        return new ProducerRecord<>(topics.filmSegments(), (base + s.index()) % segmentPartitions, request.key(),
                EventCodec.encode(request));
    }

    private Path resolve(String source) {
        Path p = Path.of(source);
        return p.isAbsolute() ? p : settings.filmDir().resolve(source);
    }
}
