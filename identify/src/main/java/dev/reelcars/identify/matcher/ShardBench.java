package dev.reelcars.identify.matcher;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Benchmark, not part of the service: one gallery split by label over {@code N} engines (shards), each still matched
 * by every shard and the outcomes merged ({@link MatchEngine#merge}), against one engine holding the whole gallery,
 * in one process (identify's README, "When the gallery outgrows one machine"). The gallery is {@code SIZE} views:
 * the gallery folder's real views under their own labels, then synthetic views (a real view's features with
 * {@code FLIP} random descriptor bits flipped, each its own label), as in {@link ScaleBench}. A view goes to shard
 * {@code floorMod(label.hashCode(), N)}, so a label's views stay together.
 *
 * <p>The whole engine is first also built and timed at the smaller {@code SIZES}, so that the ratios between sizes
 * come from one run. Prints heap per view for the whole engine and per shard, per-still time of the whole engine and
 * of the shards (a still's shards timed one after the other on one thread: their maximum is the latency when every
 * shard has its own core, their sum the total work), as wall and as the thread's CPU time, and how often the merged
 * answer equals the whole engine's. Views are built and stills matched by {@code THREADS} threads at once, each
 * still on one thread: on a machine shared with other work only the CPU times compare. Writes {@code whole.csv}
 * and {@code merged.csv} in {@code match}'s results format into OUT, for {@code bench/score-results.py}; there a
 * synthetic view answers for the real view it was made from (its label), being that view's near copy.
 *
 * <pre>
 * java -Xmx7g -cp identify/target/identify.jar dev.reelcars.identify.ShardBench GALLERY QUERIES SIZES SHARDS SAMPLE
 *     FLIP OUT THREADS
 * </pre>
 */
public final class ShardBench {
    private ShardBench() {}

    /** One still's answer: best label (or none), its confidence and kind, and the time it took. */
    private record Answer(String label, double confidence, MatchKind kind, double wallMs, double cpuMs) {
        static Answer of(MatchEngine.Outcome outcome, double wallMs, double cpuMs) {
            return outcome.accepted().isEmpty()
                    ? new Answer("none", 0, MatchKind.NONE, wallMs, cpuMs)
                    : new Answer(outcome.accepted().get(0).label(), outcome.accepted().get(0).confidence(),
                            outcome.match(), wallMs, cpuMs);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 8) {
            System.err.println("usage: ShardBench GALLERY QUERIES SIZES SHARDS SAMPLE FLIP OUT THREADS");
            System.exit(2);
        }
        Path gallery = Path.of(args[0]);
        Path queryRoot = Path.of(args[1]);
        String[] sizes = args[2].split(",");
        int size = Integer.parseInt(sizes[sizes.length - 1].trim());
        int shards = Integer.parseInt(args[3]);
        int sample = Integer.parseInt(args[4]);
        int flip = Integer.parseInt(args[5]);
        Path out = Path.of(args[6]);
        int threadCount = Integer.parseInt(args[7]);
        Files.createDirectories(out);
        ExecutorService pool = Executors.newFixedThreadPool(threadCount);
        EngineConfig config = EngineConfig.defaults();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        List<Path> all = ImageFolders.images(queryRoot);
        List<Path> queries = new ArrayList<>();
        for (int i = 0; i < sample && !all.isEmpty(); i++) {
            queries.add(all.get((int) ((long) i * all.size() / sample)));
        }
        List<byte[]> stills = new ArrayList<>();
        for (Path q : queries) {
            stills.add(Files.readAllBytes(q));
        }
        List<ReferenceView> real;
        try (MatchEngine source = new MatchEngine(config)) {
            Batch.loadGallery(source, gallery, 2);
            real = new ArrayList<>(source.views());
            real.sort(Comparator.comparing(ReferenceView::referenceId));
        }
        System.out.printf(Locale.ROOT, "%s views (%d real), %d shards, %d stills, %d threads%n", args[2], real.size(),
                shards, stills.size(), threadCount);

        // One engine holding the whole gallery, at each size; the last size is the one split.
        List<Answer> single = null;
        for (String sizeText : sizes) {
            int n = Integer.parseInt(sizeText.trim());
            long before = usedAfterGc();
            long t0 = System.nanoTime();
            MatchEngine whole = new MatchEngine(config);
            addViews(List.of(whole), 1, real, n, flip, pool);
            whole.trimToSize();
            double wholeBuild = (System.nanoTime() - t0) / 1e9;
            double wholeHeap = (usedAfterGc() - before) / 1024.0 / n;
            single = runAll(pool, stills, still -> whole.evaluate(still), threads);
            double[] wall = single.stream().mapToDouble(Answer::wallMs).toArray();
            double[] cpu = single.stream().mapToDouble(Answer::cpuMs).toArray();
            System.out.printf(Locale.ROOT, "whole %7d views: heap %.1f KB/view, build %.0f s; per still p50 / p95"
                    + " wall %.1f / %.1f ms, cpu %.1f / %.1f ms%n", n, wholeHeap, wholeBuild,
                    RunStats.percentile(wall, 50), RunStats.percentile(wall, 95), RunStats.percentile(cpu, 50),
                    RunStats.percentile(cpu, 95));
            whole.close();
        }

        // The same views split by label.
        List<MatchEngine> engines = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            engines.add(new MatchEngine(config));
        }
        long before = usedAfterGc();
        long t0 = System.nanoTime();
        addViews(engines, shards, real, size, flip, pool);
        engines.forEach(MatchEngine::trimToSize);
        double shardBuild = (System.nanoTime() - t0) / 1e9;
        double shardHeapTotal = (usedAfterGc() - before) / 1024.0;
        double[] maxWall = new double[stills.size()];
        double[] sumWall = new double[stills.size()];
        double[] maxCpu = new double[stills.size()];
        double[] sumCpu = new double[stills.size()];
        double[] mergeMs = new double[stills.size()];
        List<Future<Answer>> pending = new ArrayList<>();
        for (int q = 0; q < stills.size(); q++) {
            int at = q;
            pending.add(pool.submit(() -> {
                List<MatchEngine.Outcome> outcomes = new ArrayList<>();
                for (MatchEngine shard : engines) {
                    long start = System.nanoTime();
                    long cpu = threads.getCurrentThreadCpuTime();
                    outcomes.add(shard.evaluate(stills.get(at)));
                    double wall = (System.nanoTime() - start) / 1e6;
                    double cpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
                    maxWall[at] = Math.max(maxWall[at], wall);
                    sumWall[at] += wall;
                    maxCpu[at] = Math.max(maxCpu[at], cpuMs);
                    sumCpu[at] += cpuMs;
                }
                long start = System.nanoTime();
                MatchEngine.Outcome outcome = engines.get(0).merge(outcomes);
                mergeMs[at] = (System.nanoTime() - start) / 1e6;
                return Answer.of(outcome, maxWall[at] + mergeMs[at], maxCpu[at]);
            }));
        }
        List<Answer> merged = new ArrayList<>();
        for (Future<Answer> f : pending) {
            merged.add(f.get());
        }
        pool.shutdown();

        int sameLabel = 0;
        int sameKind = 0;
        double worstDelta = 0;
        for (int q = 0; q < stills.size(); q++) {
            Answer a = single.get(q);
            Answer b = merged.get(q);
            if (a.label().equals(b.label())) {
                sameLabel++;
                worstDelta = Math.max(worstDelta, Math.abs(a.confidence() - b.confidence()));
                sameKind += a.kind() == b.kind() ? 1 : 0;
            }
        }
        write(out.resolve("whole.csv"), queryRoot, queries, single, real);
        write(out.resolve("merged.csv"), queryRoot, queries, merged, real);
        StringBuilder perShard = new StringBuilder();
        for (MatchEngine e : engines) {
            perShard.append(' ').append(e.size());
        }
        System.out.printf(Locale.ROOT, "shards: heap %.1f KB/view, %.0f MB per shard on average, build %.0f s;"
                + " views per shard:%s%n", shardHeapTotal / size, shardHeapTotal / 1024 / shards, shardBuild, perShard);
        System.out.printf(Locale.ROOT, "per still, p50 / p95 ms: slowest shard (shards in parallel) wall %.1f / %.1f,"
                + " cpu %.1f / %.1f; all shards (total work) wall %.1f / %.1f, cpu %.1f / %.1f; merge %.3f / %.3f%n",
                RunStats.percentile(maxWall, 50), RunStats.percentile(maxWall, 95), RunStats.percentile(maxCpu, 50),
                RunStats.percentile(maxCpu, 95), RunStats.percentile(sumWall, 50), RunStats.percentile(sumWall, 95),
                RunStats.percentile(sumCpu, 50), RunStats.percentile(sumCpu, 95), RunStats.percentile(mergeMs, 50),
                RunStats.percentile(mergeMs, 95));
        System.out.printf(Locale.ROOT, "answers: same label %d of %d (same kind %d), largest confidence change on"
                + " the same label %.4f%n", sameLabel, stills.size(), sameKind, worstDelta);
        for (MatchEngine e : engines) {
            e.close();
        }
    }

    /**
     * Adds the gallery's views to the engines, each to the shard of its label, on the pool's threads; synthetic view
     * {@code i} is made from its own seed, so every run and every split holds the same views.
     */
    private static void addViews(List<MatchEngine> engines, int shards, List<ReferenceView> real, int size, int flip,
                                 ExecutorService pool) throws Exception {
        List<Future<?>> pending = new ArrayList<>();
        int chunk = 1000;
        for (int from = 0; from < size; from += chunk) {
            int first = from;
            pending.add(pool.submit(() -> {
                for (int i = first; i < Math.min(size, first + chunk); i++) {
                    ReferenceView base = real.get(i % real.size());
                    boolean isReal = i < real.size();
                    String id = isReal ? base.referenceId() : "syn-" + i;
                    String label = isReal ? base.label() : "syn-" + i;
                    FeatureSet features = isReal ? base.features()
                            : perturbed(base.features(), flip, new SplittableRandom(i * 0x9E3779B97F4A7C15L + size));
                    MatchEngine shard = engines.get(Math.floorMod(label.hashCode(), shards));
                    shard.addFeatures(id, label, LabelKind.VEHICLE, features);
                }
                return null;
            }));
        }
        for (Future<?> f : pending) {
            f.get();
        }
    }

    /** Matches every still on the pool's threads, each on one thread, timing it by wall and by that thread's CPU. */
    private static List<Answer> runAll(ExecutorService pool, List<byte[]> stills,
                                       Function<byte[], MatchEngine.Outcome> match, ThreadMXBean threads)
            throws Exception {
        List<Future<Answer>> pending = new ArrayList<>();
        for (byte[] still : stills) {
            pending.add(pool.submit(() -> {
                long start = System.nanoTime();
                long cpu = threads.getCurrentThreadCpuTime();
                MatchEngine.Outcome outcome = match.apply(still);
                double cpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
                return Answer.of(outcome, (System.nanoTime() - start) / 1e6, cpuMs);
            }));
        }
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> f : pending) {
            answers.add(f.get());
        }
        return answers;
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

    private static void write(Path file, Path root, List<Path> queries, List<Answer> answers, List<ReferenceView> real)
            throws Exception {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println("query,predicted,score,seconds,match");
            for (int q = 0; q < queries.size(); q++) {
                Answer a = answers.get(q);
                String label = a.label().startsWith("syn-")
                        ? real.get(Integer.parseInt(a.label().substring(4)) % real.size()).label() : a.label();
                String query = root.relativize(queries.get(q)).toString().replace('\\', '/');
                w.printf(Locale.ROOT, "%s,%s,%.4f,%.4f,%s%n", query, label, a.confidence(), a.wallMs() / 1000,
                        a.kind().name().toLowerCase(Locale.ROOT));
            }
        }
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
