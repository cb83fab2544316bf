package dev.reelcars.identify.matcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@code crossvalidate}: fits the confidence model on the composites' calibration split together with real
 * cross-camera pairs ({@code bench/gen-reid.py}), and reports what it does on real pairs it was not fitted on.
 *
 * <p>The real queries carry a fold (by vehicle: a vehicle's views, as positive and as negative, are all in one fold).
 * For each fold the model is fitted on the composites and the real queries of the other folds, and both thresholds
 * are chosen on those same queries: the <em>answer</em> threshold (most identifications while the composites'
 * negatives given any answer stay within {@code --max-fp} on each gallery, as {@code calibrate} chooses it) and the
 * <em>vehicle</em> threshold (the lowest at or above it at which the real unknown vehicles given a vehicle answer
 * stay within {@code --max-vehicle-fp}, and the composites' within {@code --max-fp}). The held-out fold's queries
 * are then decided with that fold's model and thresholds; the report pools the four held-out folds. Finally the model
 * and thresholds are fitted on everything and written to {@code --out}.
 *
 * <p>Only the local features' evidence is modelled; the number plates (which read nothing on these 70-250 px
 * vehicles) keep their own model.
 */
public final class CrossValidation {
    private static final int BINS = 10;

    private CrossValidation() {}

    /** One query of a run: its true label, its fold (-1: composites, always fitted on) and its run. */
    record Query(String truth, String kind, int fold, int run, boolean real) {
        boolean negative() {
            return truth.equals("none");
        }

        /** A negative that shows a car not in the gallery, which may be of a gallery car's model. */
        boolean unknownCar() {
            return negative() && (kind.equals("unknown_car") || kind.equals("real_unknown"));
        }
    }

    record Thresholds(double answer, double vehicle) {}

    /**
     * What {@code crossvalidate} is given (the command line checks them).
     *
     * @param out where the model fitted on everything goes; null: only reported
     * @param dump a CSV of every verified reference's evidence; null: none
     * @param terms the optional terms the model fitted on everything uses: {@code colour}, {@code enlarged}
     * @param compare also report the held-out folds of every combination of the optional terms, with and without
     *     recalibration, side by side (the references are verified once; only the fits differ)
     * @param recalibrate rescale the fitted model so that the best verified reference of each real query is
     *     calibrated (see {@link #recalibrated})
     * @param config the engine the queries are matched with: a gallery profile's features (the model is fitted on
     *     their evidence); its own model decides only whether a still is searched again enlarged, and which pass
     *     is kept
     */
    public record Options(List<Path> galleries, Path queries, Path real, int folds, double maxFp, double maxVehicleFp,
                                  boolean modelAnswers, double maxModelFp, int threads, Path out, Path dump,
                                  Set<String> terms, boolean compare, boolean recalibrate, EngineConfig config) {}

    /** The optional terms and whether the model is recalibrated: one fit of a comparison. */
    private record Variant(Set<String> terms, boolean recalibrate) {
        @Override
        public String toString() {
            return "terms " + terms + (recalibrate ? ", recalibrated" : "");
        }
    }

    /** The optional terms of the model, in {@link ConfidenceModel.Evidence}: the others are always fitted. */
    public static final List<String> OPTIONAL_TERMS = List.of("colour", "enlarged", "lead");

    public static int run(Options options) throws IOException {
        double maxFp = options.maxFp();
        double maxVehicleFp = options.maxVehicleFp();
        int threads = options.threads();
        boolean modelAnswers = options.modelAnswers();
        List<Query> queries = new ArrayList<>();
        List<Calibrator.Sample> samples = new ArrayList<>();
        int runs = 0;
        Path composites = options.queries();
        for (Path gallery : options.galleries()) {
            collect(options.config(), gallery, composites, composites.resolve("truth.csv"), false, runs++, threads,
                    queries, samples);
        }
        Path real = options.real();
        for (Path set : realSets(real)) {
            collect(options.config(), set.resolve("gallery"), set.resolve("queries"),
                    set.resolve("queries/truth.csv"), true, runs++, threads, queries, samples);
        }
        System.err.printf(Locale.ROOT, "%d runs, %d queries, %d verified references%n", runs, queries.size(),
                samples.size());
        if (options.dump() != null) {
            dump(options.dump(), queries, samples);
        }

        List<Variant> variants = new ArrayList<>();
        if (options.compare()) {
            for (boolean recalibrate : new boolean[] {false, true}) {
                variants.add(new Variant(Set.of(), recalibrate));
                variants.add(new Variant(Set.of("colour"), recalibrate));
                variants.add(new Variant(Set.of("enlarged"), recalibrate));
                variants.add(new Variant(Set.of("colour", "enlarged"), recalibrate));
                variants.add(new Variant(Set.of("lead"), recalibrate));
                variants.add(new Variant(Set.of("colour", "lead"), recalibrate));
            }
        }
        Variant chosen = new Variant(options.terms(), options.recalibrate());
        if (!variants.contains(chosen)) {
            variants.add(chosen);
        }
        List<String> summaries = new ArrayList<>();
        for (Variant v : variants) {
            System.err.printf(Locale.ROOT, "== %s%n", v);
            summaries.add(v + ": " + heldOut(queries, masked(samples, v.terms()), runs, options, v.recalibrate()));
        }
        summaries.forEach(System.err::println);

        List<Calibrator.Sample> fitted = masked(samples, options.terms());
        ConfidenceModel all = model(Calibrator.fit(fitted));
        if (options.recalibrate()) {
            all = recalibrated(all, fitted, queries, q -> true);
        }
        Thresholds t = thresholds(all, fitted, queries, runs, maxFp, maxVehicleFp, q -> true, modelAnswers,
                options.maxModelFp());
        System.err.printf(Locale.ROOT, "fitted on everything with %s: answer %.2f, vehicle %.2f; %s%n", options.terms(),
                t.answer(), t.vehicle(), describe(all));
        if (options.out() != null) {
            // The plate model is not refitted here: kept as calibrate fitted it.
            new ConfidenceModel.Fitted(all, t.answer(), t.vehicle(), options.config().textbookRivals())
                    .store(options.out(), PlateModel.defaults(),
                            "fitted by MatchCli crossvalidate on " + composites + " and " + real);
        }
        return 0;
    }

    /** The samples with the optional terms not in {@code terms} set to 0 (a zero column's coefficient stays 0). */
    static List<Calibrator.Sample> masked(List<Calibrator.Sample> samples, Set<String> terms) {
        boolean colour = terms.contains("colour");
        boolean enlarged = terms.contains("enlarged");
        boolean lead = terms.contains("lead");
        return samples.stream().map(s -> {
            ConfidenceModel.Evidence e = s.evidence();
            return new Calibrator.Sample(new ConfidenceModel.Evidence(e.inliers(), e.inlierRatio(), e.spread(),
                    e.rival(), e.cells(), colour ? e.colour() : 0, enlarged && e.enlarged(), lead ? e.lead() : 0),
                    s.correct(), s.query());
        }).toList();
    }

    /** The held-out folds' decisions of models fitted on these samples, reported; returns a one-line summary. */
    private static String heldOut(List<Query> queries, List<Calibrator.Sample> samples, int runs, Options options,
                                  boolean recalibrate) {
        int folds = options.folds();
        double maxFp = options.maxFp();
        double maxVehicleFp = options.maxVehicleFp();
        boolean modelAnswers = options.modelAnswers();
        // Held-out decisions, pooled over the folds
        double[] heldConfidence = new double[queries.size()];
        boolean[] heldCorrect = new boolean[queries.size()];
        boolean[] heldVerified = new boolean[queries.size()];
        Thresholds[] heldThresholds = new Thresholds[queries.size()];
        List<double[]> heldAll = new ArrayList<>(); // every verified reference of a held-out query: confidence, correct
        for (int k = 0; k < folds; k++) {
            int fold = k;
            List<Calibrator.Sample> train = samples.stream().filter(s ->
                    queries.get(s.query()).fold() != fold).toList();
            ConfidenceModel model = model(Calibrator.fit(train));
            if (recalibrate) {
                model = recalibrated(model, train, queries, q -> q.fold() != fold);
            }
            Thresholds t = thresholds(model, train, queries, runs, maxFp, maxVehicleFp, q -> q.fold() != fold,
                    modelAnswers, options.maxModelFp());
            System.err.printf(Locale.ROOT, "fold %d: fitted on %d references; answer %.2f, vehicle %.2f; %s%n", k,
                    train.size(), t.answer(), t.vehicle(), describe(model));
            for (Calibrator.Sample s : samples) {
                Query q = queries.get(s.query());
                if (q.fold() != fold) {
                    continue;
                }
                double c = model.confidence(s.evidence());
                heldAll.add(new double[] {c, s.correct() ? 1 : 0});
                if (!heldVerified[s.query()] || c > heldConfidence[s.query()]) {
                    heldConfidence[s.query()] = c;
                    heldCorrect[s.query()] = s.correct();
                    heldVerified[s.query()] = true;
                }
            }
            for (int q = 0; q < queries.size(); q++) {
                if (queries.get(q).fold() == fold) {
                    heldThresholds[q] = t;
                }
            }
        }
        return report(queries, heldConfidence, heldCorrect, heldVerified, heldThresholds, heldAll);
    }

    /**
     * The real sets under {@code real}, by name ({@code bench/gen-reid.py}'s layout: SET/gallery,
     * SET/queries/truth.csv).
     */
    static List<Path> realSets(Path real) throws IOException {
        try (Stream<Path> list = Files.list(real)) {
            return list.filter(p -> Files.isDirectory(p.resolve("gallery"))).sorted().toList();
        }
    }

    /**
     * The model rescaled so that the best verified reference of each real query {@code use} selects is calibrated:
     * a logistic fit of its correctness on the model's log-odds, {@code z' = a z + b}, folded into the coefficients
     * (every coefficient times {@code a}, {@code b} added to the intercept). The model is fitted on every verified
     * reference, but a query's answer is the best of them, a selected maximum, which the fit over-rates (thirteenth
     * round: the better of two searches more so). The order of the scores, and so the decisions at thresholds chosen
     * on them, stay the same ({@code a > 0}).
     */
    static ConfidenceModel recalibrated(ConfidenceModel model, List<Calibrator.Sample> samples, List<Query> queries,
                                        Predicate<Query> use) {
        double[] best = new double[queries.size()];
        boolean[] correct = new boolean[queries.size()];
        boolean[] verified = new boolean[queries.size()];
        for (Calibrator.Sample s : samples) {
            double c = model.confidence(s.evidence());
            if (!verified[s.query()] || c > best[s.query()]) {
                best[s.query()] = c;
                correct[s.query()] = s.correct();
                verified[s.query()] = true;
            }
        }
        List<double[]> xs = new ArrayList<>();
        List<Boolean> ys = new ArrayList<>();
        for (int q = 0; q < queries.size(); q++) {
            if (verified[q] && queries.get(q).real() && use.test(queries.get(q))) {
                double c = Math.min(1 - 1e-9, Math.max(1e-9, best[q]));
                xs.add(new double[] {Math.log(c / (1 - c))});
                ys.add(correct[q]);
            }
        }
        double[] ab = Calibrator.logistic(xs, ys);
        double a = ab[1];
        double b = ab[0];
        if (!(a > 0)) {
            return model; // a degenerate fit would reverse or flatten the order: keep the model as it is
        }
        return new ConfidenceModel(a * model.intercept() + b, a * model.logInliers(), a * model.inlierRatio(),
                a * model.spread(), a * model.rival(), a * model.logCells(), a * model.ratioLogInliers(),
                a * model.colour(), a * model.enlarged(), a * model.lead());
    }

    /** Every verified reference with its query's run, fold and truth, for analysis outside (one CSV row each). */
    private static void dump(Path file, List<Query> queries, List<Calibrator.Sample> samples) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("query,run,fold,real,negative,correct,inliers,inlierRatio,spread,rival,cells,colour,enlarged,lead");
        for (Calibrator.Sample s : samples) {
            Query q = queries.get(s.query());
            ConfidenceModel.Evidence e = s.evidence();
            lines.add(String.format(Locale.ROOT, "%d,%d,%d,%b,%b,%b,%d,%.5f,%.5f,%.5f,%d,%.5f,%b,%.5f", s.query(),
                    q.run(), q.fold(), q.real(), q.negative(), s.correct(), e.inliers(), e.inlierRatio(), e.spread(),
                    e.rival(), e.cells(), e.colour(), e.enlarged(), e.lead()));
        }
        for (int i = 0; i < queries.size(); i++) {
            Query q = queries.get(i); // queries with nothing verified: one row without evidence
            lines.add(String.format(Locale.ROOT, "%d,%d,%d,%b,%b,,,,,,,,,", i, q.run(), q.fold(), q.real(),
                    q.negative()));
        }
        Files.write(file, lines);
    }

    private static ConfidenceModel model(double[] beta) {
        return ConfidenceModel.of(beta);
    }

    private static String describe(ConfidenceModel m) {
        return String.format(Locale.ROOT,
                "b0 %.3f ln(inliers) %.3f inlierRatio %.3f spread %.3f rival %.3f ln(cells) %.3f "
                + "inlierRatio*ln(inliers) %.3f colour %.3f enlarged %.3f lead %.3f", m.intercept(), m.logInliers(),
                m.inlierRatio(), m.spread(), m.rival(), m.logCells(), m.ratioLogInliers(), m.colour(), m.enlarged(),
                m.lead());
    }

    /** Matches the run's queries and adds every verified reference as a sample. */
    private static void collect(EngineConfig config, Path gallery, Path queryDir, Path truthFile, boolean real,
                                int run, int threads, List<Query> queries, List<Calibrator.Sample> samples)
            throws IOException {
        List<String> lines = Files.readAllLines(truthFile);
        Map<String, String[]> truth = new java.util.HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            truth.put(f[0], f);
        }
        List<Path> files = ImageFolders.images(queryDir).stream()
                .filter(p -> truth.containsKey(ImageFolders.relative(queryDir, p))).toList();
        try (MatchEngine engine = new MatchEngine(config)) {
            engine.measureColour();
            Batch.loadGallery(engine, gallery, threads);
            List<Batch.QueryResult<MatchEngine.Outcome>> outcomes =
                    Batch.matchAll(files, threads, bytes -> engine.evaluate(bytes, false));
            for (int i = 0; i < files.size(); i++) {
                String[] row = truth.get(ImageFolders.relative(queryDir, files.get(i)));
                int fold = real ? Integer.parseInt(row[3]) : -1;
                int index = queries.size();
                queries.add(new Query(row[1], row.length > 2 ? row[2] : "", fold, run, real));
                if (outcomes.get(i).value() == null) {
                    continue;
                }
                for (MatchEngine.Scored s : outcomes.get(i).value().scored()) {
                    samples.add(new Calibrator.Sample(s.evidence(),
                            s.verification().view().label().equals(row[1]), index));
                }
            }
        }
    }

    /**
     * Thresholds chosen on the queries {@code use} selects: see the class comment. A query's answer is its best
     * verified reference (by confidence), correct when its label is the query's.
     *
     * @param modelAnswers whether an unknown car (a negative that shows a car, which may be of a gallery car's model)
     *     may get a model answer: then only the negatives without a gallery-like car (scenes, dashcam frames) and the
     *     wrong labels bound the answer threshold, and the unknown cars bound the vehicle threshold alone
     * @param maxModelFp with {@code modelAnswers}, the share of the composites' unknown cars on each gallery that may
     *     get any answer (1: no bound): a model answer to an unknown car is right when it is of the gallery car's
     *     model, but the composites do not say which are
     */
    static Thresholds thresholds(ConfidenceModel model, List<Calibrator.Sample> samples, List<Query> queries, int runs,
                                 double maxFp, double maxVehicleFp, Predicate<Query> use, boolean modelAnswers,
                                 double maxModelFp) {
        double[] best = new double[queries.size()];
        boolean[] correct = new boolean[queries.size()];
        for (Calibrator.Sample s : samples) {
            double c = model.confidence(s.evidence());
            if (c > best[s.query()]) {
                best[s.query()] = c;
                correct[s.query()] = s.correct();
            }
        }
        Predicate<Query> composite = use.and(q -> !q.real());
        Predicate<Query> real = use.and(Query::real);
        double answer = 0.99;
        int answerHits = -1;
        for (int step = 99; step >= 5; step--) {
            double t = step / 100.0;
            Rates c = rates(queries, best, correct, t, modelAnswers ? composite.and(q -> !q.unknownCar())
                    : composite, runs);
            Rates r = rates(queries, best, correct, t, real, runs);
            Rates cars = rates(queries, best, correct, t, composite.and(Query::unknownCar), runs);
            boolean within = c.worstFp() <= maxFp && c.worstWrong() <= maxFp
                    && (!modelAnswers || r.pooledWrong() <= maxVehicleFp && cars.worstFp() <= maxModelFp);
            if (within && c.hits() + r.hits() > answerHits) {
                answerHits = c.hits() + r.hits();
                answer = t;
            }
        }
        double vehicle = 0.99;
        for (int step = 99; step >= (int) Math.round(answer * 100); step--) {
            double t = step / 100.0;
            Rates c = rates(queries, best, correct, t, composite, runs);
            Rates r = rates(queries, best, correct, t, real, runs);
            if (c.worstFp() > maxFp || r.pooledFp() > maxVehicleFp) {
                break;
            }
            vehicle = t;
        }
        return new Thresholds(answer, Math.max(answer, vehicle));
    }

    record Rates(int hits, double worstFp, double worstWrong, double pooledFp, double pooledWrong) {}

    /** Among the queries {@code which} selects: hits, the worst run's and the pooled FP and wrong-label rates. */
    private static Rates rates(List<Query> queries, double[] best, boolean[] correct, double t, Predicate<Query> which,
                               int runs) {
        int[] negatives = new int[runs];
        int[] fps = new int[runs];
        int[] positives = new int[runs];
        int[] wrong = new int[runs];
        int hits = 0;
        for (int q = 0; q < queries.size(); q++) {
            Query query = queries.get(q);
            if (!which.test(query)) {
                continue;
            }
            boolean answered = best[q] >= t;
            if (query.negative()) {
                negatives[query.run()]++;
                fps[query.run()] += answered ? 1 : 0;
            } else {
                positives[query.run()]++;
                if (answered && correct[q]) {
                    hits++;
                } else if (answered) {
                    wrong[query.run()]++;
                }
            }
        }
        double worstFp = 0;
        double worstWrong = 0;
        int allNegatives = 0;
        int allFps = 0;
        int allPositives = 0;
        int allWrong = 0;
        for (int r = 0; r < runs; r++) {
            worstFp = Math.max(worstFp, negatives[r] == 0 ? 0 : fps[r] / (double) negatives[r]);
            worstWrong = Math.max(worstWrong, positives[r] == 0 ? 0 : wrong[r] / (double) positives[r]);
            allNegatives += negatives[r];
            allFps += fps[r];
            allPositives += positives[r];
            allWrong += wrong[r];
        }
        return new Rates(hits, worstFp, worstWrong, allNegatives == 0 ? 0 : allFps / (double) allNegatives,
                allPositives == 0 ? 0 : allWrong / (double) allPositives);
    }

    private static String report(List<Query> queries, double[] confidence, boolean[] correct, boolean[] verified,
                               Thresholds[] thresholds, List<double[]> all) {
        int positives = 0;
        int identified = 0;
        int identifiedVehicle = 0;
        int wrong = 0;
        int negatives = 0;
        int vehicleFp = 0;
        int modelFp = 0;
        int bestRight = 0;
        List<double[]> top = new ArrayList<>();
        for (int q = 0; q < queries.size(); q++) {
            Query query = queries.get(q);
            if (!query.real()) {
                continue;
            }
            Thresholds t = thresholds[q];
            boolean answered = verified[q] && confidence[q] >= t.answer();
            boolean vehicle = verified[q] && confidence[q] >= t.vehicle();
            if (verified[q]) {
                top.add(new double[] {confidence[q], correct[q] ? 1 : 0});
            }
            if (query.negative()) {
                negatives++;
                vehicleFp += vehicle ? 1 : 0;
                modelFp += answered && !vehicle ? 1 : 0;
            } else {
                positives++;
                bestRight += verified[q] && correct[q] ? 1 : 0;
                if (answered && correct[q]) {
                    identified++;
                    identifiedVehicle += vehicle ? 1 : 0;
                } else if (answered) {
                    wrong++;
                }
            }
        }
        System.err.printf(Locale.ROOT, "held-out real queries: %d positives, %d negatives%n", positives, negatives);
        System.err.printf(Locale.ROOT, "  positives identified (any answer): %d = %.1f %% (as vehicle: %d = %.1f %%), "
                + "wrong label %d%n", identified, 100.0 * identified / positives, identifiedVehicle,
                100.0 * identifiedVehicle / positives, wrong);
        System.err.printf(Locale.ROOT,
                "  negatives given a vehicle answer: %d = %.1f %%; a model answer: %d = %.1f %%%n",
                vehicleFp, 100.0 * vehicleFp / negatives, modelFp, 100.0 * modelFp / negatives);
        double eceTop = reliability("best verified reference per held-out real query", top);
        double eceAll = reliability("every verified reference of the held-out real queries", all);
        return String.format(Locale.ROOT, "identified %d/%d = %.1f %% (vehicle %d), wrong %d; unknown given vehicle %d"
                + " = %.1f %%, model %d; right reference best-scored %d; ECE best %.3f, every %.3f", identified,
                positives, 100.0 * identified / positives, identifiedVehicle, wrong, vehicleFp,
                100.0 * vehicleFp / negatives, modelFp, bestRight, eceTop, eceAll);
    }

    /** Reliability table in 10 bins and the expected calibration error (bin-weighted |confidence - accuracy|). */
    static double reliability(String what, List<double[]> scored) {
        int[] n = new int[BINS];
        double[] sum = new double[BINS];
        int[] right = new int[BINS];
        for (double[] s : scored) {
            int b = Math.min(BINS - 1, (int) (s[0] * BINS));
            n[b]++;
            sum[b] += s[0];
            right[b] += (int) s[1];
        }
        double ece = 0;
        System.err.printf(Locale.ROOT, "reliability, %s (%d):%n  bin        n  mean-conf  observed%n", what,
                scored.size());
        for (int b = 0; b < BINS; b++) {
            if (n[b] == 0) {
                continue;
            }
            double mean = sum[b] / n[b];
            double observed = right[b] / (double) n[b];
            ece += n[b] * Math.abs(mean - observed);
            System.err.printf(Locale.ROOT, "  %.1f-%.1f %5d  %.3f      %.3f%n", b / (double) BINS,
                    (b + 1) / (double) BINS, n[b], mean, observed);
        }
        ece /= Math.max(1, scored.size());
        System.err.printf(Locale.ROOT, "  expected calibration error %.3f%n", ece);
        return ece;
    }
}
