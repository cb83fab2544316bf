package dev.reelcars.catalogue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The confirmed appearances by group (the evidence's first still) and under the vehicle and film ids they were
 * confirmed with (before merges and renames, which {@link Edits} resolves when reading). Not thread-safe: the
 * {@link Catalogue} owns it.
 */
final class AppearanceIndex {
    private final Map<String, Appearance> byGroup = new HashMap<>();
    private final Map<String, Set<String>> byVehicle = new HashMap<>();
    private final Map<String, Set<String>> byFilm = new HashMap<>();

    void put(String group, Appearance a) {
        byGroup.put(group, a);
        byVehicle.computeIfAbsent(a.vehicleId(), k -> new LinkedHashSet<>()).add(group);
        if (a.filmId() != null) {
            byFilm.computeIfAbsent(a.filmId(), k -> new LinkedHashSet<>()).add(group);
        }
    }

    /** Removes the group's appearance; returns it, or null when there was none. */
    Appearance remove(String group) {
        Appearance a = byGroup.remove(group);
        if (a != null) {
            byVehicle.getOrDefault(a.vehicleId(), Set.of()).remove(group);
            if (a.filmId() != null) {
                byFilm.getOrDefault(a.filmId(), Set.of()).remove(group);
            }
        }
        return a;
    }

    Appearance get(String group) {
        return byGroup.get(group);
    }

    boolean contains(String group) {
        return byGroup.containsKey(group);
    }

    int size() {
        return byGroup.size();
    }

    Collection<Appearance> all() {
        return byGroup.values();
    }

    /** The appearances confirmed under this vehicle id itself (not those of ids merged into it). */
    List<Appearance> ofVehicle(String vehicleId) {
        return resolve(byVehicle.getOrDefault(vehicleId, Set.of()));
    }

    /** The appearances confirmed under this film id itself (not those of ids merged into it). */
    List<Appearance> ofFilm(String filmId) {
        return resolve(byFilm.getOrDefault(filmId, Set.of()));
    }

    boolean hasVehicle(String vehicleId) {
        return !byVehicle.getOrDefault(vehicleId, Set.of()).isEmpty();
    }

    boolean hasFilm(String filmId) {
        return !byFilm.getOrDefault(filmId, Set.of()).isEmpty();
    }

    private List<Appearance> resolve(Set<String> groups) {
        List<Appearance> out = new ArrayList<>(groups.size());
        groups.forEach(g -> out.add(byGroup.get(g)));
        return out;
    }
}
