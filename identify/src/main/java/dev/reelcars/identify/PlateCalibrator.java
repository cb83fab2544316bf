package dev.reelcars.identify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

  static PlateModel calibrate(ConfidenceModel features, double featureThreshold, List<Calibrator.Sample> featureSamples,
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
    double threshold = chooseThreshold(fitted, features, featureThreshold, featureSamples, plates, labels, groupSize,
        maxFp);
    System.err.printf(Locale.ROOT, "plate model: intercept=%.4f mean=%.4f min=%.4f threshold=%.3f%n", beta[0],
        beta[1], beta[2], threshold);
    return new PlateModel(beta[0], beta[1], beta[2], threshold);
  }

  static double chooseThreshold(PlateModel model, ConfidenceModel features, double featureThreshold,
                                List<Calibrator.Sample> featureSamples, List<PlateSample> plates, List<String> labels,
                                int groupSize, double maxFp) {
    int queries = labels.size();
    double[] featureBest = new double[queries];
    boolean[] featureCorrect = new boolean[queries];
    for (Calibrator.Sample s : featureSamples) {
      double c = features.confidence(s.evidence());
      if (c > featureBest[s.query()]) {
        featureBest[s.query()] = c;
        featureCorrect[s.query()] = s.correct();
      }
    }
    // Only comparisons with every character alike can pass (PlateModel.MIN_GLYPH), whatever the threshold.
    double[] plateBest = new double[queries];
    String[] plateLabel = new String[queries];
    boolean[] plateCorrect = new boolean[queries];
    for (PlateSample p : plates) {
      double c = p.min() >= PlateModel.MIN_GLYPH ? model.confidence(p.mean(), p.min()) : 0;
      if (c > plateBest[p.query()]) {
        plateBest[p.query()] = c;
        plateLabel[p.query()] = p.label();
        plateCorrect[p.query()] = p.correct();
      }
    }
    double[] plateRival = new double[queries]; // best plate of another label than the best plate's
    for (PlateSample p : plates) {
      if (!p.label().equals(plateLabel[p.query()]) && p.min() >= PlateModel.MIN_GLYPH) {
        plateRival[p.query()] = Math.max(plateRival[p.query()], model.confidence(p.mean(), p.min()));
      }
    }
    int groups = queries / groupSize;
    double chosen = 1.0;
    int bestHits = -1;
    System.err.println("plate threshold  identified(pos)  by plate  worst fp(neg)  worst wrong-label(pos)");
    for (int step = 100; step >= 5; step--) {
      double t = step / 100.0;
      int hits = 0;
      int byPlate = 0;
      int positives = 0;
      double worstFp = 0;
      double worstWrong = 0;
      for (int g = 0; g < groups; g++) {
        int falsePositives = 0;
        int wrong = 0;
        int negatives = 0;
        int groupPositives = 0;
        for (int q = g * groupSize; q < (g + 1) * groupSize; q++) {
          boolean negative = labels.get(q).equals("none");
          negatives += negative ? 1 : 0;
          groupPositives += negative ? 0 : 1;
          boolean answered;
          boolean correct;
          boolean plate = false;
          if (featureBest[q] >= featureThreshold) {
            answered = true;
            correct = featureCorrect[q];
          } else {
            answered = plateBest[q] >= t && plateRival[q] < t;
            correct = plateCorrect[q];
            plate = answered;
          }
          if (!answered) {
            continue;
          }
          if (negative) {
            falsePositives++;
          } else if (correct) {
            hits++;
            byPlate += plate ? 1 : 0;
          } else {
            wrong++;
          }
        }
        positives += groupPositives;
        worstFp = Math.max(worstFp, negatives == 0 ? 0 : falsePositives / (double) negatives);
        worstWrong = Math.max(worstWrong, groupPositives == 0 ? 0 : wrong / (double) groupPositives);
      }
      if (step % 5 == 0) {
        System.err.printf(Locale.ROOT, "  %.2f             %.3f            %4d      %.3f          %.3f%n", t,
            positives == 0 ? 0 : hits / (double) positives, byPlate, worstFp, worstWrong);
      }
      if (worstFp <= maxFp && worstWrong <= maxFp && hits > bestHits) {
        bestHits = hits;
        chosen = t;
      }
    }
    return chosen;
  }
}
