package dev.reelcars.identify.matcher;

import dev.reelcars.platform.image.OpenCvNatives;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The number-plate channel alone on the dev photos (issue 3): every Slovak photo is indexed as a reference the way
 * the engine indexes one, and read as a still twice, as it is and aged like a film still (gen-queries' FilmLook, a
 * fixed seed per photo). Every still is compared with every reference. Reported: how many stills have a row read,
 * how many are accepted against their own photo, against the other photo of the same plate, and against the
 * references with a different plate (false positives), and the closest different plate to the character floor.
 *
 * <p>The 8 photos of the 4 same-vehicle pairs are left out unless {@code --all} is given: their second photos are
 * the benchmark's test queries, so settings are tuned without them. In package {@code dev.reelcars.identify.matcher}
 * for the package-private reader and comparer; run through {@code bench/plate-pairs.sh}.
 */
public final class PlatePairs {
  private static final Set<String> TEST_PAIRS = Set.of("test_059.jpg", "test_060.jpg", "test_047.jpg",
      "test_048.jpg", "test_077.jpg", "test_096.jpg", "test_044.jpg", "test_045.jpg");

  private PlatePairs() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of("../shared/data");
    boolean all = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = Path.of(args[++i]);
        case "--all" -> all = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + " (usage: PlatePairs [--data DIR] [--all])");
      }
    }
    OpenCvNatives.load();
    EngineConfig config = EngineConfig.defaults();
    PlateModel model = config.plates();
    FeatureExtractor references = FeatureExtractor.forReferences(config);
    // Plates on (the default), so stills keep their prepared pixels for reading.
    FeatureExtractor stills = FeatureExtractor.forStills(config);
    Path dir = data.resolve("vehicles/openalpr-eu");
    Map<String, String> plates = new TreeMap<>();
    try (var files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
        String[] f = Files.readString(p).trim().split("\\s+");
        if (all || !TEST_PAIRS.contains(f[0])) {
          plates.put(f[0], f[5]);
        }
      }
    }
    // FilmLook lives in gen-queries' unnamed package: reachable only by reflection from a named one.
    Class<?> filmLook = Class.forName("FilmLook");
    Method random = filmLook.getDeclaredMethod("random", Random.class);
    Method apply = filmLook.getDeclaredMethod("apply", Mat.class, Random.class);
    Method quality = filmLook.getDeclaredMethod("jpegQuality");
    random.setAccessible(true);
    apply.setAccessible(true);
    quality.setAccessible(true);

    List<String> names = new ArrayList<>(plates.keySet());
    Map<String, List<PlateReader.Row>> referenceRows = new ConcurrentHashMap<>();
    Map<String, List<PlateReader.Row>> sharpRows = new ConcurrentHashMap<>();
    Map<String, List<PlateReader.Row>> agedRows = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    List<Future<?>> jobs = new ArrayList<>();
    for (String name : names) {
      jobs.add(pool.submit(() -> {
        byte[] bytes = Files.readAllBytes(dir.resolve(name));
        referenceRows.put(name, references.extract(bytes, name).plates);
        sharpRows.put(name, PlateReader.read(stills.extract(bytes, name).prepared, 4));
        Random r = new Random(name.hashCode() * 31L + 7);
        Mat photo = Imgcodecs.imdecode(new MatOfByte(bytes), Imgcodecs.IMREAD_COLOR);
        Object look = random.invoke(null, r);
        Mat aged = (Mat) apply.invoke(look, photo, r);
        MatOfByte jpeg = new MatOfByte();
        Imgcodecs.imencode(".jpg", aged, jpeg, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, (int) quality.invoke(look)));
        agedRows.put(name, PlateReader.read(stills.extract(jpeg.toArray(), name).prepared, 4));
        photo.release();
        aged.release();
        jpeg.release();
        return null;
      }));
    }
    for (Future<?> job : jobs) {
      job.get();
    }
    pool.shutdown();
    System.out.printf("%d photos (%s), read in %.1f s; plate model: threshold %.2f, every character >= %.2f%n",
        names.size(), all ? "all" : "without the 4 test pairs", (System.nanoTime() - start) / 1e9,
        model.acceptThreshold(), PlateModel.MIN_GLYPH);
    report("sharp", sharpRows, referenceRows, plates, model);
    report("aged ", agedRows, referenceRows, plates, model);
  }

  private static void report(String kind, Map<String, List<PlateReader.Row>> stills,
                             Map<String, List<PlateReader.Row>> references, Map<String, String> plates,
                             PlateModel model) {
    int read = 0;
    int ownAccepted = 0;
    int sameAccepted = 0;
    int samePairs = 0;
    int otherAccepted = 0;
    int otherPairs = 0;
    double closest = 0;
    String closestPair = "none";
    for (String still : plates.keySet()) {
      read += stills.get(still).isEmpty() ? 0 : 1;
      for (String reference : plates.keySet()) {
        boolean accepted = false;
        boolean samePlate = plates.get(still).equals(plates.get(reference));
        for (PlateReader.Row r : references.get(reference)) {
          for (PlateReader.Row s : stills.get(still)) {
            PlateComparer.Comparison c = PlateComparer.compare(r, s);
            double p = model.confidence(c);
            accepted |= model.accepts(p, c.min());
            if (!samePlate && p >= model.acceptThreshold() && c.min() > closest) {
              closest = c.min();
              closestPair = plates.get(still) + " (" + still + ") vs " + plates.get(reference) + " (" + reference + ")";
            }
          }
        }
        if (still.equals(reference)) {
          ownAccepted += accepted ? 1 : 0;
        } else if (samePlate) {
          samePairs++;
          sameAccepted += accepted ? 1 : 0;
        } else {
          otherPairs++;
          otherAccepted += accepted ? 1 : 0;
        }
      }
    }
    int n = plates.size();
    System.out.printf("%s: rows read %d/%d; own photo accepted %d/%d; other photo of the plate %d/%d; "
        + "different plates accepted %d/%d%n", kind, read, n, ownAccepted, n, sameAccepted, samePairs, otherAccepted,
        otherPairs);
    System.out.printf("       highest lowest character among different plates over the threshold: %.3f, %s%n",
        closest, closestPair);
  }
}
