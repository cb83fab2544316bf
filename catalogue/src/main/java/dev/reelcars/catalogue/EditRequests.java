package dev.reelcars.catalogue;

import dev.reelcars.events.CatalogueEdit;
import dev.reelcars.events.CatalogueEdit.Kind;
import dev.reelcars.events.Ids;
import dev.reelcars.platform.http.ApiException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a reviewer's request into a {@link CatalogueEdit}, or refuses it with a 4xx saying why: known kinds and
 * fields only, text trimmed and bounded (blank = back to the derived value), years in range, ids resolved to the
 * vehicle or film they stand for now, merges between two that exist and are not one already.
 */
final class EditRequests {
    private static final Set<String> VEHICLE_FIELDS = Set.of("label", "make", "model", "variant", "yearFrom",
            "yearTo", "country", "scope", "notes");
    private static final Set<String> FILM_FIELDS = Set.of("title", "originalTitle", "alternativeTitles", "country");

    private final Catalogue catalogue;
    private final Clock clock;

    EditRequests(Catalogue catalogue, Clock clock) {
        this.catalogue = catalogue;
        this.clock = clock;
    }

    /** The event for a request, with every id resolved to the vehicle or film it stands for now. */
    CatalogueEdit build(EditApi.EditRequest r, String editId, String editor, String reason) {
        String kind = r.kind() == null ? "" : r.kind();
        String target = r.target();
        if (target == null || !Ids.isSafe(target)) {
            throw new ApiException(400, "bad-target", "target must be an appearance, vehicle or film id");
        }
        Map<String, Object> given = r.fields() == null ? Map.of() : r.fields();
        Map<String, String> fields = new LinkedHashMap<>();
        Kind k;
        String into = null;
        switch (kind) {
            case "prominence" -> {
                k = Kind.PROMINENCE;
                if (!catalogue.hasAppearance(target)) {
                    throw new ApiException(404, "not-found", "no appearance " + target);
                }
                onlyFields(given, Set.of("prominence"));
                String value = text(given.get("prominence"), "prominence", 20);
                if (!given.containsKey("prominence")
                        || value != null && Appearance.Prominence.parse(value) == null) {
                    throw new ApiException(400, "bad-field", "prominence is background, minor, featured or null");
                }
                fields.put("prominence", value);
            }
            case "vehicle" -> {
                k = Kind.VEHICLE;
                target = existingVehicle(target);
                vehicleFields(given, fields, target);
            }
            case "film" -> {
                k = Kind.FILM;
                target = existingFilm(target);
                onlyFields(given, FILM_FIELDS);
                for (var f : given.entrySet()) {
                    if (f.getKey().equals("alternativeTitles")) {
                        fields.put(f.getKey(), titles(f.getValue()));
                    } else {
                        fields.put(f.getKey(), text(f.getValue(), f.getKey(), f.getKey().equals("country") ? 80 : 300));
                    }
                }
            }
            case "vehicle-merge", "film-merge" -> {
                boolean vehicle = kind.startsWith("vehicle");
                k = vehicle ? Kind.VEHICLE_MERGE : Kind.FILM_MERGE;
                onlyFields(given, Set.of());
                if (r.into() == null || !Ids.isSafe(r.into())) {
                    throw new ApiException(400, "bad-into", "into must be the id to merge into");
                }
                target = vehicle ? existingVehicle(target) : existingFilm(target);
                into = vehicle ? existingVehicle(r.into()) : existingFilm(r.into());
                if (target.equals(into)) {
                    throw new ApiException(409, "already-merged", r.target() + " and " + r.into() + " are one already");
                }
            }
            case "vehicle-rename" -> {
                onlyFields(given, Set.of("label"));
                String label = text(given.get("label"), "label", 120);
                if (label == null) {
                    throw new ApiException(400, "bad-field", "a rename needs the new label");
                }
                target = existingVehicle(target);
                String renamed = Names.vehicleId(label);
                fields.put("label", label);
                if (renamed.equals(target) || !Ids.isSafe(renamed)) {
                    // The same id (only case or accents differ), or a name too long for an id: the name changes.
                    k = Kind.VEHICLE;
                } else {
                    k = Kind.VEHICLE_MERGE;
                    into = renamed;
                }
            }
            case "vehicle-unmerge", "film-unmerge" -> {
                boolean vehicle = kind.startsWith("vehicle");
                k = vehicle ? Kind.VEHICLE_UNMERGE : Kind.FILM_UNMERGE;
                onlyFields(given, Set.of());
                String canonical = vehicle ? catalogue.canonicalVehicle(target) : catalogue.canonicalFilm(target);
                if (canonical.equals(target)) {
                    throw new ApiException(409, "not-merged", target + " is not merged into anything");
                }
            }
            default -> throw new ApiException(400, "bad-kind", "kind is prominence, vehicle, film, vehicle-merge,"
                    + " vehicle-rename, vehicle-unmerge, film-merge or film-unmerge");
        }
        return new CatalogueEdit(CatalogueEdit.CURRENT_VERSION, editId, k, target, fields, into, null, editor,
                clock.instant(), reason);
    }

    private void vehicleFields(Map<String, Object> given, Map<String, String> fields, String vehicle) {
        onlyFields(given, VEHICLE_FIELDS);
        if (given.isEmpty()) {
            throw new ApiException(400, "bad-field", "give at least one of " + VEHICLE_FIELDS);
        }
        for (var f : given.entrySet()) {
            String name = f.getKey();
            String value = switch (name) {
                case "yearFrom", "yearTo" -> year(f.getValue(), name);
                case "notes" -> text(f.getValue(), name, 2000);
                case "scope" -> {
                    String s = text(f.getValue(), name, 10);
                    if (s != null && !s.equals("vehicle") && !s.equals("model")) {
                        throw new ApiException(400, "bad-field", "scope is vehicle (one physical vehicle: a"
                                + " prototype, a plate) or model");
                    }
                    yield s;
                }
                default -> text(f.getValue(), name, 120);
            };
            if (name.equals("label") && value == null) {
                throw new ApiException(400, "bad-field", "a vehicle keeps a label; rename it instead");
            }
            fields.put(name, value);
        }
        Catalogue.Details now = catalogue.details(vehicle, null);
        Integer from = fields.containsKey("yearFrom") ? parse(fields.get("yearFrom")) : now.yearFrom();
        Integer to = fields.containsKey("yearTo") ? parse(fields.get("yearTo")) : now.yearTo();
        if (from != null && to != null && from > to) {
            throw new ApiException(400, "bad-field", "yearFrom " + from + " is after yearTo " + to);
        }
    }

    private String existingVehicle(String id) {
        String canonical = catalogue.canonicalVehicle(id);
        if (catalogue.vehicle(canonical).isEmpty()) {
            throw new ApiException(404, "not-found", "no vehicle " + id);
        }
        return canonical;
    }

    private String existingFilm(String id) {
        String canonical = catalogue.canonicalFilm(id);
        if (catalogue.film(canonical).isEmpty()) {
            throw new ApiException(404, "not-found", "no film " + id);
        }
        return canonical;
    }

    private static void onlyFields(Map<String, Object> given, Set<String> allowed) {
        for (String name : given.keySet()) {
            if (!allowed.contains(name)) {
                throw new ApiException(400, "bad-field", "unknown field " + name + (allowed.isEmpty() ? ""
                        : "; this edit takes " + allowed));
            }
        }
    }

    /** A text value: trimmed, blank = null (back to the derived value), no control characters, at most max. */
    static String text(Object value, String name, int max) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new ApiException(400, "bad-field", name + " must be text");
        }
        String t = s.strip();
        if (t.isEmpty()) {
            return null;
        }
        if (t.length() > max) {
            throw new ApiException(400, "bad-field", name + " must be at most " + max + " characters");
        }
        boolean multiline = name.equals("notes");
        if (t.chars().anyMatch(c -> Character.isISOControl(c) && !(multiline && c == '\n'))) {
            throw new ApiException(400, "bad-field", name + " must not hold control characters");
        }
        return t;
    }

    private static String year(Object value, String name) {
        if (value == null || value instanceof String s && s.isBlank()) {
            return null;
        }
        Integer y = value instanceof Integer i ? i : value instanceof String s ? parse(s.strip()) : null;
        if (y == null || y < 1860 || y > 2100) {
            throw new ApiException(400, "bad-field", name + " must be a year in 1860..2100");
        }
        return String.valueOf(y);
    }

    private static Integer parse(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Alternative titles: a list of at most 20, one a line in the event. */
    private static String titles(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list) || list.size() > 20) {
            throw new ApiException(400, "bad-field", "alternativeTitles must be a list of at most 20 titles");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            String t = text(o, "alternativeTitles", 300);
            if (t != null && !out.contains(t)) {
                out.add(t);
            }
        }
        return out.isEmpty() ? null : String.join("\n", out);
    }
}
