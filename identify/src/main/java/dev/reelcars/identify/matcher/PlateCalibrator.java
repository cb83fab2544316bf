package dev.reelcars.identify.matcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

/**
 * The plate half of {@code calibrate}: fits {@link PlateModel} on every plate comparison of the calibration split
 * (positive when the reference's label is the query's), then chooses its threshold on the decisions the engine
 * makes: a query the features identify keeps that answer, any other takes the best plate at or above the threshold
 * unless a plate of another label passes too. The threshold is the one with the most correct identifications while
 * false positives and wrong labels, features' and plates' together, stay within the limit on each gallery.
 */
final class PlateCalibrator {
    private PlateCalibrator() {}

    /** One plate comparison of a calibration query (numbered as in {@link Calibrator.Sample#query}). */
    record PlateSample(double mean, double min, boolean correct, int query, String label) {}

    static PlateModel calibrate(ConfidenceModel features, double featureThreshold,
            List<Calibrator.Sample> featureSamples,
                                List<PlateSample> plates, List<String> labels, int groupSize, double maxFp) {
        List<double[]> xs = new ArrayList<>();
        List<Boolean> ys = new ArrayList<>();
        for (PlateSample p : plates) {
            xs.add(new double[] {p.mean(), p.min()});
            ys.add(p.correct());
        }
        long positives = plates.stream().filter(PlateSample::correct).count();
        System.err.printf(Locale.ROOT, "plate comparisons: %d (%d of the query's own vehicle)%n", plates.size(),
                positives);
        double[] beta = positives == 0 ? new double[] {-50, 0, 0} : Calibrator.logistic(xs, ys);
        PlateModel fitted = new PlateModel(beta[0], beta[1], beta[2], 1.0);
        double threshold = chooseThreshold(fitted, features, featureThreshold, featureSamples, plates,
                labels, groupSize, maxFp);
        System.err.printf(Locale.ROOT, "plate model: intercept=%.4f mean=%.4f min=%.4f threshold=%.3f%n", beta[0],
                beta[1], beta[2], threshold);
        return new PlateModel(beta[0], beta[1], beta[2], threshold);
    }

    static double chooseThreshold(PlateModel model, ConfidenceModel features, double featureThreshold,
                                  List<Calibrator.Sample> featureSamples, List<PlateSample> plates, List<String> labels,
                                  int groupSize, double maxFp) {
        int queries = labels.size();
        Calibrator.Best featureDecisions = Calibrator.Best.of(features, featureSamples, queries);
        double[] featureBest = featureDecisions.confidence();
        boolean[] featureCorrect = featureDecisions.correct();
        // Only comparisons with every character alike can pass (PlateModel.everyCharacterAlike), whatever the
        // threshold.
        double[] plateBest = new double[queries];
        String[] plateLabel = new String[queries];
        boolean[] plateCorrect = new boolean[queries];
        for (PlateSample p : plates) {
            double c = PlateModel.everyCharacterAlike(p.min()) ? model.confidence(p.mean(), p.min()) : 0;
            if (c > plateBest[p.query()]) {
                plateBest[p.query()] = c;
                plateLabel[p.query()] = p.label();
                plateCorrect[p.query()] = p.correct();
            }
        }
        double[] plateRival = new double[queries]; // best plate of another label than the best plate's
        for (PlateSample p : plates) {
            if (!p.label().equals(plateLabel[p.query()]) && PlateModel.everyCharacterAlike(p.min())) {
                plateRival[p.query()] = Math.max(plateRival[p.query()], model.confidence(p.mean(), p.min()));
            }
        }
        double chosen = 1.0;
        int bestHits = -1;
        System.err.println("plate threshold  identified(pos)  by plate  worst fp(neg)  worst wrong-label(pos)");
        for (int step = 100; step >= 5; step--) {
            double t = step / 100.0;
            IntPredicate byFeatures = q -> featureBest[q] >= featureThreshold;
            IntPredicate byPlate = q -> !byFeatures.test(q) && plateBest[q] >= t && plateRival[q] < t;
            Calibrator.Tally tally = Calibrator.Tally.of(labels, groupSize, q -> byFeatures.test(q) || byPlate.test(q),
                    q -> byFeatures.test(q) ? featureCorrect[q] : plateCorrect[q]);
            if (step % 5 == 0) {
                long plateHits = java.util.stream.IntStream.range(0, queries)
                        .filter(q -> byPlate.test(q) && !labels.get(q).equals("none") && plateCorrect[q]).count();
                System.err.printf(Locale.ROOT, "  %.2f             %.3f            %4d      %.3f          %.3f%n", t,
                        tally.identified(), plateHits, tally.worstFp(), tally.worstWrong());
            }
            if (tally.worstFp() <= maxFp && tally.worstWrong() <= maxFp && tally.hits() > bestHits) {
                bestHits = tally.hits();
                chosen = t;
            }
        }
        return chosen;
    }
}
