import dev.reelcars.identify.matcher.EngineConfig;
import dev.reelcars.identify.matcher.MatchEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Native-memory soak of the matching engine (issue 3: "no growth over time, release Mats"). Loads a gallery, then
 * matches stills from a folder round-robin, removing and re-adding one reference every 200 stills, and prints the
 * process RSS (VmRSS) and used and committed heap every 400 stills. A leaked Mat per still would add megabytes per
 * hundred stills; a flat RSS after warm-up means every native buffer is released.
 *
 * <pre>
 * java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp identify/target/identify.jar bench/MatcherSoak.java \
 *     bench/out/gallery-100 bench/out/queries 6000
 * </pre>
 */
public class MatcherSoak {
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: MatcherSoak GALLERY QUERIES STILLS");
      System.exit(2);
    }
    Path gallery = Path.of(args[0]);
    List<Path> references = images(gallery);
    List<byte[]> stills = new ArrayList<>();
    for (Path p : images(Path.of(args[1]))) {
      if (stills.size() < 200) {
        stills.add(Files.readAllBytes(p));
      }
    }
    int total = Integer.parseInt(args[2]);
    try (MatchEngine engine = new MatchEngine(EngineConfig.defaults())) {
      for (Path ref : references) {
        engine.addReference(gallery.relativize(ref).toString(), label(gallery, ref), Files.readAllBytes(ref));
      }
      report(0, engine);
      for (int i = 1; i <= total; i++) {
        engine.match(stills.get(i % stills.size()));
        if (i % 200 == 0) {
          Path ref = references.get(i / 200 % references.size());
          String id = gallery.relativize(ref).toString();
          engine.removeReference(id);
          engine.addReference(id, label(gallery, ref), Files.readAllBytes(ref));
        }
        if (i % 400 == 0) {
          report(i, engine);
        }
      }
    }
  }

  private static List<Path> images(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png)$")).sorted().toList();
    }
  }

  private static String label(Path gallery, Path ref) {
    Path relative = gallery.relativize(ref);
    return relative.getNameCount() > 1 ? relative.getName(0).toString()
        : relative.getFileName().toString().replaceFirst("\\.[^.]+$", "");
  }

  private static void report(int stills, MatchEngine engine) throws IOException {
    long rssKb = Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst()
        .orElse(-1);
    Runtime rt = Runtime.getRuntime();
    // RSS includes the heap pages the JVM has touched so far, which grow for a while after start; run with
    // -Xms equal to -Xmx and -XX:+AlwaysPreTouch to have them all touched before the first still.
    System.out.printf(Locale.ROOT, "stills %5d  references %d  RSS %d MiB  heap used %d MiB  committed %d MiB%n",
        stills, engine.size(), rssKb / 1024, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.totalMemory() >> 20);
  }
}
