import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores a results.csv of {@code identify match} against a truth.csv of bench/gen-queries
 * ({@code query,label,kind}; label {@code none} = negative). Queries absent from the truth file are ignored,
 * which is how a truth-N.csv restricts the scoring to the labels present in gallery-N.
 * Usage: java bench/match-score.java results.csv truth.csv [name]
 * Prints one summary line (machine-readable key=value) and a per-kind breakdown.
 */
public class MatchScore {
  public static void main(String[] args) throws Exception {
    Map<String, String[]> results = new HashMap<>();
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      results.put(f[0], f);
    }
    String name = args.length > 2 ? args[2] : args[0];
    Map<String, int[]> perKind = new TreeMap<>(); // kind -> {n, correct, wrongLabel}
    int positives = 0, correct = 0, wrong = 0, negatives = 0, falsePositives = 0, missing = 0;
    double[] seconds = new double[results.size()];
    int s = 0;
    List<String> truth = Files.readAllLines(Path.of(args[1]));
    for (String line : truth.subList(1, truth.size())) {
      String[] t = line.split(",");
      String[] r = results.get(t[0]);
      if (r == null) {
        missing++;
        continue;
      }
      seconds[s++] = Double.parseDouble(r[3]);
      String predicted = r[1];
      int[] k = perKind.computeIfAbsent(t[2], x -> new int[3]);
      k[0]++;
      if (t[1].equals("none")) {
        negatives++;
        if (!predicted.equals("none")) {
          falsePositives++;
          k[2]++;
        } else {
          k[1]++;
        }
      } else {
        positives++;
        if (predicted.equals(t[1])) {
          correct++;
          k[1]++;
        } else if (!predicted.equals("none")) {
          wrong++;
          k[2]++;
        }
      }
    }
    double[] ms = Arrays.stream(Arrays.copyOf(seconds, s)).map(x -> x * 1000).sorted().toArray();
    System.out.printf(Locale.ROOT,
        "%s: accuracy=%.3f (%d/%d) wrong_label=%d fp_rate=%.4f (%d/%d) p50_ms=%.1f p95_ms=%.1f scored=%d missing=%d%n",
        name, positives == 0 ? 0 : correct / (double) positives, correct, positives, wrong,
        negatives == 0 ? 0 : falsePositives / (double) negatives, falsePositives, negatives,
        pct(ms, 50), pct(ms, 95), s, missing);
    for (var e : perKind.entrySet()) {
      int[] k = e.getValue();
      System.out.printf(Locale.ROOT, "    %-12s n=%-4d right=%-4d wrong=%d%n", e.getKey(), k[0], k[1], k[2]);
    }
  }

  static double pct(double[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }
}
