package dev.reelcars.catalogue;

import dev.reelcars.events.CatalogueEdit;
import dev.reelcars.events.Consensus;
import dev.reelcars.events.Identification;
import dev.reelcars.events.Point;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.events.StillSubmitted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The catalogue, folded from the identifications, decisions and references topics. Pure and in memory: the same
 * events in any order give the same catalogue (a decision may arrive before its still's identification), so it is
 * rebuilt from Kafka at every start and is never a second source of truth.
 *
 * <p>An appearance is a piece of evidence (a still and its near-duplicates) that the {@link Consensus} rule
 * confirms, with the same number of agreeing reviewers notify requires. A vehicle is a label (its id the normalised
 * label) with the make, model and year of its reference views; a film is a title and year (its id the normalised
 * title, so spellings that differ only in accents, case or punctuation are one film).
 *
 * <p>Every change marks the vehicles and films it touches, so the search index is updated for those alone
 * ({@link #drainChanged}).
 */
final class Catalogue {
    private final int consensus;
    /** Each still's latest identification, as much of it as the catalogue shows (not the inlier samples). */
    private final Map<String, Seen> identifications = new HashMap<>();
    private final Map<String, Map<String, ReviewDecision>> decisions = new HashMap<>();
    private final Map<String, Set<String>> groups = new HashMap<>();
    private final Map<String, ReferenceAdded> references = new HashMap<>();
    private final Map<String, Set<String>> referencesByVehicle = new HashMap<>();
    private final Map<String, Appearance> appearances = new HashMap<>();
    private final Map<String, Set<String>> appearancesByVehicle = new HashMap<>();
    private final Map<String, Set<String>> appearancesByFilm = new HashMap<>();
    /** How many appearances or reference views show each blob: only those are served. */
    private final Map<String, Integer> shownBlobs = new HashMap<>();
    private final Set<String> changedVehicles = new LinkedHashSet<>();
    private final Set<String> changedFilms = new LinkedHashSet<>();
    private final Edits edits = new Edits();
    /** Each canonical film's shown title and year, made on first read and dropped whenever the film changes. */
    private final Map<String, FilmHeader> filmHeaders = new HashMap<>();

    Catalogue(int consensus) {
        if (consensus < 1) {
            throw new IllegalArgumentException("consensus must be at least 1, got " + consensus);
        }
        this.consensus = consensus;
    }

    /** Applies an identification; a redelivered or older one changes nothing. */
    synchronized void apply(Identification identification) {
        Seen id = Seen.of(identification);
        Seen old = identifications.get(id.still().stillId());
        if (old != null && (old.equals(id) || old.identifiedAt().isAfter(id.identifiedAt()))) {
            return;
        }
        if (old != null && !groupOf(old.still()).equals(groupOf(id.still()))) {
            groups.getOrDefault(groupOf(old.still()), Set.of()).remove(id.still().stillId());
            recompute(groupOf(old.still()));
        }
        identifications.put(id.still().stillId(), id);
        groups.computeIfAbsent(groupOf(id.still()), k -> new LinkedHashSet<>()).add(id.still().stillId());
        recompute(groupOf(id.still()));
    }

    /** Applies a decision; one already applied (same decisionId) changes nothing. */
    synchronized void apply(ReviewDecision d) {
        if (decisions.computeIfAbsent(d.stillId(), k -> new LinkedHashMap<>()).putIfAbsent(d.decisionId(), d) != null) {
            return;
        }
        Seen id = identifications.get(d.stillId());
        recompute(id == null ? d.stillId() : groupOf(id.still()));
    }

    /** Applies a reference view; null (a tombstone) removes it. */
    synchronized void applyReference(String referenceId, ReferenceAdded ref) {
        ReferenceAdded old = ref == null ? references.remove(referenceId) : references.put(referenceId, ref);
        if (old != null) {
            String vehicle = Names.vehicleId(old.label());
            referencesByVehicle.getOrDefault(vehicle, Set.of()).remove(referenceId);
            unshow(old.blobKey());
            markVehicle(vehicle);
        }
        if (ref != null) {
            String vehicle = Names.vehicleId(ref.label());
            referencesByVehicle.computeIfAbsent(vehicle, k -> new LinkedHashSet<>()).add(referenceId);
            shownBlobs.merge(ref.blobKey(), 1, Integer::sum);
            markVehicle(vehicle);
        }
    }

    /**
     * Applies a reviewer's edit (in the edits topic's order); a redelivered one changes nothing. Wakes anyone
     * waiting for it ({@link #awaitEdit}).
     */
    synchronized void apply(CatalogueEdit edit) {
        Set<String> vehicles = new LinkedHashSet<>();
        Set<String> films = new LinkedHashSet<>();
        touched(edit, vehicles, films);
        if (!edits.apply(edit)) {
            return;
        }
        touched(edit, vehicles, films);
        filmHeaders.clear();
        vehicles.forEach(this::markVehicle);
        films.forEach(this::markFilm);
        notifyAll();
    }

    /** Every vehicle and film whose page or index entry an edit may change, before and after it. */
    private void touched(CatalogueEdit edit, Set<String> vehicles, Set<String> films) {
        switch (edit.kind()) {
            case PROMINENCE -> {
                Appearance a = appearances.get(edit.target().startsWith("a-") ? edit.target().substring(2) : "");
                if (a != null) {
                    vehicles.add(a.vehicleId());
                    if (a.filmId() != null) {
                        films.add(a.filmId());
                    }
                }
            }
            case VEHICLE, VEHICLE_MERGE, VEHICLE_UNMERGE -> {
                for (String v : edit.into() == null ? List.of(edit.target()) : List.of(edit.target(), edit.into())) {
                    String canonical = edits.canonicalVehicle(v);
                    for (String member : edits.vehicleMembers(canonical)) {
                        vehicles.add(member);
                        // Films list their vehicles' makes (the make filter) and names.
                        for (String group : appearancesByVehicle.getOrDefault(member, Set.of())) {
                            String film = appearances.get(group).filmId();
                            if (film != null) {
                                films.add(film);
                            }
                        }
                    }
                }
            }
            case FILM, FILM_MERGE, FILM_UNMERGE -> {
                for (String f : edit.into() == null ? List.of(edit.target()) : List.of(edit.target(), edit.into())) {
                    for (String member : edits.filmMembers(edits.canonicalFilm(f))) {
                        films.add(member);
                        for (String group : appearancesByFilm.getOrDefault(member, Set.of())) {
                            vehicles.add(appearances.get(group).vehicleId());
                        }
                    }
                }
            }
        }
    }

    /**
     * Waits until the edit has been applied (read back from the topic), at most {@code millis}: a reviewer's
     * request answers once its change is visible.
     */
    synchronized boolean awaitEdit(String editId, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!edits.applied(editId)) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    private void markVehicle(String vehicle) {
        changedVehicles.add(vehicle);
        changedVehicles.add(edits.canonicalVehicle(vehicle));
    }

    private void markFilm(String film) {
        String canonical = edits.canonicalFilm(film);
        changedFilms.add(film);
        changedFilms.add(canonical);
        filmHeaders.remove(canonical);
    }

    private void recompute(String group) {
        Appearance before = appearances.remove(group);
        if (before != null) {
            unindex(before);
        }
        Appearance now = evaluate(group);
        if (now != null) {
            appearances.put(group, now);
            appearancesByVehicle.computeIfAbsent(now.vehicleId(), k -> new LinkedHashSet<>()).add(group);
            if (now.filmId() != null) {
                appearancesByFilm.computeIfAbsent(now.filmId(), k -> new LinkedHashSet<>()).add(group);
                markFilm(now.filmId());
            }
            now.stills().forEach(s -> shownBlobs.merge(identifications.get(s).still().blobKey(), 1, Integer::sum));
            markVehicle(now.vehicleId());
        }
    }

    private void unindex(Appearance a) {
        appearancesByVehicle.getOrDefault(a.vehicleId(), Set.of()).remove(a.id().substring(2));
        markVehicle(a.vehicleId());
        if (a.filmId() != null) {
            appearancesByFilm.getOrDefault(a.filmId(), Set.of()).remove(a.id().substring(2));
            markFilm(a.filmId());
        }
        for (String still : a.stills()) {
            Seen id = identifications.get(still);
            if (id != null) {
                unshow(id.still().blobKey());
            }
        }
    }

    private void unshow(String blobKey) {
        shownBlobs.computeIfPresent(blobKey, (k, n) -> n == 1 ? null : n - 1);
    }

    /** The group's appearance when the consensus rule confirms it and a still of it has been identified. */
    private Appearance evaluate(String group) {
        Set<String> members = new LinkedHashSet<>();
        members.add(group);
        members.addAll(groups.getOrDefault(group, Set.of()));
        List<ReviewDecision> all = new ArrayList<>();
        for (String still : members) {
            all.addAll(decisions.getOrDefault(still, Map.of()).values());
        }
        if (all.isEmpty()) {
            return null;
        }
        Consensus.Outcome o = Consensus.evaluate(all, consensus);
        if (o.state() != Consensus.State.CONFIRMED) {
            return null;
        }
        members.removeIf(s -> !identifications.containsKey(s));
        if (members.isEmpty()) {
            return null;
        }
        Seen shown = identifications.getOrDefault(o.confirmedStill(),
                identifications.get(members.iterator().next()));
        StillSubmitted still = shown.still();
        String label = o.label();
        List<Point> outline = shown.candidates().stream()
                .filter(c -> Objects.equals(c.referenceId(), o.referenceId())
                        || Consensus.normalise(c.label()).equals(Consensus.normalise(label)))
                .findFirst().map(Match::outline).orElse(List.of());
        List<ReviewDecision> confirming = o.votes().values().stream()
                .filter(v -> v.verdict() == ReviewDecision.Verdict.CONFIRM
                        && Consensus.normalise(v.label()).equals(Consensus.normalise(label)))
                .sorted(Comparator.comparing(ReviewDecision::decidedAt).thenComparing(ReviewDecision::reviewer))
                .toList();
        // The rule confirms only with confirming votes in the round; the fallback keeps a surprise from failing
        // the record.
        Instant confirmedAt = confirming.isEmpty() ? all.stream().map(ReviewDecision::decidedAt)
                .max(Comparator.naturalOrder()).orElseThrow() : confirming.get(confirming.size() - 1).decidedAt();
        String film = still.film() == null || still.film().isBlank() ? null : still.film().trim();
        return new Appearance("a-" + group, List.copyOf(members), still.stillId(), still.blobKey(), still.width(),
                still.height(), outline, Names.vehicleId(label), label, o.referenceId(),
                film == null ? null : Names.filmId(film, still.year()), film, still.year(), still.timecode(),
                still.note(), still.contributor(), confirming.stream().map(ReviewDecision::reviewer).toList(),
                confirmedAt, Appearance.Prominence.of(outline, still.width(), still.height()),
                Appearance.secondsOf(still.timecode()), still.clipId(), null);
    }

    private static String groupOf(StillSubmitted still) {
        return still.duplicateOf() != null && !still.duplicateOf().isBlank() ? still.duplicateOf() : still.stillId();
    }

    // ---- reads ----

    synchronized int appearanceCount() {
        return appearances.size();
    }

    /**
     * Every appearance, or a vehicle's or a film's (null: no filter; an alias reads as the id it resolves to), as
     * shown (canonical ids, reviewers' prominence, a shot's frames merged), in film-year then timecode order.
     */
    synchronized List<Appearance> appearances(String vehicleId, String filmId) {
        List<Appearance> raw = new ArrayList<>();
        if (vehicleId != null) {
            for (String member : edits.vehicleMembers(edits.canonicalVehicle(vehicleId))) {
                appearancesByVehicle.getOrDefault(member, Set.of()).forEach(g -> raw.add(appearances.get(g)));
            }
        } else if (filmId != null) {
            for (String member : edits.filmMembers(edits.canonicalFilm(filmId))) {
                appearancesByFilm.getOrDefault(member, Set.of()).forEach(g -> raw.add(appearances.get(g)));
            }
        } else {
            raw.addAll(appearances.values());
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
        String title = film == null ? a.filmTitle() : header(film).title();
        Edits.Override o = edits.prominence(a.id());
        return a.shownAs(edits.canonicalVehicle(a.vehicleId()), film, title, o == null ? a.prominence() : o.value());
    }

    static final Comparator<Appearance> FILM_ORDER = Comparator
            .comparing(Appearance::filmYear, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Appearance::filmId, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingLong(Appearance::timecodeSeconds)
            .thenComparing(Appearance::id);

    /** The id a merged or renamed vehicle resolves to (itself when it stands alone). */
    synchronized String canonicalVehicle(String id) {
        return edits.canonicalVehicle(id);
    }

    synchronized String canonicalFilm(String id) {
        return edits.canonicalFilm(id);
    }

    /** Whether an appearance (any frame of a shot) exists under this id. */
    synchronized boolean hasAppearance(String appearanceId) {
        return appearanceId.startsWith("a-") && appearances.containsKey(appearanceId.substring(2));
    }

    /** A vehicle: its record and every appearance in film-year order; empty for an unknown id or an alias. */
    synchronized Optional<Vehicle> vehicle(String id) {
        if (edits.isVehicleAlias(id)) {
            return Optional.empty();
        }
        Set<String> members = edits.vehicleMembers(id);
        boolean known = false;
        for (String m : members) {
            known |= !referencesByVehicle.getOrDefault(m, Set.of()).isEmpty()
                    || !appearancesByVehicle.getOrDefault(m, Set.of()).isEmpty();
        }
        if (!known) {
            return Optional.empty();
        }
        List<ReferenceAdded> refs = referencesOf(members);
        List<Appearance> shown = appearances(id, null);
        Details d = details(id, members, refs, shown.isEmpty() ? null : shown.get(0).label());
        Integer first = shown.stream().map(Appearance::filmYear).filter(Objects::nonNull).min(Integer::compare)
                .orElse(null);
        Integer last = shown.stream().map(Appearance::filmYear).filter(Objects::nonNull).max(Integer::compare)
                .orElse(null);
        List<String> aliases = members.stream().skip(1).toList();
        return Optional.of(new Vehicle(id, d, refs, shown, first, last, aliases));
    }

    /** A vehicle's record (the export's columns), without its appearances; any id, an alias too. */
    synchronized Details details(String vehicleId, String fallbackLabel) {
        String id = edits.canonicalVehicle(vehicleId);
        Set<String> members = edits.vehicleMembers(id);
        return details(id, members, referencesOf(members), fallbackLabel);
    }

    private List<ReferenceAdded> referencesOf(Set<String> members) {
        List<ReferenceAdded> out = new ArrayList<>();
        for (String m : members) {
            referencesByVehicle.getOrDefault(m, Set.of()).forEach(r -> out.add(references.get(r)));
        }
        if (out.size() > 1) {
            out.sort(Comparator.comparing(ReferenceAdded::addedAt).thenComparing(ReferenceAdded::referenceId));
        }
        return out;
    }

    /**
     * The record: a reviewer's value for each field wins (the vehicle's own, then those of vehicles merged into
     * it); otherwise the newest reference view that says a make (or a model, a year) speaks for the vehicle.
     */
    private Details details(String id, Set<String> members, List<ReferenceAdded> refs, String fallbackLabel) {
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
        java.util.Collections.reverse(order);
        for (String m : order) {
            f.putAll(edits.vehicleFields(m));
        }
        String renamed = edits.renamedLabel(id);
        return new Details(f.getOrDefault("label", renamed != null ? renamed : label), f.getOrDefault("make", make),
                f.getOrDefault("model", model), f.get("variant"), f.containsKey("yearFrom") ? year(f.get("yearFrom"))
                : year, year(f.get("yearTo")), f.get("country"), f.get("scope"), f.get("notes"));
    }

    /** A year field as the edit API wrote it; anything else (a hand-written record) reads as no year. */
    private static Integer year(String value) {
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A vehicle's record. {@code yearFrom} is the first year of production (a reviewer's, else a reference view's
     * year); a film older than it shows the vehicle before it was made (an anachronism).
     */
    record Details(String label, String make, String model, String variant, Integer yearFrom, Integer yearTo,
            String country, String scope, String notes) {
        boolean anachronism(Integer filmYear) {
            return filmYear != null && yearFrom != null && filmYear < yearFrom;
        }
    }

    /** A film: its record, spellings and every appearance in timecode order; empty for unknown ids and aliases. */
    synchronized Optional<Film> film(String id) {
        if (edits.isFilmAlias(id)) {
            return Optional.empty();
        }
        Set<String> members = edits.filmMembers(id);
        if (members.stream().allMatch(m -> appearancesByFilm.getOrDefault(m, Set.of()).isEmpty())) {
            return Optional.empty();
        }
        List<Appearance> shown = new ArrayList<>(appearances(null, id));
        shown.sort(Comparator.comparingLong(Appearance::timecodeSeconds).thenComparing(Appearance::id));
        FilmHeader h = header(id);
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
        return Optional.of(new Film(id, h.title(), h.year(), List.copyOf(titles), f.get("originalTitle"),
                alternatives, f.get("country"), shown, members.stream().skip(1).toList()));
    }

    /** A film's shown title (a reviewer's, else its most used spelling) and year, cached until it changes. */
    private FilmHeader header(String canonical) {
        FilmHeader cached = filmHeaders.get(canonical);
        if (cached != null) {
            return cached;
        }
        List<Appearance> raw = new ArrayList<>();
        for (String member : edits.filmMembers(canonical)) {
            appearancesByFilm.getOrDefault(member, Set.of()).forEach(g -> raw.add(appearances.get(g)));
        }
        Map<String, Integer> spellings = new LinkedHashMap<>();
        raw.stream().sorted(Comparator.comparing(Appearance::confirmedAt).thenComparing(Appearance::id))
                .forEach(a -> spellings.merge(a.filmTitle(), 1, Integer::sum));
        // The most used spelling names the film; between equals, one not typed in capitals, then one that keeps its
        // accents (AMELIE and Amelie lose to Amélie), then the first confirmed.
        List<String> titles = spellings.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(e -> e.getKey().equals(e.getKey().toUpperCase(java.util.Locale.ROOT)))
                        .thenComparing(e -> e.getKey().chars().allMatch(ch -> ch < 128)))
                .map(Map.Entry::getKey).toList();
        // The film's own year, unless only films merged into it have appearances.
        Integer year = raw.stream().filter(a -> canonical.equals(a.filmId())).map(Appearance::filmYear).findFirst()
                .orElse(raw.isEmpty() ? null : raw.get(0).filmYear());
        String override = edits.filmFields(canonical).get("title");
        FilmHeader h = new FilmHeader(override != null ? override : titles.isEmpty() ? canonical : titles.get(0),
                year, titles);
        filmHeaders.put(canonical, h);
        return h;
    }

    private record FilmHeader(String title, Integer year, List<String> spellings) {
    }

    /** The edits about a vehicle, film or appearance (and the ids merged into it), oldest first. */
    synchronized List<Edits.Applied> editsOf(String id) {
        Set<String> targets = new LinkedHashSet<>();
        targets.add(id);
        targets.addAll(edits.vehicleMembers(id));
        targets.addAll(edits.filmMembers(id));
        return edits.historyOf(targets);
    }

    synchronized Edits.Applied edit(String editId) {
        return edits.get(editId);
    }

    /** Whether a blob is shown by the catalogue (a confirmed still or a reference view): only those are served. */
    synchronized boolean shows(String blobKey) {
        return shownBlobs.containsKey(blobKey);
    }

    /** The vehicles and films changed since the last call, for the search index. */
    synchronized Changes drainChanged() {
        Changes c = new Changes(List.copyOf(changedVehicles), List.copyOf(changedFilms));
        changedVehicles.clear();
        changedFilms.clear();
        return c;
    }

    /** What the catalogue keeps of an identification: the still, when, and each candidate's outline. */
    private record Seen(StillSubmitted still, Instant identifiedAt, List<Match> candidates) {
        static Seen of(Identification id) {
            return new Seen(id.still(), id.identifiedAt(), id.candidates().stream()
                    .map(c -> new Match(c.referenceId(), c.label(), c.outline())).toList());
        }
    }

    private record Match(String referenceId, String label, List<Point> outline) {
    }

    record Changes(List<String> vehicles, List<String> films) {
        boolean isEmpty() {
            return vehicles.isEmpty() && films.isEmpty();
        }
    }

    /**
     * A vehicle's record, reference views (oldest first), appearances (film-year order) and the ids merged into it
     * (which resolve to it).
     */
    record Vehicle(String id, Details details, List<ReferenceAdded> references, List<Appearance> appearances,
            Integer firstSeen, Integer lastSeen, List<String> aliases) {
        String label() {
            return details.label();
        }
    }

    /** A film with its titles (shown title first, then the original, the spellings used, the alternatives). */
    record Film(String id, String title, Integer year, List<String> titles, String originalTitle,
            List<String> alternativeTitles, String country, List<Appearance> appearances, List<String> aliases) {
    }
}
