package dev.reelcars.catalogue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A film as its page shows it: the shown title and year, the reviewers' original and alternative titles and
 * country, every spelling used, and its appearances in timecode order, under its own id and those merged into it.
 * Not thread-safe: the {@link Catalogue} owns it.
 */
final class FilmRecords {
    private final Edits edits;
    private final AppearanceIndex index;
    private final ShownAppearances shown;
    private final FilmHeaders headers;

    FilmRecords(Edits edits, AppearanceIndex index, ShownAppearances shown, FilmHeaders headers) {
        this.edits = edits;
        this.index = index;
        this.shown = shown;
        this.headers = headers;
    }

    /** A film: its record, spellings and every appearance in timecode order; empty for unknown ids and aliases. */
    Optional<Catalogue.Film> film(String id) {
        if (edits.isFilmAlias(id)) {
            return Optional.empty();
        }
        Set<String> members = edits.filmMembers(id);
        if (members.stream().noneMatch(index::hasFilm)) {
            return Optional.empty();
        }
        List<Appearance> seen = new ArrayList<>(shown.of(null, id));
        seen.sort(Comparator.comparingLong(Appearance::timecodeSeconds).thenComparing(Appearance::id));
        FilmHeaders.Header h = headers.of(id);
        Map<String, String> f = edits.filmFields(id);
        Set<String> titles = new LinkedHashSet<>();
        titles.add(h.title());
        if (f.get("originalTitle") != null) {
            titles.add(f.get("originalTitle"));
        }
        titles.addAll(h.spellings());
        List<String> alternatives = f.get("alternativeTitles") == null ? List.of()
                : f.get("alternativeTitles").lines().filter(t -> !t.isBlank()).toList();
        titles.addAll(alternatives);
        return Optional.of(new Catalogue.Film(id, h.title(), h.year(), List.copyOf(titles), f.get("originalTitle"),
                alternatives, f.get("country"), seen, members.stream().skip(1).toList()));
    }
}
