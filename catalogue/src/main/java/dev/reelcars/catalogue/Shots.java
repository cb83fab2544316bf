package dev.reelcars.catalogue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Consecutive frames of one shot are one appearance: confirmed stills of the same vehicle in the same film that
 * come from the same clip (ingest's frames of one upload), or whose timecodes are at most {@value #GAP_SECONDS} s
 * apart (from the end of a film scan's appearance to the start of the next), become one appearance with all their
 * stills and the range of their timecodes. Done when the catalogue is
 * read, so a frame confirmed later joins its shot without any stored state.
 */
final class Shots {
    /** Stills further apart than this are separate appearances unless a clip ties them. */
    static final long GAP_SECONDS = 5;

    private static final Comparator<Appearance> IN_FILM = Comparator
            .comparing(Appearance::filmId, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Appearance::vehicleId)
            .thenComparingLong(Appearance::timecodeSeconds)
            .thenComparing(Appearance::id);

    private Shots() {
    }

    /**
     * The appearances with each shot's frames merged. The shot keeps its first frame's id, still and timecode; its
     * prominence is the one a reviewer set last on any of its frames, otherwise the largest suggested.
     *
     * @param shown appearances as shown (canonical vehicle and film ids)
     * @param override the edit sequence of a reviewer's prominence on an appearance id, or -1 for none
     */
    static List<Appearance> merge(List<Appearance> shown, ToLongFunction<String> override) {
        if (shown.size() < 2) {
            return shown;
        }
        List<Appearance> sorted = new ArrayList<>(shown);
        sorted.sort(IN_FILM);
        List<Appearance> out = new ArrayList<>(sorted.size());
        List<Appearance> shot = new ArrayList<>();
        long shotEnd = Long.MIN_VALUE;
        for (Appearance a : sorted) {
            if (!shot.isEmpty() && !sameShot(shot.get(shot.size() - 1), shotEnd, a)) {
                out.add(combine(shot, override));
                shot.clear();
                shotEnd = Long.MIN_VALUE;
            }
            shot.add(a);
            shotEnd = Math.max(shotEnd, a.endSeconds());
        }
        out.add(combine(shot, override));
        return out;
    }

    /** Whether {@code b} continues the shot whose last frame is {@code a} and which ends at {@code end} seconds. */
    private static boolean sameShot(Appearance a, long end, Appearance b) {
        if (a.filmId() == null || !a.filmId().equals(b.filmId()) || !a.vehicleId().equals(b.vehicleId())) {
            return false;
        }
        if (a.clipId() != null && a.clipId().equals(b.clipId())) {
            return true;
        }
        return end != Long.MAX_VALUE && b.timecodeSeconds() != Long.MAX_VALUE
                && b.timecodeSeconds() - end <= GAP_SECONDS;
    }

    private static Appearance combine(List<Appearance> shot, ToLongFunction<String> override) {
        Appearance first = shot.get(0);
        if (shot.size() == 1) {
            return first;
        }
        // The shot ends where its latest frame or film-scan range ends (the last frame, without ranges).
        Appearance last = first;
        for (Appearance a : shot) {
            last = a.endSeconds() >= last.endSeconds() ? a : last;
        }
        List<String> stills = new ArrayList<>();
        Set<String> confirmedBy = new LinkedHashSet<>();
        Instant confirmedAt = first.confirmedAt();
        Appearance.Prominence prominence = Appearance.Prominence.BACKGROUND;
        long latestOverride = -1;
        String note = null;
        for (Appearance a : shot) {
            stills.addAll(a.stills());
            confirmedBy.addAll(a.confirmedBy());
            confirmedAt = a.confirmedAt().isBefore(confirmedAt) ? a.confirmedAt() : confirmedAt;
            note = note == null ? a.note() : note;
            long seq = override.applyAsLong(a.id());
            if (seq > latestOverride) {
                latestOverride = seq;
                prominence = a.prominence();
            } else if (latestOverride < 0 && a.prominence().compareTo(prominence) > 0) {
                prominence = a.prominence();
            }
        }
        String lastEnd = last.timecodeEnd() != null ? last.timecodeEnd() : last.timecode();
        String end = Objects.equals(lastEnd, first.timecode()) ? null : lastEnd;
        return new Appearance(first.id(), stills, first.stillId(), first.stillBlobKey(), first.width(),
                first.height(), first.outline(), first.vehicleId(), first.label(), first.referenceId(), first.filmId(),
                first.filmTitle(), first.filmYear(), first.timecode(), note, first.contributor(),
                List.copyOf(confirmedBy), confirmedAt, prominence, first.timecodeSeconds(), first.clipId(), end);
    }
}
