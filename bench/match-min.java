import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Merges repeated runs of {@code identify match} on the same gallery and queries into one results.csv whose
 * {@code seconds} is each still's fastest time over the runs. On a shared machine a still is slowed by whatever else
 * runs at that moment, in bursts of tens of seconds; the fastest of a few runs is the matcher's own cost. Every run
 * must give the same label and score for every still (the matcher is deterministic), or this fails.
 * Usage: java bench/match-min.java out.csv run1.csv run2.csv [...]
 */
public class MatchMin {
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      throw new IllegalArgumentException("usage: java bench/match-min.java out.csv run1.csv run2.csv [...]");
    }
    Map<String, String[]> merged = new LinkedHashMap<>();
    String header = null;
    for (int i = 1; i < args.length; i++) {
      List<String> lines = Files.readAllLines(Path.of(args[i]));
      header = lines.get(0);
      if (i > 1 && lines.size() - 1 != merged.size()) {
        throw new IllegalStateException(args[i] + " has " + (lines.size() - 1) + " rows, " + args[1] + " "
            + merged.size());
      }
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",");
        String[] seen = merged.get(f[0]);
        if (seen == null) {
          if (i > 1) {
            throw new IllegalStateException(args[i] + ": " + f[0] + " is not in " + args[1]);
          }
          merged.put(f[0], f);
        } else if (!seen[1].equals(f[1]) || !seen[2].equals(f[2])) {
          throw new IllegalStateException("runs disagree on " + f[0] + ": " + seen[1] + " " + seen[2] + " vs "
              + f[1] + " " + f[2] + " (" + args[i] + ")");
        } else if (Double.parseDouble(f[3]) < Double.parseDouble(seen[3])) {
          seen[3] = f[3];
        }
      }
    }
    List<String> out = new ArrayList<>();
    out.add(header);
    for (String[] f : merged.values()) {
      out.add(String.join(",", f));
    }
    Files.write(Path.of(args[0]), out);
    System.out.printf(Locale.ROOT, "%d stills, fastest of %d runs each -> %s%n", merged.size(), args.length - 1,
        args[0]);
  }
}
