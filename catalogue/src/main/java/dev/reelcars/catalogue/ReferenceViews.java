package dev.reelcars.catalogue;

import dev.reelcars.events.ReferenceAdded;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gallery's reference views, folded from the references topic (a tombstone removes one), by id and under the
 * vehicle id their label gives. Not thread-safe: the {@link Catalogue} owns it.
 */
final class ReferenceViews {
    private final Map<String, ReferenceAdded> byId = new HashMap<>();
    private final Map<String, Set<String>> byVehicle = new HashMap<>();

    /** Applies a view, or removes it for null; returns the view it replaced or removed, or null. */
    ReferenceAdded apply(String referenceId, ReferenceAdded ref) {
        ReferenceAdded old = ref == null ? byId.remove(referenceId) : byId.put(referenceId, ref);
        if (old != null) {
            byVehicle.getOrDefault(Names.vehicleId(old.label()), Set.of()).remove(referenceId);
        }
        if (ref != null) {
            byVehicle.computeIfAbsent(Names.vehicleId(ref.label()), k -> new LinkedHashSet<>()).add(referenceId);
        }
        return old;
    }

    /** Whether any view is labelled as this vehicle id itself. */
    boolean any(String vehicleId) {
        return !byVehicle.getOrDefault(vehicleId, Set.of()).isEmpty();
    }

    /** The views of these vehicle ids (a vehicle and those merged into it), oldest first. */
    List<ReferenceAdded> of(Set<String> vehicleIds) {
        List<ReferenceAdded> out = new ArrayList<>();
        for (String m : vehicleIds) {
            byVehicle.getOrDefault(m, Set.of()).forEach(r -> out.add(byId.get(r)));
        }
        if (out.size() > 1) {
            out.sort(Comparator.comparing(ReferenceAdded::addedAt).thenComparing(ReferenceAdded::referenceId));
        }
        return out;
    }
}
