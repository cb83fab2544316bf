package dev.reelcars.identify.matcher;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Benchmark, not part of the service: heap per reference view and match time as the gallery grows to sizes no test
 * data holds (issue 19: 100,000 references), side by side in one process. The gallery folder's real views are
 * indexed once as the engine indexes any reference; each size is then a fresh engine holding those real views plus
 * synthetic ones, each a real view's features with {@code --flip} random bits of every descriptor flipped (so its
 * visual words spread like real ones, not as exact duplicates). Heap per view is the used heap after a full GC
 * with the engine built and its index trimmed, minus before, over the views; match time is one thread's, per query
 * of a fixed sample, as wall time and as the thread's CPU time (the machine is shared). With the descriptors in a
 * memory-mapped file (the default, {@link DescriptorStorage}) the file's bytes per view are printed beside the heap's;
 * with {@code -Dscalebench.pageCache=flush} the file's dirty pages are written back ({@code sync}) after each size is
 * built, as they are within a minute of a service's gallery loading, so that the queries do not share the machine with
 * that writeback; with {@code drop} the page cache is then also dropped (as root, through
 * {@code /proc/sys/vm/drop_caches}), so that the queries read the file from disk: the case of a gallery whose file
 * no longer fits in memory. Unset: the queries start right after the build.
 *
 * <pre>
 * java -Xmx8g -cp identify/target/identify.jar dev.reelcars.identify.matcher.ScaleBench GALLERY QUERIES [SIZES]
 * [SAMPLE] [FLIP] [full|compact] [heap|file|DIR]
 * </pre>
 */
public final class ScaleBench {
    private ScaleBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ScaleBench GALLERY QUERIES [1000,10000,100000] [sample 40] [flip 24]"
                    + " [full|compact] [heap|file|DIR]");
            System.exit(2);
        }
        Path gallery = Path.of(args[0]);
        List<Path> queries = ImageFolders.images(Path.of(args[1]));
        String[] sizes = (args.length > 2 ? args[2] : "1000,10000,100000").split(",");
        int sample = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        int flip = args.length > 4 ? Integer.parseInt(args[4]) : 24;
        EngineConfig config = EngineConfig.profile(args.length > 5 ? args[5] : "full");
        DescriptorStorage storage = DescriptorStorage.parse(args.length > 6 ? args[6] : "file");
        String pageCache = System.getProperty("scalebench.pageCache", "keep");
        if (!List.of("keep", "flush", "drop").contains(pageCache)) {
            throw new IllegalArgumentException("scalebench.pageCache must be keep, flush or drop: " + pageCache);
        }
        System.out.println("profile " + (args.length > 5 ? args[5] : "full") + ": " + config.referenceFeatures() + " + "
                + config.halfScaleFeatures() + " + " + config.detailFeatures()
                + " features per reference view at most; descriptors: " + storage);
        List<byte[]> stills = new ArrayList<>();
        for (int i = 0; i < sample && !queries.isEmpty(); i++) {
            stills.add(Files.readAllBytes(queries.get((int) ((long) i * queries.size() / sample))));
        }
        List<FeatureSet> real;
        try (MatchEngine source = new MatchEngine(config)) {
            Batch.loadGallery(source, gallery, 2);
            real = source.views().stream().map(ReferenceView::features).toList();
            long features = real.stream().mapToLong(f -> f.count).sum();
            System.out.printf(Locale.ROOT,
                    "%d real views, %.0f features per view on average; engine estimate %.1f KB/view%n",
                    real.size(), features / (double) real.size(), source.bytesPerReference() / 1024);
        }
        System.out.println("views    heap/view  estimate/view  file/view  build s  match p50 ms  p95 ms  cpu p50 ms"
                + "  (sample " + stills.size() + ", 1 thread)");
        var threads = ManagementFactory.getThreadMXBean();
        for (String size : sizes) {
            int n = Integer.parseInt(size.trim());
            long before = usedAfterGc();
            long t0 = System.nanoTime();
            MatchEngine engine = new MatchEngine(config, storage);
            SplittableRandom random = new SplittableRandom(n);
            for (int i = 0; i < n; i++) {
                FeatureSet base = real.get(i % real.size());
                if (i < real.size()) {
                    engine.addFeatures("real-" + i, "real-" + i, LabelKind.VEHICLE, base);
                } else {
                    engine.addFeatures("syn-" + i, "syn-" + i, LabelKind.VEHICLE, perturbed(base, flip, random));
                }
            }
            engine.trimToSize();
            double buildSeconds = (System.nanoTime() - t0) / 1e9;
            long after = usedAfterGc();
            pageCache(pageCache);
            double[] ms = new double[stills.size()];
            double[] cpu = new double[stills.size()];
            for (int q = 0; q < stills.size(); q++) {
                long start = System.nanoTime();
                long cpuStart = threads.getCurrentThreadCpuTime();
                engine.evaluate(stills.get(q));
                ms[q] = (System.nanoTime() - start) / 1e6;
                cpu[q] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
            }
            System.out.printf(Locale.ROOT, "%7d  %6.1f KB  %9.1f KB  %6.1f KB  %7.1f  %12.1f  %6.1f  %10.1f%n", n,
                    (after - before) / 1024.0 / n, engine.bytesPerReference() / 1024,
                    engine.fileBytesPerReference() / 1024, buildSeconds,
                    RunStats.percentile(ms, 50), RunStats.percentile(ms, 95), RunStats.percentile(cpu, 50));
            engine.close();
            engine = null;
        }
    }

    private static FeatureSet perturbed(FeatureSet base, int flip, SplittableRandom random) {
        long[] d = base.descriptors.clone();
        for (int f = 0; f < base.count; f++) {
            for (int b = 0; b < flip; b++) {
                int bit = random.nextInt(256);
                d[f * 4 + (bit >> 6)] ^= 1L << (bit & 63);
            }
        }
        return base.withDescriptors(d);
    }

    private static void pageCache(String mode) throws Exception {
        String command = switch (mode) {
            case "keep" -> null;
            case "flush" -> "sync";
            case "drop" -> "sync && echo 1 > /proc/sys/vm/drop_caches";
            default -> throw new IllegalArgumentException("scalebench.pageCache must be keep, flush or drop: " + mode);
        };
        if (command == null) {
            return;
        }
        Process process = new ProcessBuilder("sh", "-c", command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("could not " + mode + " the page cache (drop needs root)");
        }
        System.out.println("(page cache: " + mode + " before the queries)");
    }

    private static long usedAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
