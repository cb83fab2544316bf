package dev.reelcars.identify.cli;

import dev.reelcars.identify.film.AppearanceMerger;
import dev.reelcars.identify.film.FilmFrames;
import dev.reelcars.identify.film.FilmVideo;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code scan FILM --gallery G --out appearances.csv}: a whole film in one process. {@code ffmpeg} decodes it as a
 * stream of grey frames, {@value #DEFAULT_FPS} a second, on a pipe (never the film in memory, never a frame on disk);
 * each frame goes to the same {@link MatchEngine} the service runs, on N worker threads; the results are taken back
 * in time order and merged into appearances by {@link AppearanceMerger}.
 *
 * <p>The decoding, the skipping of near-identical frames and the matching are {@link FilmFrames}, the same loop the
 * service's film jobs run.
 */
final class FilmScan {

    /** Everything a scan needs, read once from the command line ({@code MatchCli}'s {@code scan} checks the ranges). */
    record Options(Path film, Path gallery, Path out, int threads, double fps, int width, double maxGap,
                   double singleFrameMin, boolean plates, String ffmpeg, String ffprobe) {}

    /** What a scan found and what it cost. */
    record Summary(List<AppearanceMerger.Appearance> appearances, double filmSeconds, double wallSeconds,
                   double indexSeconds, int framesSampled, int framesMatched, int framesIdentified,
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
            AppearanceMerger merger = new AppearanceMerger(1 / o.fps(), o.maxGap(), o.singleFrameMin());
            Decoded decoded = decode(o, probe, engine, merger);
            List<AppearanceMerger.Appearance> appearances = merger.finish();
            write(o.out(), appearances);
            double filmSeconds = Double.isNaN(probe.seconds()) ? decoded.sampled / o.fps() : probe.seconds();
            return new Summary(appearances, filmSeconds, (System.nanoTime() - start) / 1e9, indexMillis / 1000.0,
                    decoded.sampled, decoded.matched, decoded.identified, decoded.errors);
        }
    }

    private static final class Decoded {
        int sampled;
        int matched;
        int identified;
        List<String> errors = List.of();
    }

    private static Decoded decode(Options o, FilmVideo.Probe probe, MatchEngine engine, AppearanceMerger merger)
            throws IOException {
        int expected = Double.isNaN(probe.seconds()) ? 0 : (int) Math.ceil(probe.seconds() * o.fps());
        Progress progress = new Progress(Math.max(1, expected));
        Decoded d = new Decoded();
        FilmFrames.Settings settings = new FilmFrames.Settings(o.ffmpeg(), o.fps(), o.width(), o.threads(), () -> { });
        try {
            FilmFrames.Result r = FilmFrames.run(settings, o.film(), probe, 0, engine, (index, seconds, labels,
                    matched, picture) -> {
                d.sampled++;
                if (matched) {
                    d.matched++;
                }
                if (!labels.isEmpty()) {
                    d.identified++;
                }
                merger.offer(seconds, labels);
                progress.step();
            }, () -> false);
            d.errors = r.errors();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FilmVideo.ScanException("interrupted");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        progress.finish();
        return d;
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
        System.err.printf(Locale.ROOT, "wall time:      %.1f s (gallery indexing %.1f s), %d threads%n",
                s.wallSeconds(), s.indexSeconds(), o.threads());
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
