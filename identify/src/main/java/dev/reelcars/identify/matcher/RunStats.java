package dev.reelcars.identify.matcher;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Progress and the end-of-run summary the CLI prints on stderr. On a terminal the progress is a bar redrawn in
 * place; where stderr is a file or a pipe, a carriage return redraws nothing, so it is a line every
 * {@value #LOG_STEP_PERCENT} percent instead.
 */
public final class RunStats {
    static final int LOG_STEP_PERCENT = 10;

    private final String what;
    private final int total;
    private final PrintStream out;
    private final boolean terminal;
    private int done;
    private int lastShown = -1;

    public RunStats(String what, int total) {
        // No console: stdin or stdout is redirected, which is how the CLI runs when its output goes to a file.
        this(what, total, System.err, System.console() != null);
    }

    RunStats(String what, int total, PrintStream out, boolean terminal) {
        this.what = what;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
    }

    public synchronized void step() {
        done++;
        int percent = total == 0 ? 100 : done * 100 / total;
        if (terminal) {
            if (percent != lastShown || done == total) {
                lastShown = percent;
                int bars = percent / 4;
                out.print("\r" + what + " [" + "#".repeat(bars) + ".".repeat(25 - bars) + "] " + done + "/" + total);
                if (done == total) {
                    out.println();
                }
            }
        } else if (Math.floorDiv(percent, LOG_STEP_PERCENT) != Math.floorDiv(lastShown, LOG_STEP_PERCENT)
                || done == total) {
            lastShown = percent;
            out.println(what + " " + done + "/" + total + " (" + percent + "%)");
        }
    }

    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    /** Peak heap use over the run (sum of the heap pools' peaks) in MiB. */
    public static double peakHeapMiB() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / 1048576.0;
    }

    /** A {@code kB} field of /proc/self/status (VmRSS, VmHWM) in MiB, or NaN where there is no /proc. */
    public static double procStatusMiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
