package dev.reelcars.catalogue;

import dev.reelcars.events.ReferenceAdded;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A vehicle as its page and the export show it: the record (reviewers' fields over what its reference views say),
 * its views, its appearances and the years it was seen on screen, under its own id and those merged into it. Not
 * thread-safe: the {@link Catalogue} owns it.
 */
final class VehicleRecords {
    private final Edits edits;
    private final ReferenceViews references;
    private final AppearanceIndex index;
    private final ShownAppearances shown;

    VehicleRecords(Edits edits, ReferenceViews references, AppearanceIndex index, ShownAppearances shown) {
        this.edits = edits;
        this.references = references;
        this.index = index;
        this.shown = shown;
    }

    /** A vehicle: its record and every appearance in film-year order; empty for an unknown id or an alias. */
    Optional<Catalogue.Vehicle> vehicle(String id) {
        if (edits.isVehicleAlias(id)) {
            return Optional.empty();
        }
        Set<String> members = edits.vehicleMembers(id);
        boolean known = false;
        for (String m : members) {
            known |= references.any(m) || index.hasVehicle(m);
        }
        if (!known) {
            return Optional.empty();
        }
        List<ReferenceAdded> refs = references.of(members);
        List<Appearance> seen = shown.of(id, null);
        Catalogue.Details d = details(id, members, refs, seen.isEmpty() ? null : seen.get(0).label());
        Integer first = seen.stream().map(Appearance::filmYear).filter(Objects::nonNull).min(Integer::compare)
                .orElse(null);
        Integer last = seen.stream().map(Appearance::filmYear).filter(Objects::nonNull).max(Integer::compare)
                .orElse(null);
        List<String> aliases = members.stream().skip(1).toList();
        return Optional.of(new Catalogue.Vehicle(id, d, refs, seen, first, last, aliases));
    }

    /** A vehicle's record (the export's columns), without its appearances; any id, an alias too. */
    Catalogue.Details details(String vehicleId, String fallbackLabel) {
        String id = edits.canonicalVehicle(vehicleId);
        Set<String> members = edits.vehicleMembers(id);
        return details(id, members, references.of(members), fallbackLabel);
    }

    /**
     * The record: a reviewer's value for each field wins (the vehicle's own, then those of vehicles merged into
     * it); otherwise the newest reference view that says a make (or a model, a year) speaks for the vehicle.
     */
    private Catalogue.Details details(String id, Set<String> members, List<ReferenceAdded> refs,
            String fallbackLabel) {
        String label = refs.isEmpty() ? fallbackLabel : refs.get(refs.size() - 1).label();
        String make = null;
        String model = null;
        Integer year = null;
        for (ReferenceAdded r : refs) {
            make = r.make() != null && !r.make().isBlank() ? r.make() : make;
            model = r.model() != null && !r.model().isBlank() ? r.model() : model;
            year = r.year() != null ? r.year() : year;
        }
        Map<String, String> f = new HashMap<>();
        List<String> order = new ArrayList<>(members);
        Collections.reverse(order);
        for (String m : order) {
            f.putAll(edits.vehicleFields(m));
        }
        String renamed = edits.renamedLabel(id);
        return new Catalogue.Details(f.getOrDefault("label", renamed != null ? renamed : label),
                f.getOrDefault("make", make), f.getOrDefault("model", model), f.get("variant"),
                f.containsKey("yearFrom") ? year(f.get("yearFrom")) : year, year(f.get("yearTo")), f.get("country"),
                f.get("scope"), f.get("notes"));
    }

    /** A year field as the edit API wrote it; anything else (a hand-written record) reads as no year. */
    private static Integer year(String value) {
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
