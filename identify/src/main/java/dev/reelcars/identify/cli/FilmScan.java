package dev.reelcars.identify.cli;

import dev.reelcars.events.FilmProgress;
import dev.reelcars.identify.film.AppearanceMerger;
import dev.reelcars.identify.film.FilmFrames;
import dev.reelcars.identify.film.FilmVideo;
import dev.reelcars.identify.film.SegmentEdges;
import dev.reelcars.identify.matcher.Batch;
import dev.reelcars.identify.matcher.EngineConfig;
import dev.reelcars.identify.matcher.MatchEngine;
import dev.reelcars.identify.matcher.RunStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code scan FILM --gallery G --out appearances.csv}: a whole film in one process. {@code ffmpeg} decodes it as a
 * stream of grey frames, {@value #DEFAULT_FPS} a second, on a pipe (never the film in memory, never a frame on disk);
 * each frame goes to the same {@link MatchEngine} the service runs, on N worker threads; the results are taken back
 * in time order and merged into appearances by {@link AppearanceMerger}.
 *
 * <p>The decoding, the skipping of near-identical frames and the matching are {@link FilmFrames}, the same loop the
 * service's film jobs run. A film of more than a minute is scanned as up to N parts at once (a part per thread, at
 * least a minute each), each with its own decoder, cut and joined by the service's segment rule.
 */
final class FilmScan {

    /** Everything a scan needs, read once from the command line ({@code MatchCli}'s {@code scan} checks the ranges). */
    /**
     * {@code parts} 0: one per thread, each at least a minute of film ({@link #parts}); {@code minScore} null: the
     * engine's vehicle threshold.
     */
    record Options(Path film, Path gallery, Path out, int threads, int parts, double fps, int width, double maxGap,
                   double singleFrameMin, Double minScore, boolean plates, String ffmpeg, String ffprobe) {}

    /** What a scan found and what it cost. */
    record Summary(List<AppearanceMerger.Appearance> appearances, double filmSeconds, double wallSeconds,
                   double indexSeconds, int parts, int framesSampled, int framesMatched, int framesIdentified,
                   List<String> decoderErrors) {
        double realTimeFactor() {
            return filmSeconds / wallSeconds;
        }
    }

    private FilmScan() {}

    /** Indexes the gallery, scans the film, writes the CSV. */
    static Summary scan(Options o) throws IOException {
        long start = System.nanoTime();
        FilmVideo.Probe probe = FilmVideo.probe(o.ffprobe(), o.film());
        EngineConfig config = o.plates() ? EngineConfig.defaults() : EngineConfig.defaults().withPlateRows(0);
        try (MatchEngine engine = new MatchEngine(config)) {
            // The gallery loads exactly as for `match --gallery`.
            long indexMillis = Batch.loadGallery(engine, o.gallery(), o.threads());
            if (engine.size() == 0) {
                throw new FilmVideo.ScanException("--gallery " + o.gallery() + " holds no reference image");
            }
            Decoded decoded = decode(o, probe, engine);
            List<AppearanceMerger.Appearance> appearances = new ArrayList<>(decoded.found.stream()
                    .map(AppearanceMerger.Found::appearance).toList());
            appearances.sort(Comparator.comparingDouble(AppearanceMerger.Appearance::start)
                    .thenComparing(AppearanceMerger.Appearance::label));
            write(o.out(), appearances);
            double filmSeconds = Double.isNaN(probe.seconds()) ? decoded.sampled / o.fps() : probe.seconds();
            return new Summary(appearances, filmSeconds, (System.nanoTime() - start) / 1e9, indexMillis / 1000.0,
                    decoded.parts, decoded.sampled, decoded.matched, decoded.identified, List.copyOf(decoded.errors));
        }
    }

    private static final class Decoded {
        int parts;
        int sampled;
        int matched;
        int identified;
        final List<AppearanceMerger.Found> found = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
    }

    /**
     * The film as {@link #parts} segments scanned at once, each with its own ffmpeg and merger, by the rule the
     * service's segments follow ({@link SegmentEdges}): the parts' appearances together are exactly one whole-film
     * scan's. One ffmpeg decodes a 720p film at about 16x real time on one core, and decoding is most of a scan's CPU,
     * so a scan that reads one stream leaves the other cores waiting for it; a part per thread decodes on all of them.
     */
    private static Decoded decode(Options o, FilmVideo.Probe probe, MatchEngine engine) throws IOException {
        long expected = Double.isNaN(probe.seconds()) ? 0 : (long) Math.ceil(probe.seconds() * o.fps());
        int count = o.parts() > 0 ? (int) Math.max(1, Math.min(o.parts(), expected))
                : parts(o.threads(), expected, o.fps());
        List<FilmProgress.Segment> segments = SegmentEdges.split(expected, count);
        int threadsPerPart = Math.max(1, o.threads() / segments.size());
        FilmFrames.Settings settings = new FilmFrames.Settings(o.ffmpeg(), o.fps(), o.width(), threadsPerPart,
                () -> { });
        Progress progress = new Progress((int) Math.max(1, expected));
        Decoded d = new Decoded();
        d.parts = segments.size();
        ExecutorService partsPool = Executors.newFixedThreadPool(segments.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (FilmProgress.Segment segment : segments) {
                running.add(partsPool.submit(() -> {
                    scanPart(o, settings, probe, engine, segment, d, progress);
                    return null;
                }));
            }
            for (Future<?> part : running) {
                part.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FilmVideo.ScanException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            partsPool.shutdownNow();
        }
        progress.finish();
        return d;
    }

    /** A part per thread, but none shorter than a minute of film: each part's decoder starts at a keyframe before it. */
    static int parts(int threads, long framesTotal, double fps) {
        return (int) Math.max(1, Math.min(threads, framesTotal / Math.round(60 * fps)));
    }

    private static void scanPart(Options o, FilmFrames.Settings settings, FilmVideo.Probe probe, MatchEngine engine,
                                 FilmProgress.Segment segment, Decoded d, Progress progress) throws Exception {
        double minScore = o.minScore() != null ? o.minScore() : engine.config().vehicleConfidence();
        AppearanceMerger merger = new AppearanceMerger(1 / o.fps(), o.maxGap(), o.singleFrameMin(), minScore);
        FilmFrames.Start start = FilmFrames.Start.at(SegmentEdges.firstFrame(segment, o.fps(), o.maxGap()),
                SegmentEdges.freshAt(segment, o.fps(), o.maxGap()));
        boolean[] complete = {false};
        FilmFrames.Result r = FilmFrames.run(settings, o.film(), probe, start, engine,
                (index, seconds, labels, matched, picture) -> {
                    merger.offer(seconds, labels);
                    boolean own = index >= segment.startFrame() && (segment.last() || index < segment.endFrame());
                    if (own) { // the frames both neighbours read are counted once, by the part they belong to
                        synchronized (d) {
                            d.sampled++;
                            d.matched += matched ? 1 : 0;
                            d.identified += labels.isEmpty() ? 0 : 1;
                            progress.step();
                        }
                    }
                    complete[0] = SegmentEdges.reachedItsEnd(segment, index + 1, merger.open().stream()
                            .map(a -> SegmentEdges.frameOf(a.start(), o.fps())).toList());
                }, () -> complete[0]);
        if (!complete[0]) {
            merger.finish(); // the film ended: every appearance closes here
        }
        List<AppearanceMerger.Found> kept = merger.drain().stream().filter(f -> SegmentEdges.keeps(segment,
                SegmentEdges.frameOf(f.appearance().start(), o.fps()))).toList();
        synchronized (d) {
            d.found.addAll(kept);
            d.errors.addAll(r.errors());
        }
    }

    static void write(Path out, List<AppearanceMerger.Appearance> appearances) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            csv.println("label,start,end,frames,score");
            for (AppearanceMerger.Appearance a : appearances) {
                csv.printf(Locale.ROOT, "%s,%.2f,%.2f,%d,%.4f%n", MatchCli.csvField(a.label()), a.start(), a.end(),
                        a.frames(), a.score());
            }
        }
    }

    static void printSummary(Summary s, Options o) {
        System.err.printf(Locale.ROOT, "film:           %s, %.1f s (%s)%n", o.film(), s.filmSeconds(),
                clock(s.filmSeconds()));
        System.err.printf(Locale.ROOT, "wall time:      %.1f s (gallery indexing %.1f s), %d threads, %d part%s "
                + "decoded at once%n", s.wallSeconds(), s.indexSeconds(), o.threads(), s.parts(), s.parts() == 1 ? "" : "s");
        System.err.printf(Locale.ROOT, "real time:      %.1f× (film length / wall time)%n", s.realTimeFactor());
        System.err.printf(Locale.ROOT, "frames:         %d sampled at %s/s, %d matched (%d near-identical skipped), %d "
                + "with an identification%n", s.framesSampled(), fmt(o.fps()), s.framesMatched(),
                s.framesSampled() - s.framesMatched(), s.framesIdentified());
        System.err.printf(Locale.ROOT, "appearances:    %d -> %s%n", s.appearances().size(), o.out());
        System.err.printf(Locale.ROOT, "peak memory:    heap %.0f MiB, RSS %.0f MiB (VmHWM)%n", RunStats.peakHeapMiB(),
                RunStats.procStatusMiB("VmHWM"));
        for (String e : s.decoderErrors()) {
            System.err.println("ffmpeg: " + e);
        }
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** RunStats' bar (or a line every few percent off a terminal), never stepped past its estimated total. */
    private static final class Progress {
        private final RunStats stats;
        private final int total;
        private int shown;

        Progress(int total) {
            this.total = total;
            this.stats = new RunStats("scanning", total);
        }

        void step() {
            if (shown < total - 1) {
                shown++;
                stats.step();
            }
        }

        void finish() {
            while (shown < total) {
                shown++;
                stats.step();
            }
        }
    }
}
