package dev.reelcars.identify.matcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code calibrate}: runs the default matcher over a labelled calibration split, fits the logistic
 * {@link ConfidenceModel} on every verified reference (positive when its label is the query's true label), then picks
 * the acceptance threshold: the one with the most correct identifications among those whose false-positive rate
 * (negatives given a label, or positives given the wrong one) stays within {@code --max-fp}.
 *
 * <p>{@code --gallery} may list several galleries (comma-separated, e.g. 100 and 1,000 views): the split is matched
 * against each, the model is fitted on all the evidence, and the threshold must keep the false-positive rate within
 * the limit on every gallery. Evidence shifts with the gallery size (a small gallery has fewer rival labels to
 * compare with), and one threshold has to serve a gallery from its first reference to its ten-thousandth.
 */
public final class Calibrator {
    private static final double RIDGE = 0.1;

    private Calibrator() {}

    record Sample(ConfidenceModel.Evidence evidence, boolean correct, int query) {
        double[] x() {
            return evidence.features();
        }
    }

    /**
     * What {@code calibrate} is given (the command line checks them).
     *
     * @param truth the split's truth file; null: {@code truth.csv} in the queries folder
     * @param out where the fitted model goes; null: only reported
     */
    public record Options(List<Path> galleries, Path queries, Path truth, double maxFp, int threads, Path out) {}

    public static int run(Options options) throws IOException {
        List<Path> galleries = options.galleries();
        Path queries = options.queries();
        Path truthFile = options.truth() != null ? options.truth() : queries.resolve("truth.csv");
        double maxFp = options.maxFp();
        Map<String, String> truth = readTruth(truthFile);
        List<Path> files = ImageFolders.images(queries).stream()
                .filter(p -> truth.containsKey(ImageFolders.relative(queries, p))).toList();
        List<String> splitLabels = files.stream().map(p -> truth.get(ImageFolders.relative(queries, p))).toList();

        // Query q of gallery g is number g * files + q: each gallery's run counts as its own group of queries.
        List<Sample> samples = new ArrayList<>();
        List<PlateCalibrator.PlateSample> plateSamples = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Path gallery : galleries) {
            int offset = labels.size();
            labels.addAll(splitLabels);
            try (MatchEngine engine = new MatchEngine(EngineConfig.defaults())) {
                Batch.loadGallery(engine, gallery, options.threads());
                List<Batch.QueryResult<MatchEngine.Outcome>> outcomes =
                        Batch.matchAll(files, options.threads(), bytes -> engine.evaluate(bytes, true));
                for (int q = 0; q < files.size(); q++) {
                    if (outcomes.get(q).value() == null) {
                        continue;
                    }
                    for (MatchEngine.Scored s : outcomes.get(q).value().scored()) {
                        samples.add(new Sample(s.evidence(), s.verification().view().label().equals(splitLabels.get(q)),
                                offset + q));
                    }
                    for (MatchEngine.PlateScored p : outcomes.get(q).value().plates()) {
                        String label = p.match().view().label();
                        plateSamples.add(new PlateCalibrator.PlateSample(p.match().comparison().mean(),
                                p.match().comparison().min(), label.equals(splitLabels.get(q)), offset + q, label));
                    }
                }
            }
        }
        // The optional terms (colour, enlarged pass, lead) are crossvalidate's to fit; the model written here has none.
        samples = CrossValidation.masked(samples, Set.of());
        double[] beta = fit(samples);
        ConfidenceModel model = ConfidenceModel.of(beta);
        double threshold = chooseThreshold(model, samples, labels, files.size(), maxFp);
        System.err.printf(Locale.ROOT,
                "model: intercept=%.4f logInliers=%.4f inlierRatio=%.4f spread=%.4f rival=%.4f logCells=%.4f "
                + "ratioLogInliers=%.4f%n", beta[0], beta[1], beta[2], beta[3], beta[4], beta[5], beta[6]);
        System.err.printf(Locale.ROOT, "threshold: %.3f (max false-positive rate %.3f)%n", threshold, maxFp);
        reliability(model, samples);
        PlateModel plates = PlateCalibrator.calibrate(model, threshold, samples, plateSamples, labels, files.size(),
                maxFp);
        if (options.out() != null) {
            // One threshold: calibrate has no real pairs to choose a vehicle threshold on.
            new ConfidenceModel.Fitted(model, threshold, threshold, 0).store(options.out(), plates,
                    "fitted by MatchCli calibrate on " + queries + " against " + galleries);
        }
        return 0;
    }

    static Map<String, String> readTruth(Path file) throws IOException {
        Map<String, String> truth = new HashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (f.length >= 2) {
                truth.put(f[0], f[1]);
            }
        }
        return truth;
    }

    /** Ridge-regularised logistic regression by Newton's method (7 parameters). */
    static double[] fit(List<Sample> samples) {
        return logistic(samples.stream().map(Sample::x).toList(), samples.stream().map(Sample::correct).toList());
    }

    /** Ridge-regularised logistic regression by Newton's method: an intercept and one coefficient per feature. */
    static double[] logistic(List<double[]> xs, List<Boolean> ys) {
        int d = xs.isEmpty() ? 1 : xs.get(0).length + 1;
        double[] beta = new double[d];
        for (int iteration = 0; iteration < 50; iteration++) {
            double[] gradient = new double[d];
            double[][] hessian = new double[d][d];
            for (int k = 0; k < xs.size(); k++) {
                double[] x = withBias(xs.get(k));
                double z = 0;
                for (int i = 0; i < d; i++) {
                    z += beta[i] * x[i];
                }
                double p = 1 / (1 + Math.exp(-z));
                double y = ys.get(k) ? 1 : 0;
                for (int i = 0; i < d; i++) {
                    gradient[i] += (y - p) * x[i];
                    for (int j = 0; j < d; j++) {
                        hessian[i][j] += p * (1 - p) * x[i] * x[j];
                    }
                }
            }
            for (int i = 0; i < d; i++) {
                gradient[i] -= RIDGE * beta[i];
                hessian[i][i] += RIDGE;
            }
            double[] step = solve(hessian, gradient);
            double change = 0;
            for (int i = 0; i < d; i++) {
                beta[i] += step[i];
                change += Math.abs(step[i]);
            }
            if (change < 1e-8) {
                break;
            }
        }
        return beta;
    }

    private static double[] withBias(double[] x) {
        double[] withBias = new double[x.length + 1];
        withBias[0] = 1;
        System.arraycopy(x, 0, withBias, 1, x.length);
        return withBias;
    }

    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            for (int r = 0; r < n; r++) {
                if (r != col && m[col][col] != 0) {
                    double f = m[r][col] / m[col][col];
                    for (int c = col; c <= n; c++) {
                        m[r][c] -= f * m[col][c];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = m[i][i] == 0 ? 0 : m[i][n] / m[i][i];
        }
        return x;
    }

    /** @param groupSize queries per gallery run: the false-positive limit holds in each group */
    static double chooseThreshold(ConfidenceModel model, List<Sample> samples, List<String> labels,
                                                                                int groupSize, double maxFp) {
        Best best = Best.of(model, samples, labels.size());
        double[] bestConfidence = best.confidence();
        boolean[] bestCorrect = best.correct();
        double chosen = 0.99;
        int bestHits = -1;
        System.err.println("threshold  accuracy(pos)  worst fp(neg)  worst wrong-label(pos)   (worst over galleries)");
        for (int step = 99; step >= 5; step--) {
            double t = step / 100.0;
            Tally tally = Tally.of(labels, groupSize, q -> bestConfidence[q] >= t, q -> bestCorrect[q]);
            if (step % 5 == 0) {
                System.err.printf(Locale.ROOT, "  %.2f      %.3f          %.3f          %.3f%n", t, tally.identified(),
                        tally.worstFp(), tally.worstWrong());
            }
            if (tally.worstFp() <= maxFp && tally.worstWrong() <= maxFp && tally.hits() > bestHits) {
                bestHits = tally.hits();
                chosen = t;
            }
        }
        return chosen;
    }

    /** Per query: the confidence of its best verified reference under the model, and whether that one is right. */
    record Best(double[] confidence, boolean[] correct) {
        static Best of(ConfidenceModel model, List<Sample> samples, int queries) {
            double[] confidence = new double[queries];
            boolean[] correct = new boolean[queries];
            for (Sample s : samples) {
                double c = model.confidence(s.evidence());
                if (c > confidence[s.query()]) {
                    confidence[s.query()] = c;
                    correct[s.query()] = s.correct();
                }
            }
            return new Best(confidence, correct);
        }
    }

    /**
     * What a set of per-query decisions gives on a calibration split of several galleries (query q of gallery g is
     * number g × groupSize + q): correct identifications over all galleries, and the worst gallery's false-positive
     * rate (negatives given a label) and wrong-label rate (positives given another label).
     */
    record Tally(int hits, int positives, double worstFp, double worstWrong) {
        double identified() {
            return positives == 0 ? 0 : hits / (double) positives;
        }

        static Tally of(List<String> labels, int groupSize, java.util.function.IntPredicate answered,
                        java.util.function.IntPredicate correct) {
            int hits = 0;
            int positives = 0;
            double worstFp = 0;
            double worstWrong = 0;
            for (int g = 0; g < labels.size() / groupSize; g++) {
                int falsePositives = 0;
                int wrong = 0;
                int negatives = 0;
                int groupPositives = 0;
                for (int q = g * groupSize; q < (g + 1) * groupSize; q++) {
                    boolean negative = labels.get(q).equals("none");
                    negatives += negative ? 1 : 0;
                    groupPositives += negative ? 0 : 1;
                    if (!answered.test(q)) {
                        continue;
                    }
                    if (negative) {
                        falsePositives++;
                    } else if (correct.test(q)) {
                        hits++;
                    } else {
                        wrong++;
                    }
                }
                positives += groupPositives;
                worstFp = Math.max(worstFp, negatives == 0 ? 0 : falsePositives / (double) negatives);
                worstWrong = Math.max(worstWrong, groupPositives == 0 ? 0 : wrong / (double) groupPositives);
            }
            return new Tally(hits, positives, worstFp, worstWrong);
        }
    }

    private static void reliability(ConfidenceModel model, List<Sample> samples) {
        int bins = 5;
        int[] n = new int[bins];
        int[] correct = new int[bins];
        double[] sum = new double[bins];
        for (Sample s : samples) {
            double c = model.confidence(s.evidence());
            int b = Math.min(bins - 1, (int) (c * bins));
            n[b]++;
            sum[b] += c;
            correct[b] += s.correct() ? 1 : 0;
        }
        System.err.println("reliability (verified references): bin  n  mean-confidence  observed-correct");
        for (int b = 0; b < bins; b++) {
            System.err.printf(Locale.ROOT, "  %.1f-%.1f  %5d  %.3f  %.3f%n", b / (double) bins, (b + 1) / (double) bins,
                    n[b], n[b] == 0 ? 0 : sum[b] / n[b], n[b] == 0 ? 0 : correct[b] / (double) n[b]);
        }
    }
}
