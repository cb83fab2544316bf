package dev.reelcars.catalogue;

import dev.reelcars.events.Point;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One confirmed identification: a vehicle seen in a film. A still and its near-duplicates (ingest's
 * {@code duplicateOf}) are one piece of evidence and so one appearance, with all their stills; the still the first
 * confirming vote was cast on (Consensus' {@code confirmedStill}) is the one shown.
 *
 * @param id {@code a-<first still of the group>}, stable across rebuilds
 * @param filmId null when the contributor gave no film title
 * @param outline the matched vehicle's outline in the shown still's pixels (empty for a vehicle a reviewer named)
 * @param confirmedBy the reviewers whose votes made the confirmation
 * @param confirmedAt the time of the vote that completed it
 * @param timecodeSeconds the timecode read once ({@link #secondsOf}), for ordering a film's appearances
 * @param timecode the still's timecode; for a film scan's appearance ({@code StillSubmitted.filmRange}), its in time
 * @param clipId the clip the still was taken from (ingest's frames of one upload), or null (always for a film
 *     scan's appearance, which identify already made of the frames that show the vehicle)
 * @param timecodeEnd the end of the appearance: a film scan's out time, or the last frame's timecode when the
 *     appearance is a shot of several frames ({@link Shots}); null for a single moment
 */
record Appearance(
        String id,
        List<String> stills,
        String stillId,
        String stillBlobKey,
        int width,
        int height,
        List<Point> outline,
        String vehicleId,
        String label,
        String referenceId,
        String filmId,
        String filmTitle,
        Integer filmYear,
        String timecode,
        String note,
        String contributor,
        List<String> confirmedBy,
        Instant confirmedAt,
        Prominence prominence,
        long timecodeSeconds,
        String clipId,
        String timecodeEnd) {

    Appearance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vehicleId, "vehicleId");
        Objects.requireNonNull(prominence, "prominence");
        stills = List.copyOf(stills);
        outline = List.copyOf(outline);
        confirmedBy = List.copyOf(confirmedBy);
    }

    /** This appearance as shown: under the vehicle and film it resolves to, with the prominence in force. */
    Appearance shownAs(String vehicle, String film, String title, Prominence shownProminence) {
        return new Appearance(id, stills, stillId, stillBlobKey, width, height, outline, vehicle, label, referenceId,
                film, title, filmYear, timecode, note, contributor, confirmedBy, confirmedAt, shownProminence,
                timecodeSeconds, clipId, timecodeEnd);
    }

    /** A timecode ({@code h:mm:ss} or {@code mm:ss}, fractions ignored) in seconds; unreadable ones sort last. */
    static long secondsOf(String timecode) {
        if (timecode == null || timecode.isBlank()) {
            return Long.MAX_VALUE;
        }
        long seconds = 0;
        long field = 0;
        boolean digits = false;
        boolean fraction = false;
        for (int i = 0; i < timecode.length(); i++) {
            char c = timecode.charAt(i);
            if (c == ':' && !fraction) {
                seconds = seconds * 60 + field;
                field = 0;
                digits = false;
            } else if (c == '.' || c == ',') {
                fraction = true;
            } else if (c >= '0' && c <= '9') {
                if (!fraction) {
                    field = field * 10 + (c - '0');
                    digits = true;
                }
            } else if (c != ' ') {
                return Long.MAX_VALUE;
            }
        }
        return digits || fraction ? seconds * 60 + field : Long.MAX_VALUE;
    }

    /** The timecode a reader sees for a time in seconds: {@code hh:mm:ss}, with {@code .mmm} when not whole. */
    static String timecodeOf(double seconds) {
        long ms = Math.round(seconds * 1000);
        String whole = String.format(java.util.Locale.ROOT, "%02d:%02d:%02d", ms / 3_600_000, ms / 60_000 % 60,
                ms / 1000 % 60);
        return ms % 1000 == 0 ? whole : whole + String.format(java.util.Locale.ROOT, ".%03d", ms % 1000);
    }

    /** Where the appearance ends, in seconds: its {@code timecodeEnd}, else its timecode. */
    long endSeconds() {
        return timecodeEnd == null ? timecodeSeconds : secondsOf(timecodeEnd);
    }

    /** How much of the frame the vehicle takes: reviewers set it, the outline's share of the frame suggests it. */
    enum Prominence {
        BACKGROUND, MINOR, FEATURED;

        /** Featured from a quarter of the frame, minor from 5 %, background below (or without an outline). */
        static Prominence ofShare(double share) {
            return share >= 0.25 ? FEATURED : share >= 0.05 ? MINOR : BACKGROUND;
        }

        static Prominence of(List<Point> outline, int width, int height) {
            if (outline.size() < 3 || width <= 0 || height <= 0) {
                return BACKGROUND;
            }
            double twiceArea = 0;
            for (int i = 0; i < outline.size(); i++) {
                Point a = outline.get(i);
                Point b = outline.get((i + 1) % outline.size());
                twiceArea += a.x() * b.y() - b.x() * a.y();
            }
            return ofShare(Math.min(1, Math.abs(twiceArea) / 2 / ((double) width * height)));
        }

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The wire name back; null for anything else. */
        static Prominence parse(String wire) {
            for (Prominence p : values()) {
                if (p.wire().equals(wire)) {
                    return p;
                }
            }
            return null;
        }
    }
}
