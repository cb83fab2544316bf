package dev.reelcars.identify.film;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the command line's {@code scan} and the service's film jobs share about a film before its frames are
 * matched: the defaults, {@code ffprobe}'s look at the film, and the decode size.
 */
public final class FilmVideo {
    /**
     * One frame a second: a car on screen for 1 s or more is still sampled at least once, and on the tuning film
     * (bench/film-bench.sh --seed 1, 5 min) recall and false appearances were the same as at 2 a second (27/31, none)
     * for 35% less CPU (bench/README.md, "Film scan").
     */
    public static final double DEFAULT_FPS = 1;
    public static final int DEFAULT_WIDTH = 1280;
    public static final double DEFAULT_MAX_GAP = 2.0;
    /**
     * Chosen on the 20-min tuning film (bench/film-bench.sh --minutes 20 --seed 1, scanned with --min-single 0
     * --min-score 0) with the confidence model recalibrated in README-matcher's fourteenth round: its 3 false
     * appearances were all single frames scoring 0.87-0.92; 0.95 drops them and 1 of its 107 found appearances (0.9
     * would have left one). It was 0.8, chosen on the first 5 min of that film, which had no false appearance.
     * Chosen again by the same rule with the sixteenth round's model (the lead term): its 4 false appearances are
     * single frames scoring 0.68-0.93, and 0.95 is again the lowest minimum that leaves none.
     * Held-out figures in identify/README.md.
     */
    public static final double DEFAULT_SINGLE_FRAME_MIN = 0.95;


    /** Width, height and duration (NaN when unknown) of the film's first video stream. */
    public record Probe(int width, int height, double seconds) {}

    /** A failure the user can fix: one line on stderr, exit code 2. */
    public static final class ScanException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ScanException(String message) {
            super(message);
        }
    }

    private FilmVideo() {}

    public static Probe probe(String ffprobe, Path film) {
        List<String> command = List.of(ffprobe, "-v", "error", "-select_streams", "v:0",
                "-show_entries", "stream=width,height:format=duration", "-of", "default=noprint_wrappers=1",
                film.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new ScanException("cannot run " + ffprobe + " (is ffmpeg installed? --ffprobe sets its path): "
                    + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readNBytes(1 << 16), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readNBytes(1 << 16), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new ScanException(film + ": ffprobe did not finish within 60 s");
            }
            Map<String, String> values = new HashMap<>();
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
            int width = parseInt(values.get("width"));
            int height = parseInt(values.get("height"));
            if (process.exitValue() != 0 || width <= 0 || height <= 0) {
                throw new ScanException(film + ": not a readable video" + (err.isEmpty() ? " (no video stream)"
                        : " (" + firstLine(err) + ")"));
            }
            double seconds;
            try {
                seconds = Double.parseDouble(values.getOrDefault("duration", "N/A"));
            } catch (NumberFormatException e) {
                seconds = Double.NaN;
            }
            return new Probe(width, height, seconds);
        } catch (IOException e) {
            throw new ScanException(film + ": reading ffprobe's answer failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScanException("interrupted while probing " + film);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Decode size: at most {@code maxWidth} wide (never enlarged), aspect kept, both even. */
    public static int[] frameSize(int width, int height, int maxWidth) {
        int w = Math.min(width, maxWidth) / 2 * 2;
        int h = Math.max(2, (int) Math.round(height * (double) w / width / 2) * 2);
        return new int[] {Math.max(2, w), h};
    }

    private static int parseInt(String s) {
        try {
            return s == null ? -1 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
