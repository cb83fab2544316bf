package dev.reelcars.catalogue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each canonical film's shown title (a reviewer's, else its most used spelling), year and spellings, made on first
 * read and dropped whenever the film changes (the {@link Catalogue} says when). Not thread-safe: the catalogue owns
 * it.
 */
final class FilmHeaders {
    private final Edits edits;
    private final AppearanceIndex index;
    private final Map<String, Header> cache = new HashMap<>();

    /** A film's shown title and year, and every spelling its appearances used, the most used first. */
    record Header(String title, Integer year, List<String> spellings) {
    }

    FilmHeaders(Edits edits, AppearanceIndex index) {
        this.edits = edits;
        this.index = index;
    }

    Header of(String canonical) {
        Header cached = cache.get(canonical);
        if (cached != null) {
            return cached;
        }
        List<Appearance> raw = new ArrayList<>();
        for (String member : edits.filmMembers(canonical)) {
            raw.addAll(index.ofFilm(member));
        }
        Map<String, Integer> spellings = new LinkedHashMap<>();
        raw.stream().sorted(Comparator.comparing(Appearance::confirmedAt).thenComparing(Appearance::id))
                .forEach(a -> spellings.merge(a.filmTitle(), 1, Integer::sum));
        // The most used spelling names the film; between equals, one not typed in capitals, then one that keeps its
        // accents (AMELIE and Amelie lose to Amélie), then the first confirmed.
        List<String> titles = spellings.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(e -> e.getKey().equals(e.getKey().toUpperCase(Locale.ROOT)))
                        .thenComparing(e -> e.getKey().chars().allMatch(ch -> ch < 128)))
                .map(Map.Entry::getKey).toList();
        // The film's own year, unless only films merged into it have appearances.
        Integer year = raw.stream().filter(a -> canonical.equals(a.filmId())).map(Appearance::filmYear).findFirst()
                .orElse(raw.isEmpty() ? null : raw.get(0).filmYear());
        String override = edits.filmFields(canonical).get("title");
        Header h = new Header(override != null ? override : titles.isEmpty() ? canonical : titles.get(0), year,
                titles);
        cache.put(canonical, h);
        return h;
    }

    void invalidate(String canonical) {
        cache.remove(canonical);
    }

    void clear() {
        cache.clear();
    }
}
