import dev.reelcars.events.Candidate;
import dev.reelcars.events.Event;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.Identification;
import dev.reelcars.events.Point;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.events.StillSubmitted;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How long a rebuild spends turning records into events: {@code EventCodec.decode} (one pass straight into the
 * record, the explaining tree pass only for a record that fails) side by side with the tree-then-record decode it
 * replaced (issue 17's rebuild), on the catalogue bench's shapes of identifications and decisions. Alternating rounds
 * in one run, thread CPU time, so the neighbours' load does not decide it.
 *
 * mvn -B -q -o -pl events -am verify -DskipTests
 * mvn -B -q -o -pl events dependency:build-classpath -Dmdep.outputFile=/tmp/events-cp.txt
 * java -cp "events/target/classes:$(cat /tmp/events-cp.txt)" bench/EventDecodeBench.java [records=20000] [rounds=7]
 */
public class EventDecodeBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        List<byte[]> identifications = new ArrayList<>();
        List<byte[]> decisions = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            String key = String.format("%064x", s);
            StillSubmitted still = new StillSubmitted(1, "s" + s, key, "image/jpeg", 1280, 720, "Night Road " + s,
                    1968, "00:41:07", s % 3 == 0 ? "parked by the river" : null, "zoe", null, null, at);
            double w = 100 + s % 800;
            Candidate c = new Candidate("r" + s, "Ford Model " + s, key, 0.9, 40, List.of(new Point(10, 10),
                    new Point(10 + w, 10), new Point(10 + w, 10 + w * 0.6), new Point(10, 10 + w * 0.6)), List.of());
            identifications.add(EventCodec.encode(new Identification(1, "s" + s, still, List.of(c), List.of(), 10000,
                    40_000, "bench", at)));
            for (String reviewer : List.of("alice", "bob")) {
                decisions.add(EventCodec.encode(new ReviewDecision(1, "d-" + s + reviewer, "s" + s,
                        ReviewDecision.Verdict.CONFIRM, "Ford Model " + s, "r" + s, reviewer, at)));
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long bestTree = Long.MAX_VALUE;
        long bestDirect = Long.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            long t0 = threads.getCurrentThreadCpuTime();
            int a = tree(identifications, Identification.class) + tree(decisions, ReviewDecision.class);
            long t1 = threads.getCurrentThreadCpuTime();
            int b = direct(identifications, Identification.class) + direct(decisions, ReviewDecision.class);
            long t2 = threads.getCurrentThreadCpuTime();
            if (a != b) {
                throw new AssertionError("the two decodes disagree");
            }
            bestTree = Math.min(bestTree, t1 - t0);
            bestDirect = Math.min(bestDirect, t2 - t1);
            System.out.printf("round %d: tree %.0f ms, direct %.0f ms%n", round + 1, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        }
        System.out.printf("%,d identifications + %,d decisions, best of %d, thread CPU: tree-then-record %.0f ms,"
                + " direct %.0f ms, ratio %.2f%n", identifications.size(), decisions.size(), rounds, bestTree / 1e6,
                bestDirect / 1e6, (double) bestDirect / bestTree);
    }

    /** The decode as it was: a tree, then the record (what EventCodec still does for a record that fails). */
    static int tree(List<byte[]> records, Class<? extends Event> type) throws Exception {
        int h = 0;
        for (byte[] r : records) {
            var node = EventCodec.mapper().readTree(r);
            h += node.get("schemaVersion").asInt();
            h += EventCodec.mapper().treeToValue(node, type).key().length();
        }
        return h;
    }

    static int direct(List<byte[]> records, Class<? extends Event> type) {
        int h = 0;
        for (byte[] r : records) {
            Event e = EventCodec.decode(r, type);
            h += e.schemaVersion() + e.key().length();
        }
        return h;
    }
}
