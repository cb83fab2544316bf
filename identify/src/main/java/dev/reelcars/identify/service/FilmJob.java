package dev.reelcars.identify.service;

import dev.reelcars.events.EventCodec;
import dev.reelcars.events.FilmControl;
import dev.reelcars.events.FilmProgress;
import dev.reelcars.events.FilmSegment;
import dev.reelcars.events.FilmSubmitted;
import dev.reelcars.events.Identification;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.identify.film.AppearanceMerger;
import dev.reelcars.identify.film.FilmFrames;
import dev.reelcars.identify.film.FilmVideo;
import dev.reelcars.identify.film.SegmentEdges;
import dev.reelcars.identify.matcher.MatchEngine;
import dev.reelcars.platform.blob.BlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a film scanned by the service: the same sampling, matching and merging as {@code scan}
 * ({@link FilmFrames}, {@link AppearanceMerger}), from the segment's last checkpoint to its end, with a checkpoint
 * every {@code checkpointFrames} sampled frames. Each checkpoint publishes the appearances closed since the previous
 * one as review items and the progress, in one Kafka transaction ({@link Checkpoints}).
 *
 * <p><b>Segment edges</b> ({@link SegmentEdges}). An appearance belongs to the segment its first frame is in. A
 * segment therefore starts reading a few frames before its range (the longest an appearance can go unseen and still
 * go on, plus one frame) and drops what starts there: the previous segment's. It reads past its end until every
 * appearance that started inside its range has closed, and drops what starts after its end: the next segment's. Both segments skip
 * the same near-identical frames from the next segment's first frame on (this job starts its skipping afresh there,
 * as the next one does), so they see the same answers where they overlap and agree on every appearance's first
 * frame: an appearance across an edge is exactly one review item.
 *
 * <p>An appearance becomes a review item through the stills' own flow: its best frame in colour (kept from the
 * decoded frames while the appearance waits to be published; taken from the film again with {@code ffmpeg -ss}
 * only for an appearance that was open at the checkpoint a scan resumed from), stored in the blob store, and matched as a still, whose {@link Identification}
 * (outline, inliers, the reference) goes to the identifications topic like any other; notify makes one review task
 * of it. Its still carries the film's title and year, the best frame's timecode, {@code clipId} = the film id, the
 * appearance's film and in and out times as {@code filmRange} (StillSubmitted version 2; the catalogue shows the
 * range), and a note that says the same in words with the frames and score. The still id is derived from the film, label and start, so an
 * appearance published again after a restart replaces its review item instead of adding one.
 */
final class FilmJob {
    private static final Logger log = LoggerFactory.getLogger(FilmJob.class);

    /** Publishes a checkpoint: the records, the progress, and whether the segment's scan request is done with. */
    interface Checkpoints {
        void commit(List<ProducerRecord<String, byte[]>> appearances, FilmProgress progress, boolean requestDone);
    }

    /** What a job needs from the service. */
    record Context(FilmJobs.Settings settings, MatchEngine engine, BlobStore blobs, StillMatcher matcher,
            FilmStates states, String identificationsTopic, String worker, Runnable waitForTurn, Clock clock) {}

    private final Context c;
    private final FilmSubmitted film;
    private final FilmProgress.Segment segment;
    private final double fps;
    private final Checkpoints checkpoints;
    private final BooleanSupplier aborted;

    private double filmSeconds;
    private long framesTotal;
    private long next;
    private long matched;
    private long identified;
    private int appearances;
    private long resumedFrom;
    private long lastCheckpoint;
    private long framesThisRun;
    private long runStartNanos;
    private FilmProgress.LastMatch lastMatch;
    private boolean complete;
    private AppearanceMerger merger;
    /** The decoded frames that are some waiting appearance's best frame, by frame number. */
    private final Map<Long, FilmFrames.Picture> evidence = new HashMap<>();
    private Path path;
    private int[] size;

    FilmJob(Context context, FilmSegment request, Checkpoints checkpoints, BooleanSupplier aborted) {
        this.c = context;
        this.film = request.film();
        this.segment = request.segment();
        this.fps = request.fps();
        this.checkpoints = checkpoints;
        this.aborted = aborted;
    }

    /** Scans from the checkpoint to the segment's end, a pause or a cancel; returns early if aborted. */
    void run(FilmProgress last) throws Exception {
        path = resolve(film.source());
        if (!Files.isReadable(path)) {
            fail(last, "the film's file cannot be read here: " + film.source());
            return;
        }
        FilmVideo.Probe probe;
        try {
            probe = FilmVideo.probe(c.settings().ffprobe(), path);
        } catch (FilmVideo.ScanException e) {
            if (!aborted.getAsBoolean()) { // a stop interrupts ffprobe too: that is no reason to fail the film
                fail(last, e.getMessage());
            }
            return;
        }
        size = FilmVideo.frameSize(probe.width(), probe.height(), c.settings().width());
        filmSeconds = Double.isNaN(probe.seconds()) ? 0 : probe.seconds();
        framesTotal = (long) Math.ceil(filmSeconds * fps);
        merger = new AppearanceMerger(1 / fps, FilmVideo.DEFAULT_MAX_GAP, FilmVideo.DEFAULT_SINGLE_FRAME_MIN,
                c.engine().config().vehicleConfidence());
        next = SegmentEdges.firstFrame(segment, fps, FilmVideo.DEFAULT_MAX_GAP);
        if (last != null) {
            next = Math.max(next, last.nextFrame());
            matched = last.framesMatched();
            identified = last.framesIdentified();
            appearances = last.appearances();
            lastMatch = last.lastMatch();
            merger.restore(last.open().stream().map(o -> new AppearanceMerger.Open(o.label(), o.start(), o.last(),
                    o.frames(), o.score(), o.best())).toList(), next / fps);
        }
        resumedFrom = next;
        lastCheckpoint = next;
        runStartNanos = System.nanoTime();
        checkpoint(FilmProgress.RUNNING, null, false);
        log.info("film {} ({}) segment {}/{} scanning from frame {} (its range {}..{})", film.filmId(), film.title(),
                segment.index() + 1, segment.count(), next, segment.startFrame(), segment.endFrame());

        FilmFrames.Settings frames = new FilmFrames.Settings(c.settings().ffmpeg(), fps, c.settings().width(),
                c.settings().threads(), c.waitForTurn());
        long freshAt = SegmentEdges.freshAt(segment, fps, FilmVideo.DEFAULT_MAX_GAP);
        FilmFrames.Start start = lastMatch == null ? FilmFrames.Start.at(next, freshAt)
                : new FilmFrames.Start(next, lastMatch.frame(), lastMatch.labels(), freshAt);
        FilmFrames.Result result = FilmFrames.run(frames, path, probe, start, c.engine(),
                (index, seconds, labels, wasMatched, picture) -> {
                    merger.offer(seconds, labels);
                    keepEvidence(index, picture);
                    next = index + 1;
                    framesThisRun++;
                    if (wasMatched) {
                        matched++;
                        lastMatch = new FilmProgress.LastMatch(index, labels);
                    }
                    if (!labels.isEmpty()) {
                        identified++;
                    }
                    complete = complete || SegmentEdges.reachedItsEnd(segment, next, merger.open().stream()
                            .map(o -> SegmentEdges.frameOf(o.start(), fps)).toList());
                    if (next - lastCheckpoint >= c.settings().checkpointFrames() && !aborted.getAsBoolean()
                            && !complete) {
                        checkpoint(FilmProgress.RUNNING, null, false);
                    }
                },
                () -> aborted.getAsBoolean() || complete
                        || !c.states().requested(film.filmId()).equals(FilmControl.RUN));
        if (aborted.getAsBoolean()) {
            return; // stopping or handed to another instance: the last checkpoint is where the scan resumes
        }
        if (result.stopped() && !complete) {
            boolean cancel = c.states().requested(film.filmId()).equals(FilmControl.CANCEL);
            checkpoint(cancel ? FilmProgress.CANCELLED : FilmProgress.PAUSED, null, true);
            log.info("film {} segment {} {} at frame {}", film.filmId(), segment.index() + 1,
                    cancel ? "cancelled" : "paused", next);
            return;
        }
        if (!complete) {
            merger.finish(); // the film ended: every appearance closes here
        }
        checkpoint(FilmProgress.DONE, result.errors().isEmpty() ? null : String.join("; ", result.errors()), true);
        log.info("film {} segment {}/{} done at frame {}: {} appearances", film.filmId(), segment.index() + 1,
                segment.count(), next, appearances);
    }

    /** Keeps this frame if it is a waiting appearance's best, and lets go of the frames no longer any one's. */
    private void keepEvidence(long index, FilmFrames.Picture picture) {
        Set<Long> wanted = new HashSet<>();
        for (double t : merger.evidenceTimes()) {
            wanted.add(SegmentEdges.frameOf(t, fps));
        }
        if (wanted.contains(index)) {
            evidence.put(index, picture.copy()); // the scan reuses the frame's buffer once this call returns
        }
        evidence.keySet().retainAll(wanted);
    }

    private void fail(FilmProgress last, String message) {
        log.warn("film {} cannot be scanned: {}", film.filmId(), message);
        FilmProgress p = new FilmProgress(FilmProgress.CURRENT_VERSION, film.filmId(), FilmProgress.FAILED, 0, fps,
                0, last == null ? segment.startFrame() : last.nextFrame(), last == null ? 0 : last.framesMatched(),
                last == null ? 0 : last.framesIdentified(), last == null ? 0 : last.appearances(), List.of(), 0, 0,
                message, c.worker(), c.clock().instant(), segment, null);
        checkpoints.commit(List.of(), p, true);
    }

    private void checkpoint(String status, String message, boolean requestDone) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (AppearanceMerger.Found found : merger.drain()) {
            if (!SegmentEdges.keeps(segment, SegmentEdges.frameOf(found.appearance().start(), fps))) {
                continue; // the neighbouring segment's: it publishes it
            }
            ProducerRecord<String, byte[]> r = reviewItem(found);
            if (r != null) {
                records.add(r);
            }
        }
        appearances += records.size();
        double elapsed = (System.nanoTime() - runStartNanos) / 1e9;
        long end = segment.last() ? framesTotal : segment.endFrame();
        double eta = status.equals(FilmProgress.RUNNING) && framesThisRun > 0 && end > next
                ? (end - next) * elapsed / framesThisRun : 0;
        List<FilmProgress.OpenAppearance> open = merger.open().stream().map(o -> new FilmProgress.OpenAppearance(
                o.label(), o.start(), o.last(), o.frames(), o.score(), o.best())).toList();
        FilmProgress p = new FilmProgress(FilmProgress.CURRENT_VERSION, film.filmId(), status, filmSeconds, fps,
                framesTotal, next, matched, identified, appearances, open, resumedFrom, Math.round(eta * 10) / 10.0,
                message, c.worker(), c.clock().instant(), segment, lastMatch);
        checkpoints.commit(records, p, requestDone);
        lastCheckpoint = next;
    }

    /** The appearance's review item, or null when its best frame cannot be taken from the film (logged). */
    private ProducerRecord<String, byte[]> reviewItem(AppearanceMerger.Found found) {
        AppearanceMerger.Appearance a = found.appearance();
        FilmFrames.Picture kept = evidence.remove(SegmentEdges.frameOf(found.best(), fps));
        byte[] jpeg;
        try {
            jpeg = kept != null ? kept.jpeg() : frameAt(c.settings().ffmpeg(), path, found.best(), size[0], size[1]);
        } catch (IOException e) {
            log.warn("film {}: no review item for {} at {}: {}", film.filmId(), a.label(), timecode(found.best()),
                    e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        String blobKey = c.blobs().put(jpeg);
        String note = String.format(Locale.ROOT, "film scan: %s from %s to %s (%d frames, score %.2f)", a.label(),
                timecode(a.start()), timecode(a.end()), a.frames(), a.score());
        StillSubmitted still = new StillSubmitted(StillSubmitted.CURRENT_VERSION, stillId(a), blobKey, "image/jpeg",
                size[0], size[1], film.title(), film.year(), timecode(found.best()), note, film.owner(),
                film.filmId(), null, c.clock().instant(),
                new StillSubmitted.FilmRange(film.filmId(), a.start(), Math.max(a.start(), a.end())));
        Identification id = c.matcher().identify(still);
        return new ProducerRecord<>(c.identificationsTopic(), id.key(), EventCodec.encode(id));
    }

    /** Derived from the film, the label and the start, so the same appearance is always the same review item. */
    private String stillId(AppearanceMerger.Appearance a) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((a.label() + "|" + Math.round(a.start() * 1000))
                    .getBytes(StandardCharsets.UTF_8));
            return "still-" + film.filmId().substring(FilmSubmitted.ID_PREFIX.length()) + "-"
                    + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private Path resolve(String source) {
        Path p = Path.of(source);
        return p.isAbsolute() ? p : c.settings().filmDir().resolve(source);
    }

    /** One colour frame of the film at {@code seconds}, as a JPEG of the working size. */
    static byte[] frameAt(String ffmpeg, Path film, double seconds, int w, int h)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error", "-ss",
                String.format(Locale.ROOT, "%.3f", seconds), "-i", film.toString(), "-frames:v", "1", "-vf",
                "scale=" + w + ":" + h, "-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "3", "pipe:1")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            p.getOutputStream().close();
            byte[] jpeg = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || jpeg.length == 0) {
                throw new IOException("ffmpeg gave no frame at " + timecode(seconds));
            }
            return jpeg;
        } finally {
            p.destroyForcibly();
        }
    }

    static String timecode(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
                ms % 1000);
    }
}
