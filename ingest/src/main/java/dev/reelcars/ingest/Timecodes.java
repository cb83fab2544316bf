package dev.reelcars.ingest;

/** Clip positions as {@code HH:MM:SS.mmm}. */
final class Timecodes {
    private Timecodes() {
    }

    static String format(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format("%02d:%02d:%02d.%03d", ms / 3_600_000, (ms / 60_000) % 60, (ms / 1000) % 60, ms % 1000);
    }
}
