package dev.reelcars.catalogue;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.function.UnaryOperator;

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
        // A film is found by the makes seen in it: each vehicle's make looked up once per sync.
        Map<String, Optional<String>> makes = new HashMap<>();
        for (String id : changes.films()) {
            catalogue.film(id).ifPresentOrElse(f -> index.put(entryOf(f, v -> makes.computeIfAbsent(v,
                    k -> Optional.ofNullable(catalogue.details(k, null).make())).orElse(null))),
                    () -> index.remove(id));
        }
        if (!changes.isEmpty()) {
            index.refresh();
        }
        return changes.vehicles().size() + changes.films().size();
    }

    static SearchIndex.Entry entryOf(Catalogue.Vehicle v) {
        Set<String> names = new LinkedHashSet<>();
        Catalogue.Details d = v.details();
        names.add(v.label());
        v.references().forEach(r -> names.add(r.label()));
        // The names it had before a rename or merge still find it.
        v.appearances().forEach(a -> names.add(a.label()));
        if (d.variant() != null) {
            names.add(d.variant());
        }
        Set<String> films = new LinkedHashSet<>();
        Set<String> notes = new LinkedHashSet<>();
        Set<Integer> years = new LinkedHashSet<>();
        if (d.notes() != null) {
            notes.add(d.notes());
        }
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
        return new SearchIndex.Entry(v.id(), "vehicle", v.label(), List.copyOf(names), d.make(), d.model(),
                List.copyOf(films), List.copyOf(notes), List.copyOf(years),
                d.country() == null ? List.of() : List.of(d.country()),
                d.make() == null ? List.of() : List.of(d.make()));
    }

    /** @param makeOf a vehicle id's make (null for none) */
    static SearchIndex.Entry entryOf(Catalogue.Film f, UnaryOperator<String> makeOf) {
        Set<String> vehicles = new LinkedHashSet<>();
        Set<String> notes = new LinkedHashSet<>();
        Set<String> makes = new LinkedHashSet<>();
        for (Appearance a : f.appearances()) {
            vehicles.add(a.label());
            String make = makeOf.apply(a.vehicleId());
            if (make != null) {
                makes.add(make);
            }
            if (a.note() != null && !a.note().isBlank()) {
                notes.add(a.note());
            }
        }
        return new SearchIndex.Entry(f.id(), "film", f.title(), f.titles(), null, null, List.copyOf(vehicles),
                List.copyOf(notes), f.year() == null ? List.of() : List.of(f.year()),
                f.country() == null ? List.of() : List.of(f.country()), List.copyOf(makes));
    }

}
