package dev.reelcars.identify;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * <p>A frame that differs from the last matched one by less than {@value #SKIP_BLOCK_DIFF} grey levels in every
 * cell of a {@value #THUMB_COLS}×{@value #THUMB_ROWS} grid of block means (after removing the frame-wide brightness
 * change, so film flicker does not count) is not matched again: it shows the same thing, so it takes the last
 * matched frame's answer. Using the largest cell difference rather than the mean means a car entering a static shot
 * makes its frame count as new. At least one frame every {@value #MAX_SKIPPED} samples is matched regardless. A hard
 * cut changes most cells, so the first frame of every shot is always matched; no separate shot detection is needed.
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
  static final int THUMB_COLS = 32;
  static final int THUMB_ROWS = 18;
  static final double SKIP_BLOCK_DIFF = 4.0;
  static final int MAX_SKIPPED = 10;

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

  /** A sampled frame waiting for its answer: a match in progress, or null to repeat the previous answer. */
  private record Pending(double seconds, Future<Map<String, Double>> answer) {}

  private static Decoded decode(Options o, Probe probe, MatchEngine engine, AppearanceMerger merger)
      throws IOException {
    int[] size = frameSize(probe.width(), probe.height(), o.width());
    int w = size[0];
    int h = size[1];
    List<String> command = List.of(o.ffmpeg(), "-nostdin", "-hide_banner", "-v", "error", "-i", o.film().toString(),
        "-an", "-sn", "-vf", "fps=" + o.fps() + ",scale=" + w + ":" + h, "-f", "rawvideo", "-pix_fmt", "gray",
        "pipe:1");
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new ScanException("cannot run " + o.ffmpeg() + " (is ffmpeg installed? --ffmpeg sets its path): "
          + e.getMessage());
    }
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    Thread stderr = new Thread(() -> {
      try (var lines = process.errorReader(StandardCharsets.UTF_8).lines()) {
        lines.limit(20).forEach(errors::add);
      }
    }, "ffmpeg-stderr");
    stderr.setDaemon(true);
    stderr.start();
    int expected = Double.isNaN(probe.seconds()) ? 0 : (int) Math.ceil(probe.seconds() * o.fps());
    Progress progress = new Progress(Math.max(1, expected));
    Decoded d = new Decoded();
    ExecutorService pool = Executors.newFixedThreadPool(o.threads());
    // At most two frames per worker in flight: enough to keep every worker busy, and memory stays flat.
    int maxInFlight = 2 * o.threads();
    ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    Map<String, Double> last = Map.of();
    int frameBytes = w * h;
    byte[] header = ("P5\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII);
    double[] lastMatchedThumb = null;
    int skippedRun = 0;
    try (InputStream in = process.getInputStream()) {
      process.getOutputStream().close();
      while (true) {
        // The frame becomes a PGM image: the engine's decoder reads it as it is, nothing to encode.
        byte[] pgm = new byte[header.length + frameBytes];
        System.arraycopy(header, 0, pgm, 0, header.length);
        if (in.readNBytes(pgm, header.length, frameBytes) != frameBytes) {
          break;
        }
        double seconds = d.sampled / o.fps();
        d.sampled++;
        double[] thumb = thumbnail(pgm, header.length, w, h);
        if (lastMatchedThumb != null && skippedRun < MAX_SKIPPED && nearlySame(thumb, lastMatchedThumb)) {
          skippedRun++;
          inFlight.add(new Pending(seconds, null));
        } else {
          skippedRun = 0;
          lastMatchedThumb = thumb;
          d.matched++;
          inFlight.add(new Pending(seconds, pool.submit(() -> identify(engine, pgm))));
        }
        while (inFlight.size() > maxInFlight) {
          last = takeOldest(inFlight, last, merger, d, progress);
        }
      }
      while (!inFlight.isEmpty()) {
        last = takeOldest(inFlight, last, merger, d, progress);
      }
      int exit = process.waitFor();
      stderr.join(2000);
      d.errors = List.copyOf(errors);
      if (d.sampled == 0) {
        throw new ScanException(o.film() + ": not a readable video (ffmpeg decoded no frame"
            + (errors.isEmpty() ? "" : ": " + firstLine(errors.get(0))) + ")");
      }
      if (exit != 0 && errors.isEmpty()) {
        d.errors = List.of("ffmpeg exited with status " + exit);
      }
      progress.finish();
      return d;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ScanException("interrupted");
    } finally {
      pool.shutdownNow();
      process.destroyForcibly();
    }
  }

  private static Map<String, Double> takeOldest(ArrayDeque<Pending> inFlight, Map<String, Double> last,
                                                AppearanceMerger merger, Decoded d, Progress progress)
      throws InterruptedException {
    Pending p = inFlight.poll();
    Map<String, Double> answer = last;
    if (p.answer() != null) {
      try {
        answer = p.answer().get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw new IllegalStateException(e.getCause());
      }
    }
    if (!answer.isEmpty()) {
      d.identified++;
    }
    merger.offer(p.seconds(), answer);
    progress.step();
    return answer;
  }

  /** The labels the engine accepts in the frame, each with its best confidence. */
  static Map<String, Double> identify(MatchEngine engine, byte[] image) {
    Map<String, Double> labels = new LinkedHashMap<>();
    try {
      for (Candidate c : engine.match(image).candidates()) {
        labels.merge(c.label(), c.confidence(), Math::max);
      }
    } catch (ImageDecodeException e) {
      return Map.of(); // cannot happen for a frame we framed ourselves; a frame without answer, not a failed scan
    }
    return labels;
  }

  /** Means of a THUMB_COLS × THUMB_ROWS grid of blocks of the grey frame starting at {@code offset}. */
  static double[] thumbnail(byte[] grey, int offset, int w, int h) {
    double[] sums = new double[THUMB_COLS * THUMB_ROWS];
    int[] counts = new int[sums.length];
    for (int y = 0; y < h; y += 2) {
      int row = y * THUMB_ROWS / h * THUMB_COLS;
      int base = offset + y * w;
      for (int x = 0; x < w; x += 2) {
        int cell = row + x * THUMB_COLS / w;
        sums[cell] += grey[base + x] & 0xFF;
        counts[cell]++;
      }
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i] = counts[i] == 0 ? 0 : sums[i] / counts[i];
    }
    return sums;
  }

  /** Whether every cell changed by less than SKIP_BLOCK_DIFF once the frame-wide brightness change is removed. */
  static boolean nearlySame(double[] a, double[] b) {
    double shift = 0;
    for (int i = 0; i < a.length; i++) {
      shift += a[i] - b[i];
    }
    shift /= a.length;
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i] - shift) >= SKIP_BLOCK_DIFF) {
        return false;
      }
    }
    return true;
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

  private static String firstLine(String s) {
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
