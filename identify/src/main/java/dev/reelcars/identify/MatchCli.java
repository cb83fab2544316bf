package dev.reelcars.identify;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.opencv.core.Core;

/**
 * Batch front end of the matcher. Subcommands:
 * <pre>
 * match --gallery G --queries Q --out results.csv [--exhaustive] [--no-plates] [--threads N]
 * train-vocabulary --images DIR[,DIR...] --out FILE [--k 10] [--depth 4] [--seed 42] [--features 1000]
 * calibrate --gallery G[,G2...] --queries Q [--truth Q/truth.csv] [--threads N] [--max-fp 0.005] [--out FILE]
 * crossvalidate --gallery G[,G2...] --queries Q --real R [--folds 4] [--threads N] [--out FILE]
 * </pre>
 */
public final class MatchCli {
  static final String USAGE = """
      usage:
        match --gallery G --queries Q --out results.csv [--exhaustive] [--no-plates] [--threads N]
            G: one sub-folder per vehicle label holding reference images, or files <label>.<ext>
            Q: images, searched recursively; results.csv: query,predicted,score,seconds,match
            (match: vehicle, model or none); G/labels.csv (label,kind) may say a label names a model
            --exhaustive: the textbook brute-force matcher; --no-plates: the default without number plates
        train-vocabulary --images DIR[,DIR...] --out FILE [--k 10] [--depth 4] [--seed 42] [--features 1000]
            rebuilds the ORB vocabulary tree (commit it as src/main/resources/dev/reelcars/identify/orb-vocabulary.bin)
        calibrate --gallery G[,G2...] --queries Q [--truth Q/truth.csv] [--threads N] [--max-fp 0.005] [--out FILE]
            fits the confidence model and acceptance threshold on a labelled calibration split
        crossvalidate --gallery G[,G2...] --queries Q --real R [--folds 4] [--threads N] [--max-fp 0.005]
                      [--max-vehicle-fp 0.01] [--model-answers] [--out FILE] [--dump FILE]
            fits on the composites' split Q and the real pairs' sets R (bench/gen-reid.py), reports held-out folds
        scan FILM --gallery G --out appearances.csv [--threads N]: a whole film's appearances (label,start,end,frames,score)
      """;

  private MatchCli() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a subcommand; returns the process exit code (2 = bad arguments). */
  public static int run(String[] args) {
    if (args.length == 0) {
      return usage("missing subcommand");
    }
    if (args[0].equals("scan")) { // its FILM is positional, and its flags its own: FilmScan parses them
      return FilmScan.run(java.util.Arrays.copyOfRange(args, 1, args.length));
    }
    Map<String, String> flags = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        return usage("unexpected argument " + a);
      }
      String key = a.substring(2);
      if (key.equals("exhaustive") || key.equals("no-plates") || key.equals("model-answers")) {
        flags.put(key, "true");
      } else if (i + 1 < args.length) {
        flags.put(key, args[++i]);
      } else {
        return usage("flag " + a + " needs a value");
      }
    }
    try {
      return switch (args[0]) {
        case "match" -> match(flags);
        case "train-vocabulary" -> trainVocabulary(flags);
        case "calibrate" -> Calibrator.run(flags);
        case "crossvalidate" -> CrossValidation.run(flags);
        default -> usage("unknown subcommand " + args[0]);
      };
    } catch (UsageException e) {
      return usage(e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }

  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  private static int usage(String problem) {
    System.err.println("error: " + problem);
    System.err.print(USAGE);
    return 2;
  }

  static Path requiredDir(Map<String, String> flags, String key) {
    String value = flags.get(key);
    if (value == null) {
      throw new UsageException("--" + key + " is required");
    }
    Path path = Path.of(value);
    if (!Files.isDirectory(path)) {
      throw new UsageException("--" + key + " " + value + " is not a directory");
    }
    return path;
  }

  static int threads(Map<String, String> flags) {
    try {
      int n = Integer.parseInt(flags.getOrDefault("threads", "1"));
      if (n < 1 || n > 256) {
        throw new UsageException("--threads must be in 1..256");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException("--threads must be a number");
    }
  }

  private static int match(Map<String, String> flags) throws IOException {
    Path gallery = requiredDir(flags, "gallery");
    Path queries = requiredDir(flags, "queries");
    if (flags.get("out") == null) {
      throw new UsageException("--out is required");
    }
    Path out = Path.of(flags.get("out"));
    int threads = threads(flags);
    EngineConfig config = flags.containsKey("exhaustive") ? EngineConfig.exhaustive() : EngineConfig.defaults();
    if (flags.containsKey("no-plates")) {
      config = config.withPlateRows(0);
    }
    try (MatchEngine engine = new MatchEngine(config)) {
      long indexMillis = loadGallery(engine, gallery, threads);
      List<Path> files = ImageFolders.images(queries);
      List<QueryResult<Prediction>> results = matchAll(files, threads, query -> {
        MatchEngine.Outcome outcome = engine.evaluate(query);
        if (outcome.accepted().isEmpty()) {
          return new Prediction("none", outcome.scored().isEmpty() ? 0 : outcome.scored().get(0).confidence(),
              MatchKind.NONE);
        }
        return new Prediction(outcome.accepted().get(0).label(), outcome.accepted().get(0).confidence(),
            outcome.match());
      });
      Files.createDirectories(out.toAbsolutePath().getParent());
      try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
        csv.println("query,predicted,score,seconds,match");
        for (int i = 0; i < files.size(); i++) {
          QueryResult<Prediction> r = results.get(i);
          Prediction p = r.value() == null ? new Prediction("none", 0, MatchKind.NONE) : r.value();
          csv.printf(Locale.ROOT, "%s,%s,%.4f,%.4f,%s%n", csvField(ImageFolders.relative(queries, files.get(i))),
              csvField(p.label()), p.score(), r.seconds(), p.match().csv());
        }
      }
      printSummary(engine, config, indexMillis, results, threads);
    }
    return 0;
  }

  record Prediction(String label, double score, MatchKind match) {}

  /** One query's result; {@code value} is null and {@code error} set when the image could not be decoded. */
  record QueryResult<T>(T value, double seconds, String error) {}

  /** Adds every reference of the gallery folder; returns the indexing wall time in ms. */
  static long loadGallery(MatchEngine engine, Path gallery, int threads) throws IOException {
    Core.setNumThreads(1); // parallelism comes from our pool; timings are per core
    List<ImageFolders.Reference> references = ImageFolders.gallery(gallery);
    Map<String, LabelKind> kinds = labelKinds(gallery);
    RunStats progress = new RunStats("indexing", references.size());
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (ImageFolders.Reference ref : references) {
        futures.add(pool.submit(() -> {
          try {
            engine.addReference(ref.referenceId(), ref.label(), kinds.getOrDefault(ref.label(), LabelKind.VEHICLE),
                Files.readAllBytes(ref.path()));
          } catch (ImageDecodeException e) {
            System.err.println("\nskipping reference " + ref.path() + ": " + e.getMessage());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          progress.step();
          return null;
        }));
      }
      waitAll(futures);
    } finally {
      pool.shutdownNow();
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * The gallery's {@code labels.csv}, when it has one: a header line, then {@code label,kind} per line, kind
   * {@code vehicle} or {@code model}; labels it does not list name one vehicle.
   */
  static Map<String, LabelKind> labelKinds(Path gallery) throws IOException {
    Path file = gallery.resolve("labels.csv");
    Map<String, LabelKind> kinds = new HashMap<>();
    if (!Files.isRegularFile(file)) {
      return kinds;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      int comma = line.lastIndexOf(',');
      if (line.isEmpty()) {
        continue;
      }
      if (comma <= 0) {
        throw new UsageException(file + " line " + (i + 1) + ": expected label,kind, got '" + line + "'");
      }
      try {
        kinds.put(line.substring(0, comma), LabelKind.parse(line.substring(comma + 1)));
      } catch (IllegalArgumentException e) {
        throw new UsageException(file + " line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return kinds;
  }

  /** Runs {@code matcher} on every file with {@code threads} workers; results in file order. */
  static <T> List<QueryResult<T>> matchAll(List<Path> files, int threads, Function<byte[], T> matcher) {
    RunStats progress = new RunStats("matching", files.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<QueryResult<T>>> futures = new ArrayList<>();
      for (Path file : files) {
        futures.add(pool.submit(() -> {
          byte[] bytes = Files.readAllBytes(file);
          long start = System.nanoTime();
          QueryResult<T> result;
          try {
            T value = matcher.apply(bytes);
            result = new QueryResult<>(value, (System.nanoTime() - start) / 1e9, null);
          } catch (ImageDecodeException e) {
            System.err.println("\nno match for undecodable " + file + ": " + e.getMessage());
            result = new QueryResult<>(null, (System.nanoTime() - start) / 1e9, e.getMessage());
          }
          progress.step();
          return result;
        }));
      }
      List<QueryResult<T>> results = new ArrayList<>();
      for (Future<QueryResult<T>> f : futures) {
        results.add(getUnchecked(f));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void printSummary(MatchEngine engine, EngineConfig config, long indexMillis,
                                   List<QueryResult<Prediction>> results, int threads) {
    double[] ms = results.stream().mapToDouble(r -> r.seconds() * 1000).toArray();
    long errors = results.stream().filter(r -> r.error() != null).count();
    long matched = results.stream().filter(r -> r.value() != null && !r.value().label().equals("none")).count();
    System.err.printf(Locale.ROOT, "matcher:        %s%n", config.matcher().name().toLowerCase(Locale.ROOT));
    System.err.printf(Locale.ROOT, "gallery:        %d reference views, indexed in %.1f s (%.1f ms/view, %d threads)%n",
        engine.size(), indexMillis / 1000.0, engine.size() == 0 ? 0 : indexMillis * (double) threads / engine.size(),
        threads);
    System.err.printf(Locale.ROOT, "index memory:   %.1f KB per reference view (heap) + %.0f KB fixed per-word tables%n",
        engine.bytesPerReference() / 1024, engine.fixedIndexBytes() / 1024.0);
    System.err.printf(Locale.ROOT, "queries:        %d (%d matched, %d undecodable)%n", results.size(), matched,
        errors);
    System.err.printf(Locale.ROOT, "per still:      p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
        RunStats.percentile(ms, 50), RunStats.percentile(ms, 95), RunStats.percentile(ms, 100));
    System.err.printf(Locale.ROOT, "peak memory:    heap %.0f MiB, RSS %.0f MiB (VmHWM; VmRSS now %.0f MiB)%n",
        RunStats.peakHeapMiB(), RunStats.procStatusMiB("VmHWM"), RunStats.procStatusMiB("VmRSS"));
  }

  private static int trainVocabulary(Map<String, String> flags) throws IOException {
    String dirs = flags.get("images");
    String out = flags.get("out");
    if (dirs == null || out == null) {
      throw new UsageException("--images and --out are required");
    }
    List<Path> images = new ArrayList<>();
    for (String dir : dirs.split(",")) {
      Path root = Path.of(dir);
      if (!Files.isDirectory(root)) {
        throw new UsageException("--images " + dir + " is not a directory");
      }
      images.addAll(ImageFolders.images(root));
    }
    int k = Integer.parseInt(flags.getOrDefault("k", "10"));
    int depth = Integer.parseInt(flags.getOrDefault("depth", "4"));
    long seed = Long.parseLong(flags.getOrDefault("seed", "42"));
    int features = Integer.parseInt(flags.getOrDefault("features", "1000"));
    VocabularyTrainer.Summary s = VocabularyTrainer.train(images, features, k, depth, seed, Path.of(out));
    System.err.printf(Locale.ROOT, "vocabulary: %d words (k=%d, depth=%d, seed=%d) from %d descriptors of %d images "
        + "in %.1f s -> %s%n", s.words(), k, depth, seed, s.descriptors(), s.images(), s.millis() / 1000.0, out);
    return 0;
  }

  static String csvField(String value) {
    if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }
    return value;
  }

  private static void waitAll(List<Future<?>> futures) {
    for (Future<?> f : futures) {
      getUnchecked(f);
    }
  }

  private static <T> T getUnchecked(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
