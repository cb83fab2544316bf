package dev.reelcars.ingest;

/** Clip positions as {@code HH:MM:SS.mmm}. */
final class Timecodes {
    private static final java.util.regex.Pattern TIME =
            java.util.regex.Pattern.compile("(?:(\\d{1,2}):)?(\\d{1,2}):(\\d{1,2})(?:[.,](\\d{1,3}))?");

    private Timecodes() {
    }

    /**
     * A frame's timecode in the film: when the contributor gave the clip's start as a time ({@code [H:]MM:SS[.mmm]}),
     * the frame's offset is added to it; otherwise it is the offset in the clip.
     */
    static String offset(String clipStart, double seconds) {
        if (clipStart != null) {
            var m = TIME.matcher(clipStart.trim());
            if (m.matches()) {
                double start = (m.group(1) == null ? 0 : Integer.parseInt(m.group(1)) * 3600)
                        + Integer.parseInt(m.group(2)) * 60 + Integer.parseInt(m.group(3))
                        + (m.group(4) == null ? 0 : Integer.parseInt((m.group(4) + "00").substring(0, 3)) / 1000.0);
                return format(start + seconds);
            }
        }
        return format(seconds);
    }

    static String format(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format("%02d:%02d:%02d.%03d", ms / 3_600_000, (ms / 60_000) % 60, (ms / 1000) % 60, ms % 1000);
    }
}
