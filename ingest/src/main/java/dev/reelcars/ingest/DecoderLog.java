package dev.reelcars.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Drains ffmpeg's stderr (so it never blocks) and keeps a short report: how many lines it wrote and the first
 * few, since the first complaint usually names the damage and the rest repeat it.
 */
final class DecoderLog extends Thread {
    private static final int KEEP = 5;
    /** ffmpeg names the component that complains with its memory address ({@code [avi @ 0x55fe…]}). */
    private static final Pattern ADDRESS = Pattern.compile(" @ 0x[0-9a-fA-F]+");
    private final InputStream in;
    private final List<String> first = new ArrayList<>();
    private int total;

    DecoderLog(InputStream in) {
        super("ffmpeg-stderr");
        setDaemon(true);
        this.in = in;
    }

    @Override
    public void run() {
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (first) {
                    total++;
                    if (first.size() < KEEP) {
                        String tidy = withoutAddresses(line);
                        first.add(tidy.length() > 300 ? tidy.substring(0, 300) : tidy);
                    }
                }
            }
        } catch (IOException ignored) {
            // The process ended or was killed: the lines read so far are the report.
        }
    }

    /** The line without ffmpeg's pointer addresses, which mean nothing to a client: {@code [avi] the complaint}. */
    static String withoutAddresses(String line) {
        return ADDRESS.matcher(line).replaceAll("");
    }

    List<String> lines() {
        synchronized (first) {
            if (total == 0) {
                return List.of();
            }
            List<String> report = new ArrayList<>();
            report.add("the decoder reported " + total + " problem(s): the file is damaged or partly unreadable;"
                    + " frames it could not decode were skipped or patched");
            report.addAll(first);
            return report;
        }
    }
}
