package dev.reelcars.catalogue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Brings the search index up to date with the vehicles and films the catalogue changed since the last sync. */
final class Indexer {
    private final Catalogue catalogue;
    private final SearchIndex index;

    Indexer(Catalogue catalogue, SearchIndex index) {
        this.catalogue = catalogue;
        this.index = index;
    }

    /** Re-indexes what changed; returns how many documents were written or removed. */
    synchronized int sync() {
        Catalogue.Changes changes = catalogue.drainChanged();
        for (String id : changes.vehicles()) {
            catalogue.vehicle(id).ifPresentOrElse(v -> index.put(entryOf(v)), () -> index.remove(id));
        }
        for (String id : changes.films()) {
            catalogue.film(id).ifPresentOrElse(f -> index.put(entryOf(f)), () -> index.remove(id));
        }
        if (!changes.isEmpty()) {
            index.refresh();
        }
        return changes.vehicles().size() + changes.films().size();
    }

    static SearchIndex.Entry entryOf(Catalogue.Vehicle v) {
        Set<String> names = new LinkedHashSet<>();
        names.add(v.label());
        v.references().forEach(r -> names.add(r.label()));
        Set<String> films = new LinkedHashSet<>();
        Set<String> notes = new LinkedHashSet<>();
        Set<Integer> years = new LinkedHashSet<>();
        for (Appearance a : v.appearances()) {
            if (a.filmTitle() != null) {
                films.add(a.filmTitle());
            }
            if (a.note() != null && !a.note().isBlank()) {
                notes.add(a.note());
            }
            if (a.filmYear() != null) {
                years.add(a.filmYear());
            }
        }
        return new SearchIndex.Entry(v.id(), "vehicle", v.label(), List.copyOf(names), v.make(), v.model(),
                List.copyOf(films), List.copyOf(notes), List.copyOf(years));
    }

    static SearchIndex.Entry entryOf(Catalogue.Film f) {
        Set<String> vehicles = new LinkedHashSet<>();
        Set<String> notes = new LinkedHashSet<>();
        for (Appearance a : f.appearances()) {
            vehicles.add(a.label());
            if (a.note() != null && !a.note().isBlank()) {
                notes.add(a.note());
            }
        }
        return new SearchIndex.Entry(f.id(), "film", f.title(), f.titles(), null, null, List.copyOf(vehicles),
                List.copyOf(notes), f.year() == null ? List.of() : List.of(f.year()));
    }

}
