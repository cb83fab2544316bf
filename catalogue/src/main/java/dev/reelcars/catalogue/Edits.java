package dev.reelcars.catalogue;

import dev.reelcars.events.CatalogueEdit;
import dev.reelcars.events.CatalogueEdit.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reviewers' corrections, folded from the catalogue-edits topic in its (one partition's) order: overrides of
 * appearance prominence and of vehicle and film fields, and aliases (a merged or renamed vehicle or film keeps its
 * id, which then resolves to the one it became part of). Kept apart from what the other topics say, so a
 * correction wins over the derived value whenever either arrives, and clearing it (a null field) brings the derived
 * value back.
 *
 * <p>Every applied edit keeps its inverse, so undo is a new edit built from it (naming the edit in {@code undoes});
 * an undo of a merge that broke a cycle also puts back the link that merge removed. Not thread-safe: the
 * {@link Catalogue} owns it and guards it.
 */
final class Edits {
    /** Longest alias chain followed; longer ones (impossible unless the topic was written by hand) stop there. */
    private static final int MAX_CHAIN = 64;

    private final Map<String, Override> prominence = new HashMap<>();
    private final Map<String, Map<String, String>> vehicleFields = new HashMap<>();
    private final Map<String, Map<String, String>> filmFields = new HashMap<>();
    private final Map<String, Alias> vehicleAliases = new HashMap<>();
    private final Map<String, Alias> filmAliases = new HashMap<>();
    private final Map<String, Applied> history = new LinkedHashMap<>();
    private final Map<String, List<String>> historyByTarget = new HashMap<>();
    private long sequence;

    /** A prominence set by a reviewer, with its place in the edits' order (the latest of a shot's wins). */
    record Override(Appearance.Prominence value, long sequence) {
    }

    /** The target is part of {@code into}; {@code label} names the merged vehicle when the merge was a rename. */
    record Alias(String into, String label, long sequence) {
    }

    /**
     * An applied edit and what undoes it: the kind, target, fields and into of the edit that restores the state
     * before it. {@code dropped}: the link a merge removed to avoid a cycle (renaming back), which its undo puts back;
     * null when it removed none.
     */
    record Applied(CatalogueEdit edit, Kind inverseKind, String inverseTarget, Map<String, String> inverseFields,
            String inverseInto, long sequence, Dropped dropped) {
        Applied(CatalogueEdit edit, Kind inverseKind, String inverseTarget, Map<String, String> inverseFields,
                String inverseInto, long sequence) {
            this(edit, inverseKind, inverseTarget, inverseFields, inverseInto, sequence, null);
        }
    }

    /** A link {@code id → alias.into()} a merge removed, as it was (its label and place in the order too). */
    record Dropped(String id, Alias alias) {
    }

    boolean applied(String editId) {
        return history.containsKey(editId);
    }

    Applied get(String editId) {
        return history.get(editId);
    }

    /** The edits about these ids, oldest first, each once (a merge is listed under both ids it joins). */
    List<Applied> historyOf(Set<String> targets) {
        Set<String> ids = new LinkedHashSet<>();
        for (String t : targets) {
            ids.addAll(historyByTarget.getOrDefault(t, List.of()));
        }
        List<Applied> out = new ArrayList<>();
        for (String id : ids) {
            out.add(history.get(id));
        }
        out.sort(java.util.Comparator.comparingLong(Applied::sequence));
        return out;
    }

    /** Applies an edit; a redelivered one (same editId) changes nothing and returns false. */
    boolean apply(CatalogueEdit e) {
        if (history.containsKey(e.editId())) {
            return false;
        }
        long seq = ++sequence;
        Applied applied = switch (e.kind()) {
            case PROMINENCE -> {
                Override before = prominence.get(e.target());
                String value = e.fields().get("prominence");
                Appearance.Prominence p = value == null ? null : Appearance.Prominence.parse(value);
                if (p == null) {
                    prominence.remove(e.target());
                } else {
                    prominence.put(e.target(), new Override(p, seq));
                }
                Map<String, String> inverse = new LinkedHashMap<>();
                inverse.put("prominence", before == null ? null : before.value().wire());
                yield new Applied(e, Kind.PROMINENCE, e.target(), inverse, null, seq);
            }
            case VEHICLE -> new Applied(e, Kind.VEHICLE, e.target(), setFields(vehicleFields, e), null, seq);
            case FILM -> new Applied(e, Kind.FILM, e.target(), setFields(filmFields, e), null, seq);
            case VEHICLE_MERGE -> merge(vehicleAliases, e, Kind.VEHICLE_UNMERGE, seq);
            case FILM_MERGE -> merge(filmAliases, e, Kind.FILM_UNMERGE, seq);
            case VEHICLE_UNMERGE -> unmerge(vehicleAliases, e, Kind.VEHICLE_MERGE, seq);
            case FILM_UNMERGE -> unmerge(filmAliases, e, Kind.FILM_MERGE, seq);
        };
        String restored = restoreDropped(e);
        history.put(e.editId(), applied);
        historyByTarget.computeIfAbsent(e.target(), k -> new ArrayList<>()).add(e.editId());
        // Listed under every id it touched: an unmerge also under the one the target left.
        for (String other : new LinkedHashSet<>(java.util.Arrays.asList(e.into(), applied.inverseInto(), restored))) {
            if (other != null && !other.equals(e.target())) {
                historyByTarget.computeIfAbsent(other, k -> new ArrayList<>()).add(e.editId());
            }
        }
        return true;
    }

    /**
     * An undo of a merge that broke a cycle puts the link it removed back, as it was, so the undo restores exactly
     * the state before that merge (the undo's own kind, target and into restore the target's alias). Done from the
     * undone edit's record, which every reader of the topic has applied before: a rebuild restores the same. Left
     * out when later edits gave that id another link, or when it would make a cycle.
     */
    private String restoreDropped(CatalogueEdit e) {
        Applied undone = e.undoes() == null ? null : history.get(e.undoes());
        if (undone == null || undone.dropped() == null) {
            return null;
        }
        Map<String, Alias> aliases = switch (undone.edit().kind()) {
            case VEHICLE_MERGE -> vehicleAliases;
            case FILM_MERGE -> filmAliases;
            default -> null;
        };
        Dropped d = undone.dropped();
        if (aliases == null || aliases.containsKey(d.id()) || canonical(aliases, d.alias().into()).equals(d.id())) {
            return null;
        }
        aliases.put(d.id(), d.alias());
        return d.id();
    }

    private static Map<String, String> setFields(Map<String, Map<String, String>> all, CatalogueEdit e) {
        Map<String, String> current = all.computeIfAbsent(e.target(), k -> new HashMap<>());
        Map<String, String> inverse = new LinkedHashMap<>();
        e.fields().forEach((name, value) -> {
            inverse.put(name, current.get(name));
            if (value == null) {
                current.remove(name);
            } else {
                current.put(name, value);
            }
        });
        if (current.isEmpty()) {
            all.remove(e.target());
        }
        return inverse;
    }

    private static Applied merge(Map<String, Alias> aliases, CatalogueEdit e, Kind inverse, long seq) {
        Alias before = aliases.get(e.target());
        // Merging into something that (through its own aliases) is part of the target would make a cycle: the link
        // that points at the target gives way, so "rename back" works and every id still resolves.
        String node = e.into();
        Dropped dropped = null;
        for (int i = 0; i < MAX_CHAIN && node != null; i++) {
            Alias next = aliases.get(node);
            if (next != null && next.into().equals(e.target())) {
                dropped = new Dropped(node, aliases.remove(node));
                break;
            }
            node = next == null ? null : next.into();
        }
        if (!e.into().equals(e.target())) {
            aliases.put(e.target(), new Alias(e.into(), e.fields().get("label"), seq));
        }
        if (before == null) {
            return new Applied(e, inverse, e.target(), Map.of(), null, seq, dropped);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (before.label() != null) {
            fields.put("label", before.label());
        }
        return new Applied(e, e.kind(), e.target(), fields, before.into(), seq, dropped);
    }

    private static Applied unmerge(Map<String, Alias> aliases, CatalogueEdit e, Kind inverse, long seq) {
        Alias before = aliases.remove(e.target());
        if (before == null) {
            // Nothing to undo: its inverse is itself (still standing alone).
            return new Applied(e, e.kind(), e.target(), Map.of(), null, seq);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (before.label() != null) {
            fields.put("label", before.label());
        }
        return new Applied(e, inverse, e.target(), fields, before.into(), seq);
    }

    // ---- reads ----

    Override prominence(String appearanceId) {
        return prominence.get(appearanceId);
    }

    Map<String, String> vehicleFields(String vehicleId) {
        return vehicleFields.getOrDefault(vehicleId, Map.of());
    }

    Map<String, String> filmFields(String filmId) {
        return filmFields.getOrDefault(filmId, Map.of());
    }

    String canonicalVehicle(String id) {
        return canonical(vehicleAliases, id);
    }

    String canonicalFilm(String id) {
        return id == null ? null : canonical(filmAliases, id);
    }

    boolean isVehicleAlias(String id) {
        return vehicleAliases.containsKey(id);
    }

    boolean isFilmAlias(String id) {
        return filmAliases.containsKey(id);
    }

    /** The canonical id and every id merged into it, the canonical first, then in merge order. */
    Set<String> vehicleMembers(String canonical) {
        return members(vehicleAliases, canonical);
    }

    Set<String> filmMembers(String canonical) {
        return members(filmAliases, canonical);
    }

    /** The name the latest rename into this vehicle gave it, or null. */
    String renamedLabel(String canonical) {
        Alias latest = null;
        for (String member : vehicleMembers(canonical)) {
            Alias a = vehicleAliases.get(member);
            if (a != null && a.label() != null && (latest == null || a.sequence() > latest.sequence())) {
                latest = a;
            }
        }
        return latest == null ? null : latest.label();
    }

    private static String canonical(Map<String, Alias> aliases, String id) {
        String node = id;
        for (int i = 0; i < MAX_CHAIN; i++) {
            Alias a = aliases.get(node);
            if (a == null) {
                return node;
            }
            node = a.into();
        }
        return node;
    }

    private static Set<String> members(Map<String, Alias> aliases, String canonical) {
        Set<String> out = new LinkedHashSet<>();
        out.add(canonical);
        if (aliases.isEmpty()) {
            return out;
        }
        aliases.entrySet().stream().sorted(java.util.Comparator.comparingLong(en -> en.getValue().sequence()))
                .filter(en -> canonical(aliases, en.getKey()).equals(canonical))
                .forEach(en -> out.add(en.getKey()));
        return out;
    }
}
