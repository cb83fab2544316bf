package dev.reelcars.catalogue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Appearances as readers see them: under the vehicle and film they resolve to (merges and renames), with the
 * film's shown title and a reviewer's prominence, the frames of one shot merged ({@link Shots}), in film-year then
 * timecode order. Not thread-safe: the {@link Catalogue} owns it.
 */
final class ShownAppearances {
    static final Comparator<Appearance> FILM_ORDER = Comparator
            .comparing(Appearance::filmYear, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Appearance::filmId, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingLong(Appearance::timecodeSeconds)
            .thenComparing(Appearance::id);

    private final Edits edits;
    private final AppearanceIndex index;
    private final FilmHeaders headers;

    ShownAppearances(Edits edits, AppearanceIndex index, FilmHeaders headers) {
        this.edits = edits;
        this.index = index;
        this.headers = headers;
    }

    /** Every appearance, or a vehicle's or a film's (null: no filter; an alias reads as the id it resolves to). */
    List<Appearance> of(String vehicleId, String filmId) {
        List<Appearance> raw = new ArrayList<>();
        if (vehicleId != null) {
            for (String member : edits.vehicleMembers(edits.canonicalVehicle(vehicleId))) {
                raw.addAll(index.ofVehicle(member));
            }
        } else if (filmId != null) {
            for (String member : edits.filmMembers(edits.canonicalFilm(filmId))) {
                raw.addAll(index.ofFilm(member));
            }
        } else {
            raw.addAll(index.all());
        }
        String film = filmId == null ? null : edits.canonicalFilm(filmId);
        List<Appearance> shown = new ArrayList<>(raw.size());
        for (Appearance a : raw) {
            Appearance v = shown(a);
            if (film == null || film.equals(v.filmId())) {
                shown.add(v);
            }
        }
        List<Appearance> out = new ArrayList<>(Shots.merge(shown, this::overrideSequence));
        out.sort(FILM_ORDER);
        return out;
    }

    private long overrideSequence(String appearanceId) {
        Edits.Override o = edits.prominence(appearanceId);
        return o == null ? -1 : o.sequence();
    }

    /** An appearance under the vehicle and film it resolves to, with the film's shown title and the prominence. */
    private Appearance shown(Appearance a) {
        String film = a.filmId() == null ? null : edits.canonicalFilm(a.filmId());
        String title = film == null ? a.filmTitle() : headers.of(film).title();
        Edits.Override o = edits.prominence(a.id());
        return a.shownAs(edits.canonicalVehicle(a.vehicleId()), film, title, o == null ? a.prominence() : o.value());
    }
}
