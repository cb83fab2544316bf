package dev.reelcars.identify.matcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Benchmark, not part of the service: where the engine loses the right reference of a real second view, step by step
 * (issue 19). For every gallery vehicle's query of the sets {@code bench/gen-reid.py} (or
 * {@code bench/ReidFrames.java}) makes, against its set's gallery in the profile's engine
 * ({@link MatchEngine#trace}): where the index ranks the right reference, whether it is verified, whether it is
 * best-scored and the answer, and whether the textbook count over the whole gallery ({@link TextbookFit}, every view
 * counted) puts it first. Queries of vehicles not in the gallery are left out: the question is only where right
 * references are lost.
 *
 * <p>The scores are the committed model's, which was fitted on these sets: "best-scored" and "answered" are in-sample
 * here (crossvalidate reports the held-out figures); retrieval, verification and the textbook counts do not depend
 * on the model, except that the model decides whether a still is searched again enlarged.
 *
 * <pre>
 * java -cp identify/target/identify.jar dev.reelcars.identify.matcher.ReidLosses bench/out/reid \
 *     [full|compact] [threads]
 * </pre>
 */
public final class ReidLosses {
    private ReidLosses() {}

    /** One query's right reference, step by step. {@code rank}: its place in the index's ranking, -1 without a vote. */
    record Steps(int rank, boolean verified, boolean bestScored, boolean answered, boolean textbookFirst) {
        static Steps of(String truth, MatchEngine.Trace trace) {
            List<MatchEngine.Scored> scored = trace.outcome().scored();
            boolean verified = scored.stream().anyMatch(s -> s.verification().view().label().equals(truth));
            boolean bestScored = !scored.isEmpty() && scored.get(0).verification().view().label().equals(truth);
            List<Detection> accepted = trace.outcome().accepted();
            boolean answered = !accepted.isEmpty() && accepted.get(0).label().equals(truth);
            int right = trace.textbook().getOrDefault(truth, 0);
            boolean textbookFirst = right > 0 && trace.textbook().entrySet().stream()
                    .noneMatch(e -> !e.getKey().equals(truth) && e.getValue() >= right);
            return new Steps(trace.ranked().indexOf(truth), verified, bestScored, answered, textbookFirst);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ReidLosses REID_DIR [full|compact] [threads]");
            System.exit(2);
        }
        Path reid = Path.of(args[0]);
        EngineConfig config = EngineConfig.profile(args.length > 1 ? args[1] : "full");
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        List<Steps> all = new ArrayList<>();
        int shortlist = 0;
        for (Path set : CrossValidation.realSets(reid)) {
            Path queries = set.resolve("queries");
            List<Path> files = new ArrayList<>();
            List<String> truths = new ArrayList<>();
            for (String line : Files.readAllLines(queries.resolve("truth.csv")).stream().skip(1).toList()) {
                String[] f = line.split(",");
                if (!f[1].equals("none")) {
                    files.add(queries.resolve(f[0]));
                    truths.add(f[1]);
                }
            }
            try (MatchEngine engine = new MatchEngine(config, DescriptorStorage.HEAP)) {
                Batch.loadGallery(engine, set.resolve("gallery"), threads);
                shortlist = engine.shortlistSize(engine.size());
                List<Batch.QueryResult<MatchEngine.Trace>> traces = Batch.matchAll(files, threads, engine::trace);
                List<Steps> steps = new ArrayList<>();
                for (int i = 0; i < files.size(); i++) {
                    if (traces.get(i).error() != null) {
                        throw new IllegalStateException(files.get(i) + ": " + traces.get(i).error());
                    }
                    steps.add(Steps.of(truths.get(i), traces.get(i).value()));
                }
                System.out.println(set.getFileName() + " (" + engine.size() + " views): " + summary(steps, shortlist));
                all.addAll(steps);
            }
        }
        System.out.println();
        System.out.println("all sets: " + summary(all, shortlist));
        System.out.println(losses(all, shortlist));
    }

    static String summary(List<Steps> steps, int shortlist) {
        return String.format(Locale.ROOT, "%d queries of gallery vehicles; right reference ranked first by the index"
                        + " %d, in its first %d (the shortlist) %d, in its first %d %d; verified %d; best-scored %d;"
                        + " the answer %d; first by textbook count over the whole gallery %d",
                steps.size(), count(steps, s -> s.rank() == 0), shortlist,
                count(steps, s -> s.rank() >= 0 && s.rank() < shortlist), 2 * shortlist,
                count(steps, s -> s.rank() >= 0 && s.rank() < 2 * shortlist), count(steps, Steps::verified),
                count(steps, Steps::bestScored), count(steps, Steps::answered), count(steps, Steps::textbookFirst));
    }

    /** The queries whose right reference is not best-scored, by the first step that lost it. */
    static String losses(List<Steps> steps, int shortlist) {
        List<Steps> lost = steps.stream().filter(s -> !s.bestScored()).toList();
        // A reference verified is lost to the score, even when the search of an enlarged region found it.
        List<Steps> outscored = lost.stream().filter(Steps::verified).toList();
        List<Steps> verification = lost.stream().filter(s -> !s.verified() && s.rank() >= 0 && s.rank() < shortlist)
                .toList();
        List<Steps> retrieval = lost.stream().filter(s -> !s.verified() && (s.rank() < 0 || s.rank() >= shortlist))
                .toList();
        return String.format(Locale.ROOT, "not best-scored: %d; of them verified but outscored %d (textbook-first %d),"
                        + " shortlisted but not verified %d (%d), not verified nor shortlisted %d (%d)", lost.size(),
                outscored.size(), count(outscored, Steps::textbookFirst), verification.size(),
                count(verification, Steps::textbookFirst), retrieval.size(), count(retrieval, Steps::textbookFirst));
    }

    private static long count(List<Steps> steps, Predicate<Steps> test) {
        return steps.stream().filter(test).count();
    }
}
