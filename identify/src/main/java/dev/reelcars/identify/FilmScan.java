package dev.reelcars.identify;

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
  static final double DEFAULT_FPS = 2;
  static final int DEFAULT_WIDTH = 1280;
  static final double DEFAULT_MAX_GAP = 2.0;
  /**
   * Chosen on a generated tuning film (bench/film-bench.sh --seed 1): no false appearance there at any threshold, and
   * its one single-frame appearance, a true one, scored 0.85, so 0.8 keeps it and still drops the weakest single
   * frames the engine accepts (0.73-0.8). Held-out figures in identify/README.md.
   */
  static final double DEFAULT_SINGLE_FRAME_MIN = 0.8;

  /** Everything a scan needs, read once from the command line ({@code MatchCli}'s {@code scan} checks the ranges). */
  record Options(Path film, Path gallery, Path out, int threads, double fps, int width, double maxGap,
                 double singleFrameMin, boolean plates, String ffmpeg, String ffprobe) {}

  /** Width, height and duration (NaN when unknown) of the film's first video stream. */
  record Probe(int width, int height, double seconds) {}

  /** A failure the user can fix: one line on stderr, exit code 2. */
  static final class ScanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScanException(String message) {
      super(message);
    }
  }

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
    Probe probe = probe(o.ffprobe(), o.film());
    EngineConfig config = o.plates() ? EngineConfig.defaults() : EngineConfig.defaults().withPlateRows(0);
    try (MatchEngine engine = new MatchEngine(config)) {
      // The gallery loads exactly as for `match --gallery`.
      long indexMillis = MatchCli.loadGallery(engine, o.gallery(), o.threads());
      if (engine.size() == 0) {
        throw new ScanException("--gallery " + o.gallery() + " holds no reference image");
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

  static Probe probe(String ffprobe, Path film) {
    List<String> command = List.of(ffprobe, "-v", "error", "-select_streams", "v:0",
        "-show_entries", "stream=width,height:format=duration", "-of", "default=noprint_wrappers=1",
        film.toString());
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new ScanException("cannot run " + ffprobe + " (is ffmpeg installed? --ffprobe sets its path): "
          + e.getMessage());
    }
    try {
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readNBytes(1 << 16), StandardCharsets.UTF_8);
      String err = new String(process.getErrorStream().readNBytes(1 << 16), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new ScanException(film + ": ffprobe did not finish within 60 s");
      }
      Map<String, String> values = new HashMap<>();
      for (String line : out.split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          values.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
      }
      int width = parseInt(values.get("width"));
      int height = parseInt(values.get("height"));
      if (process.exitValue() != 0 || width <= 0 || height <= 0) {
        throw new ScanException(film + ": not a readable video" + (err.isEmpty() ? " (no video stream)"
            : " (" + firstLine(err) + ")"));
      }
      double seconds;
      try {
        seconds = Double.parseDouble(values.getOrDefault("duration", "N/A"));
      } catch (NumberFormatException e) {
        seconds = Double.NaN;
      }
      return new Probe(width, height, seconds);
    } catch (IOException e) {
      throw new ScanException(film + ": reading ffprobe's answer failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ScanException("interrupted while probing " + film);
    } finally {
      process.destroyForcibly();
    }
  }

  /** Decode size: at most {@code maxWidth} wide (never enlarged), aspect kept, both even. */
  static int[] frameSize(int width, int height, int maxWidth) {
    int w = Math.min(width, maxWidth) / 2 * 2;
    int h = Math.max(2, (int) Math.round(height * (double) w / width / 2) * 2);
    return new int[] {Math.max(2, w), h};
  }

  private static final class Decoded {
    int sampled;
    int matched;
    int identified;
    List<String> errors = List.of();
  }

  private static Decoded decode(Options o, Probe probe, MatchEngine engine, AppearanceMerger merger)
      throws IOException {
    int expected = Double.isNaN(probe.seconds()) ? 0 : (int) Math.ceil(probe.seconds() * o.fps());
    Progress progress = new Progress(Math.max(1, expected));
    Decoded d = new Decoded();
    FilmFrames.Settings settings = new FilmFrames.Settings(o.ffmpeg(), o.fps(), o.width(), o.threads(), () -> { });
    try {
      FilmFrames.Result r = FilmFrames.run(settings, o.film(), probe, 0, engine, (index, seconds, labels, matched) -> {
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
      throw new ScanException("interrupted");
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
    System.err.printf(Locale.ROOT, "wall time:      %.1f s (gallery indexing %.1f s), %d threads%n", s.wallSeconds(),
        s.indexSeconds(), o.threads());
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

  private static int parseInt(String s) {
    try {
      return s == null ? -1 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static String firstLine(String s) {
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
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
