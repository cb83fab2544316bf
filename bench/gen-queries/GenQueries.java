import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Entry point of bench/gen-queries.sh: writes gallery, queries, calibration queries, distractors and
 * gallery-N folders under the output directory. Same inputs + same seed = same bytes.
 */
public final class GenQueries {

    /** Settings, from {@code --key value} flags; every one has a default. */
    record Config(
            Path data,              // --data: the shared dev images
            Path out,               // --out: must be empty or absent (the shell script clears it)
            long seed,              // --seed: everything random derives from it
            int distractors,        // --distractors: distractor references written
            int threads,            // --threads: worker threads
            double holdOut,         // fraction of single (non-pair) openalpr cars kept out of the gallery
            Queries.Counts test,
            Queries.Counts calibration,
            int[] gallerySizes) {

        static Config parse(String[] args) {
            Map<String, String> a = new HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --flag value, got " + args[i]);
                a.put(args[i].substring(2), args[i + 1]);
            }
            int distractors = Integer.parseInt(a.getOrDefault("distractors", "10000"));
            if (distractors < 0) throw new IllegalArgumentException("--distractors must not be negative");
            return new Config(
                    Path.of(a.getOrDefault("data", "../shared/data")),
                    Path.of(a.getOrDefault("out", "bench/out")),
                    Long.parseLong(a.getOrDefault("seed", "3")),
                    distractors,
                    Integer.parseInt(a.getOrDefault("threads", String.valueOf(Runtime.getRuntime().availableProcessors()))),
                    0.2,
                    new Queries.Counts(2, 4, 110, true, 0),
                    new Queries.Counts(2, 6, 120, false, 4),
                    new int[] {100, 1000, 10000});
        }
    }

    public static void main(String[] args) throws Exception {
        Config cfg = Config.parse(args);
        nu.pattern.OpenCV.loadLocally();
        Core.setNumThreads(1); // parallelism comes from our own pool, one image per worker
        long t0 = System.nanoTime();

        Dataset ds = Dataset.load(cfg.data(), cfg.seed(), cfg.holdOut());
        Map<Path, Mat> images = new HashMap<>();
        for (Dataset.Car car : concat(ds.gallery(), ds.heldOut())) images.put(car.image(), CarImages.read(car));
        for (Path p : ds.queryScenes()) images.put(p, Imgcodecs.imread(p.toString(), Imgcodecs.IMREAD_COLOR));

        Path out = cfg.out();
        Files.createDirectories(out);
        writeReferences(out, ds, images);
        Files.write(out.resolve("labels.txt"), ds.gallery().stream().map(Dataset.Car::label).toList());
        Files.write(out.resolve("heldout.txt"), ds.heldOut().stream().map(Dataset.Car::label).toList());

        ForkJoinPool pool = new ForkJoinPool(cfg.threads());
        Map<String, List<Queries.Row>> splits = new LinkedHashMap<>();
        splits.put("queries", run(pool, new Queries(out.resolve("queries"), "test", cfg.seed(), ds, images).jobs(cfg.test())));
        splits.put("queries-calibration", run(pool,
                new Queries(out.resolve("queries-calibration"), "calibration", cfg.seed(), ds, images).jobs(cfg.calibration())));
        for (var e : splits.entrySet()) writeTruth(out.resolve(e.getKey()), "truth.csv", e.getValue(), null, true);
        System.out.printf("queries written in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        List<Mat> sources = new ArrayList<>();
        for (Path p : ds.distractorSources()) sources.add(Imgcodecs.imread(p.toString(), Imgcodecs.IMREAD_COLOR));
        pool.submit(() -> IntStream.rangeClosed(1, cfg.distractors()).parallel()
                .forEach(i -> Galleries.writeDistractor(out, i, sources, cfg.seed()))).get();
        System.out.printf("%d distractors written in %.1f s%n", cfg.distractors(), (System.nanoTime() - t0) / 1e9);

        List<String> labels = ds.gallery().stream().map(Dataset.Car::label).toList();
        Set<String> pairLabels = new HashSet<>();
        ds.secondViews().forEach(v -> pairLabels.add(v.label()));
        for (int n : cfg.gallerySizes()) {
            if (n - Math.min(n, labels.size()) > cfg.distractors()) {
                System.out.printf("skipping gallery-%d: only %d distractors%n", n, cfg.distractors());
                continue;
            }
            Set<String> kept = Galleries.writeGallery(out, n, labels, pairLabels, cfg.seed());
            for (var e : splits.entrySet()) writeTruth(out.resolve(e.getKey()), "truth-" + n + ".csv", e.getValue(), kept, false);
        }
        pool.shutdown();
        writeSources(out, ds);
        System.out.printf("done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static void writeReferences(Path out, Dataset ds, Map<Path, Mat> images) throws IOException {
        for (Dataset.Car car : ds.gallery()) {
            Path ref = out.resolve("gallery").resolve(car.label()).resolve("ref.jpg");
            Files.createDirectories(ref.getParent());
            if (car.image().toString().endsWith(".jpg")) {
                Files.copy(car.image(), ref, StandardCopyOption.REPLACE_EXISTING); // no second JPEG loss
            } else {
                Mat m = CarImages.reference(images.get(car.image()));
                Queries.write(ref, m, 95);
                m.release();
            }
        }
    }

    private static List<Queries.Row> run(ForkJoinPool pool, List<Supplier<Queries.Row>> jobs) throws Exception {
        return pool.submit(() -> jobs.parallelStream().map(Supplier::get).toList()).get();
    }

    /** truth.csv (and meta.csv alongside it); {@code keep} = gallery labels, null = all. */
    private static void writeTruth(Path dir, String file, List<Queries.Row> rows, Set<String> keep, boolean meta)
            throws IOException {
        List<String> truth = new ArrayList<>(List.of("query,label,kind"));
        List<String> metaLines = new ArrayList<>(List.of(Queries.META_HEADER));
        for (Queries.Row r : rows) {
            if (keep != null && !r.label().equals("none") && !keep.contains(r.label())) continue;
            truth.add(r.query() + "," + r.label() + "," + r.kind());
            metaLines.add(r.query() + "," + r.label() + "," + r.kind() + "," + r.meta());
        }
        Files.write(dir.resolve(file), truth);
        if (meta) Files.write(dir.resolve("meta.csv"), metaLines);
    }

    private static void writeSources(Path out, Dataset ds) throws IOException {
        List<String> lines = new ArrayList<>();
        ds.queryScenes().forEach(p -> lines.add("query_scene\t" + p));
        ds.distractorSources().forEach(p -> lines.add("distractor_source\t" + p));
        ds.gallery().forEach(c -> lines.add("gallery\t" + c.label() + "\t" + c.image()));
        ds.heldOut().forEach(c -> lines.add("held_out\t" + c.label() + "\t" + c.image()));
        Files.write(out.resolve("sources.tsv"), lines);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }
}
