package dev.reelcars.identify.cli;

import dev.reelcars.identify.film.FilmVideo;
import dev.reelcars.identify.matcher.Batch;
import dev.reelcars.identify.matcher.Calibrator;
import dev.reelcars.identify.matcher.ConfidenceModel;
import dev.reelcars.identify.matcher.CrossValidation;
import dev.reelcars.identify.matcher.DescriptorStorage;
import dev.reelcars.identify.matcher.EngineConfig;
import dev.reelcars.identify.matcher.ImageFolders;
import dev.reelcars.identify.matcher.MatchEngine;
import dev.reelcars.identify.matcher.MatchKind;
import dev.reelcars.identify.matcher.RunStats;
import dev.reelcars.identify.matcher.VocabularyTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Batch front end of the matcher, on picocli: every subcommand's flags are typed and checked before anything runs,
 * and a bad flag is one {@code error:} line and the subcommand's usage, exit code 2, never a stack trace
 * ({@code identify.jar <command> --help} prints the usage). Subcommands:
 * <pre>
 * match --gallery G --queries Q --out results.csv [--exhaustive] [--no-plates] [--threads N]
 * train-vocabulary --images DIR[,DIR...] --out FILE [--k 10] [--depth 4] [--seed 42] [--features 1000]
 * calibrate --gallery G[,G2...] --queries Q [--truth Q/truth.csv] [--threads N] [--max-fp 0.005] [--out FILE]
 * crossvalidate --gallery G[,G2...] --queries Q --real R [--folds 4] [--threads N] [--out FILE] ...
 * scan FILM --gallery G --out appearances.csv [--threads N] ...
 * </pre>
 */
@Command(name = "identify.jar", synopsisSubcommandLabel = "COMMAND",
        description = "Finds known vehicles in film stills and films. Without a command, java -jar identify.jar"
                + " runs the Kafka service (also: serve).",
        subcommands = {MatchCli.Match.class, MatchCli.TrainVocabulary.class, MatchCli.Calibrate.class,
                MatchCli.CrossValidate.class, MatchCli.Scan.class, CommandLine.HelpCommand.class})
public final class MatchCli implements Callable<Integer> {
    private MatchCli() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a subcommand; returns the process exit code (2 = bad arguments or a failure the user can fix). */
    public static int run(String[] args) {
        CommandLine cli = new CommandLine(new MatchCli());
        cli.setParameterExceptionHandler((e, given) -> usage(e.getCommandLine(), e.getMessage()));
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof UsageException || e instanceof Batch.GalleryException) {
                return usage(command, e.getMessage());
            }
            if (e instanceof FilmVideo.ScanException) {
                System.err.println("error: " + e.getMessage()); // the film, the decoder: one line, no usage
                return 2;
            }
            if (e instanceof IOException || e instanceof UncheckedIOException) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** No command given. */
    @Override
    public Integer call() {
        throw new UsageException("missing command (match, train-vocabulary, calibrate, crossvalidate, scan or help)");
    }

    private static int usage(CommandLine command, String problem) {
        System.err.println("error: " + problem);
        command.usage(System.err);
        return 2;
    }

    /** {@code --help} on every command. */
    static final class Help {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
    }

    /** {@code --threads N}, 1..256. */
    static final class Threads {
        @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: ${DEFAULT-VALUE}).",
                defaultValue = "1")
        int threads;

        int checked() {
            if (threads < 1 || threads > 256) {
                throw new UsageException("--threads must be in 1..256, was " + threads);
            }
            return threads;
        }
    }

    /** {@code --profile NAME} and {@code --model FILE}: which features a gallery keeps, and which model scores them. */
    static final class Profile {
        @Option(names = "--profile", defaultValue = "full", paramLabel = "NAME", description = "How the gallery is"
                + " matched: full or compact (fewer features per view, for a gallery that would not fit otherwise;"
                + " default: ${DEFAULT-VALUE}).")
        String name;
        @Option(names = "--model", paramLabel = "FILE", description = "A confidence model written by crossvalidate"
                + " --out instead of the profile's own; its lead term is counted as it was fitted (textbookRivals).")
        Path model;

        EngineConfig config() {
            if (!EngineConfig.PROFILES.contains(name)) {
                throw new UsageException("--profile must be one of " + EngineConfig.PROFILES + ", was " + name);
            }
            EngineConfig config = EngineConfig.profile(name);
            if (model != null) {
                if (!Files.isRegularFile(model)) {
                    throw new UsageException("--model: no such file " + model);
                }
                config = config.withFitted(ConfidenceModel.Fitted.load(model));
            }
            return config;
        }
    }

    @Command(name = "match", description = "Matches every image of a folder against a gallery folder and writes"
            + " results.csv: query,predicted,score,seconds,match (match: vehicle, model or none).")
    static final class Match implements Callable<Integer> {
        @Mixin Help help;
        @Mixin Threads threads;
        @Option(names = "--gallery", required = true, paramLabel = "G", description = "One sub-folder per vehicle label"
                + " holding reference images, or files <label>.<ext>; G/labels.csv (label,kind) may say a label"
                + " names a model.")
        Path gallery;
        @Option(names = "--queries", required = true, paramLabel = "Q", description = "Images, searched recursively.")
        Path queries;
        @Option(names = "--out", required = true, paramLabel = "results.csv", description = "Where the results go.")
        Path out;
        @Option(names = "--exhaustive", description = "The textbook brute-force matcher, for comparison.")
        boolean exhaustive;
        @Option(names = "--no-plates", description = "The default matcher without its number-plate channel.")
        boolean noPlates;
        @Option(names = "--descriptors", defaultValue = "file", paramLabel = "WHERE", description = "Where the"
                + " reference descriptors are kept: file (a memory-mapped file in the temporary directory), a"
                + " directory for it, or heap (default: ${DEFAULT-VALUE}); the answers are the same.")
        String descriptors;
        @Mixin Profile profile;

        @Override
        public Integer call() throws IOException {
            EngineConfig config = exhaustive ? EngineConfig.exhaustive() : profile.config();
            DescriptorStorage storage;
            try {
                storage = DescriptorStorage.parse(descriptors);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--descriptors: " + e.getMessage());
            }
            return match(directory(gallery, "--gallery"), directory(queries, "--queries"), out,
                    noPlates ? config.withPlateRows(0) : config, storage, threads.checked());
        }
    }

    @Command(name = "train-vocabulary", description = "Rebuilds the ORB vocabulary tree (commit it as"
            + " src/main/resources/dev/reelcars/identify/orb-vocabulary.bin).")
    static final class TrainVocabulary implements Callable<Integer> {
        @Mixin Help help;
        @Option(names = "--images", required = true, split = ",", paramLabel = "DIR", description = "Image folders.")
        List<Path> images;
        @Option(names = "--out", required = true, paramLabel = "FILE") Path out;
        @Option(names = "--k", defaultValue = "10", description = "Branching factor (default: ${DEFAULT-VALUE}).")
        int k;
        @Option(names = "--depth", defaultValue = "4", description = "Levels (default: ${DEFAULT-VALUE}).")
        int depth;
        @Option(names = "--seed", defaultValue = "42") long seed;
        @Option(names = "--features", defaultValue = "1000", description = "ORB features per image.")
        int features;

        @Override
        public Integer call() throws IOException {
            if (k < 2 || k > 64 || depth < 1 || depth > 8 || features < 10) {
                throw new UsageException("--k must be in 2..64, --depth in 1..8 and --features at least 10");
            }
            List<Path> files = new ArrayList<>();
            for (Path dir : images) {
                files.addAll(ImageFolders.images(directory(dir, "--images")));
            }
            VocabularyTrainer.Summary s = VocabularyTrainer.train(files, features, k, depth, seed, out);
            System.err.printf(Locale.ROOT,
                    "vocabulary: %d words (k=%d, depth=%d, seed=%d) from %d descriptors of %d images"
                    + " in %.1f s -> %s%n", s.words(), k, depth, seed, s.descriptors(), s.images(),
                    s.millis() / 1000.0, out);
            return 0;
        }
    }

    @Command(name = "calibrate", description = "Fits the confidence model and acceptance threshold on a labelled"
            + " calibration split.")
    static final class Calibrate implements Callable<Integer> {
        @Mixin Help help;
        @Mixin Threads threads;
        @Option(names = "--gallery", required = true, split = ",", paramLabel = "G") List<Path> galleries;
        @Option(names = "--queries", required = true, paramLabel = "Q") Path queries;
        @Option(names = "--truth", paramLabel = "FILE", description = "Default: Q/truth.csv.") Path truth;
        @Option(names = "--max-fp", defaultValue = "0.005", description = "Default: ${DEFAULT-VALUE}.") double maxFp;
        @Option(names = "--out", paramLabel = "FILE", description = "Where the fitted model goes.") Path out;

        @Override
        public Integer call() throws IOException {
            return Calibrator.run(new Calibrator.Options(directories(galleries, "--gallery"),
                    directory(queries, "--queries"), truth, share(maxFp, "--max-fp"), threads.checked(), out));
        }
    }

    @Command(name = "crossvalidate", description = "Fits on the composites' split Q and the real pairs' sets R"
            + " (bench/gen-reid.py) and reports held-out folds.")
    static final class CrossValidate implements Callable<Integer> {
        @Mixin Help help;
        @Mixin Threads threads;
        @Option(names = "--gallery", required = true, split = ",", paramLabel = "G") List<Path> galleries;
        @Option(names = "--queries", required = true, paramLabel = "Q") Path queries;
        @Option(names = "--real", required = true, paramLabel = "R") Path real;
        @Option(names = "--folds", defaultValue = "4", description = "Default: ${DEFAULT-VALUE}.") int folds;
        @Option(names = "--max-fp", defaultValue = "0.005", description = "Default: ${DEFAULT-VALUE}.") double maxFp;
        @Option(names = "--max-vehicle-fp", defaultValue = "0.01", description = "Default: ${DEFAULT-VALUE}.")
        double maxVehicleFp;
        @Option(names = "--model-answers", description = "An answer threshold under the vehicle threshold.")
        boolean modelAnswers;
        @Option(names = "--max-model-fp", defaultValue = "1", description = "With --model-answers, the share of the"
                + " composites' unknown cars on each gallery that may get a model answer (default: ${DEFAULT-VALUE},"
                + " no bound).") double maxModelFp;
        @Option(names = "--out", paramLabel = "FILE") Path out;
        @Option(names = "--dump", paramLabel = "FILE") Path dump;
        @Mixin Profile profile;
        @Option(names = "--terms", split = ",", defaultValue = "none", paramLabel = "TERM",
                description = "Optional terms the written model uses: colour, enlarged, lead, or none (default: "
                        + "${DEFAULT-VALUE}).") List<String> terms;
        @Option(names = "--compare", description = "Also report the held-out folds with and without each optional"
                + " term, with and without --recalibrate.") boolean compare;
        @Option(names = "--recalibrate", description = "Rescale the model so that each real query's best candidate is"
                + " calibrated.") boolean recalibrate;

        @Override
        public Integer call() throws IOException {
            if (folds < 2 || folds > 20) {
                throw new UsageException("--folds must be in 2..20, was " + folds);
            }
            if (maxModelFp < 1 && !modelAnswers) {
                throw new UsageException("--max-model-fp bounds model answers: it needs --model-answers");
            }
            Set<String> chosen = new TreeSet<>(terms);
            chosen.remove("none");
            if (!CrossValidation.OPTIONAL_TERMS.containsAll(chosen)) {
                throw new UsageException("--terms takes " + CrossValidation.OPTIONAL_TERMS + " or none, was " + terms);
            }
            return CrossValidation.run(new CrossValidation.Options(directories(galleries, "--gallery"),
                    directory(queries, "--queries"), directory(real, "--real"), folds, share(maxFp, "--max-fp"),
                    share(maxVehicleFp, "--max-vehicle-fp"), modelAnswers, share(maxModelFp, "--max-model-fp"),
                    threads.checked(), out, dump,
                    Set.copyOf(chosen), compare, recalibrate, profile.config()));
        }
    }

    @Command(name = "scan", description = "A whole film's appearances of known vehicles: label,start,end,frames,score.")
    static final class Scan implements Callable<Integer> {
        @Mixin Help help;
        @Parameters(index = "0", paramLabel = "FILM") Path film;
        @Option(names = "--gallery", required = true, paramLabel = "G") Path gallery;
        @Option(names = "--out", required = true, paramLabel = "appearances.csv") Path out;
        @Option(names = "--threads", paramLabel = "N", description = "Default: the machine's cores.") Integer threads;
        @Option(names = "--parts", paramLabel = "P",
                description = "Parts of the film decoded at once, 1..64 (default: one per thread, each >= 1 min).")
        Integer parts;
        @Option(names = "--fps", defaultValue = "1", description = "Frames sampled a second, 0.1..30.") double fps;
        @Option(names = "--width", defaultValue = "1280", description = "Widest frame decoded, 64..3840.") int width;
        @Option(names = "--max-gap", defaultValue = "2",
                description = "Seconds between frames of one appearance, 0..60.")
        double maxGap;
        @Option(names = "--min-single", defaultValue = "" + FilmVideo.DEFAULT_SINGLE_FRAME_MIN,
                description = "Least score of a one-frame appearance.")
        double minSingle;
        @Option(names = "--min-score", description = "Least score of any appearance (default: the confidence "
                + "model's vehicle threshold).")
        Double minScore;
        @Option(names = "--no-plates") boolean noPlates;
        @Option(names = "--ffmpeg", defaultValue = "ffmpeg") String ffmpeg;
        @Option(names = "--ffprobe", defaultValue = "ffprobe") String ffprobe;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(film)) {
                throw new FilmVideo.ScanException(film + ": no such file");
            }
            if (!Files.isReadable(film)) {
                throw new FilmVideo.ScanException(film + ": not readable");
            }
            range(fps, 0.1, 30, "--fps");
            range(width, 64, 3840, "--width");
            range(maxGap, 0, 60, "--max-gap");
            range(minSingle, 0, 1, "--min-single");
            if (minScore != null) {
                range(minScore, 0, 1, "--min-score");
            }
            int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            if (workers < 1 || workers > 256) {
                throw new UsageException("--threads must be in 1..256, was " + workers);
            }
            if (parts != null && (parts < 1 || parts > 64)) {
                throw new UsageException("--parts must be in 1..64, was " + parts);
            }
            FilmScan.Options options = new FilmScan.Options(film, directory(gallery, "--gallery"), out,
                    workers, parts == null ? 0 : parts, fps, width, maxGap, minSingle, minScore, !noPlates, ffmpeg,
                    ffprobe);
            FilmScan.printSummary(FilmScan.scan(options), options);
            return 0;
        }
    }

    private static Path directory(Path path, String flag) {
        if (!Files.isDirectory(path)) {
            throw new UsageException(flag + " " + path + " is not a directory");
        }
        return path;
    }

    private static List<Path> directories(List<Path> paths, String flag) {
        return paths.stream().map(p -> directory(p, flag)).toList();
    }

    private static double share(double value, String flag) {
        return range(value, 0, 1, flag);
    }

    private static double range(double value, double min, double max, String flag) {
        if (!(value >= min && value <= max)) {
            throw new UsageException(flag + " must be in " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private static int match(Path gallery, Path queries, Path out, EngineConfig config, DescriptorStorage storage,
                             int threads) throws IOException {
        try (MatchEngine engine = new MatchEngine(config, storage)) {
            long indexMillis = Batch.loadGallery(engine, gallery, threads);
            List<Path> files = ImageFolders.images(queries);
            List<Batch.QueryResult<Prediction>> results = Batch.matchAll(files, threads, query -> {
                MatchEngine.Outcome outcome = engine.evaluate(query);
                if (outcome.accepted().isEmpty()) {
                    return new Prediction("none", outcome.scored().isEmpty() ? 0 : outcome.scored().get(0).confidence(),
                            MatchKind.NONE, 0);
                }
                return new Prediction(outcome.accepted().get(0).label(), outcome.accepted().get(0).confidence(),
                        outcome.match(), outcome.accepted().size());
            });
            Files.createDirectories(out.toAbsolutePath().getParent());
            try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
                csv.println("query,predicted,score,seconds,match");
                for (int i = 0; i < files.size(); i++) {
                    Batch.QueryResult<Prediction> r = results.get(i);
                    Prediction p = r.value() == null ? new Prediction("none", 0, MatchKind.NONE, 0) : r.value();
                    csv.printf(Locale.ROOT, "%s,%s,%.4f,%.4f,%s%n", csvField(ImageFolders.relative(queries,
                            files.get(i))), csvField(p.label()), p.score(), r.seconds(), p.match().csv());
                }
            }
            printSummary(engine, config, indexMillis, results, threads);
        }
        return 0;
    }

    /** @param candidates how many candidates the still got (results.csv has the first; several vehicles give more) */
    record Prediction(String label, double score, MatchKind match, int candidates) {}

    private static void printSummary(MatchEngine engine, EngineConfig config, long indexMillis,
                                     List<Batch.QueryResult<Prediction>> results, int threads) {
        double[] ms = results.stream().mapToDouble(r -> r.seconds() * 1000).toArray();
        long errors = results.stream().filter(r -> r.error() != null).count();
        long matched = results.stream().filter(r -> r.value() != null && !r.value().label().equals("none")).count();
        System.err.printf(Locale.ROOT, "matcher:        %s%n", config.matcher().name().toLowerCase(Locale.ROOT));
        System.err.printf(Locale.ROOT, "reference view: %d + %d half size + %d detail features at most%n",
                config.referenceFeatures(), config.halfScaleFeatures(), config.detailFeatures());
        System.err.printf(Locale.ROOT,
                "gallery:        %d reference views, indexed in %.1f s (%.1f ms/view, %d threads)%n",
                engine.size(), indexMillis / 1000.0, engine.size() == 0 ? 0
                : indexMillis * (double) threads / engine.size(), threads);
        System.err.printf(Locale.ROOT,
                "index memory:   %.1f KB per reference view (heap) + %.0f KB fixed per-word tables;"
                + " descriptors: %s, %.1f KB per view%n",
                engine.bytesPerReference() / 1024, engine.fixedIndexBytes() / 1024.0, engine.descriptorStorage(),
                engine.fileBytesPerReference() / 1024);
        long several = results.stream().filter(r -> r.value() != null && r.value().candidates() > 1).count();
        System.err.printf(Locale.ROOT,
                "queries:        %d (%d matched, %d of them with several candidates, %d undecodable)%n",
                results.size(), matched, several, errors);
        System.err.printf(Locale.ROOT, "per still:      p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
                RunStats.percentile(ms, 50), RunStats.percentile(ms, 95), RunStats.percentile(ms, 100));
        System.err.printf(Locale.ROOT, "peak memory:    heap %.0f MiB, RSS %.0f MiB (VmHWM; VmRSS now %.0f MiB)%n",
                RunStats.peakHeapMiB(), RunStats.procStatusMiB("VmHWM"), RunStats.procStatusMiB("VmRSS"));
    }

    static String csvField(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
