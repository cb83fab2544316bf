package dev.reelcars.catalogue;

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
            changedVehicles.add(vehicle);
        }
        if (ref != null) {
            String vehicle = Names.vehicleId(ref.label());
            referencesByVehicle.computeIfAbsent(vehicle, k -> new LinkedHashSet<>()).add(referenceId);
            shownBlobs.merge(ref.blobKey(), 1, Integer::sum);
            changedVehicles.add(vehicle);
        }
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
                changedFilms.add(now.filmId());
            }
            now.stills().forEach(s -> shownBlobs.merge(identifications.get(s).still().blobKey(), 1, Integer::sum));
            changedVehicles.add(now.vehicleId());
        }
    }

    private void unindex(Appearance a) {
        appearancesByVehicle.getOrDefault(a.vehicleId(), Set.of()).remove(a.id().substring(2));
        changedVehicles.add(a.vehicleId());
        if (a.filmId() != null) {
            appearancesByFilm.getOrDefault(a.filmId(), Set.of()).remove(a.id().substring(2));
            changedFilms.add(a.filmId());
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
                Appearance.secondsOf(still.timecode()));
    }

    private static String groupOf(StillSubmitted still) {
        return still.duplicateOf() != null && !still.duplicateOf().isBlank() ? still.duplicateOf() : still.stillId();
    }

    // ---- reads ----

    synchronized int appearanceCount() {
        return appearances.size();
    }

    /** Every appearance, or a vehicle's or a film's (null: no filter), in film-year then timecode order. */
    synchronized List<Appearance> appearances(String vehicleId, String filmId) {
        List<Appearance> out;
        if (vehicleId != null || filmId != null) {
            Set<String> ids = vehicleId != null ? appearancesByVehicle.getOrDefault(vehicleId, Set.of())
                    : appearancesByFilm.getOrDefault(filmId, Set.of());
            out = new ArrayList<>(ids.size());
            for (String group : ids) {
                Appearance a = appearances.get(group);
                if (filmId == null || filmId.equals(a.filmId())) {
                    out.add(a);
                }
            }
        } else {
            out = new ArrayList<>(appearances.values());
        }
        out.sort(FILM_ORDER);
        return out;
    }

    static final Comparator<Appearance> FILM_ORDER = Comparator
            .comparing(Appearance::filmYear, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Appearance::filmId, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingLong(Appearance::timecodeSeconds)
            .thenComparing(Appearance::id);

    /** A vehicle: its record from the reference views and every appearance in film-year order. */
    synchronized Optional<Vehicle> vehicle(String id) {
        Set<String> refIds = referencesByVehicle.getOrDefault(id, Set.of());
        Set<String> seen = appearancesByVehicle.getOrDefault(id, Set.of());
        if (refIds.isEmpty() && seen.isEmpty()) {
            return Optional.empty();
        }
        List<ReferenceAdded> refs = referencesOf(id);
        List<Appearance> shown = appearances(id, null);
        Details d = details(refs, shown.isEmpty() ? null : shown.get(0).label());
        Integer first = shown.stream().map(Appearance::filmYear).filter(Objects::nonNull).min(Integer::compare)
                .orElse(null);
        Integer last = shown.stream().map(Appearance::filmYear).filter(Objects::nonNull).max(Integer::compare)
                .orElse(null);
        return Optional.of(new Vehicle(id, d.label(), d.make(), d.model(), d.year(), refs, shown, first, last));
    }

    /** A vehicle's label, make, model and year alone (the export's columns), without its appearances. */
    synchronized Details details(String vehicleId, String fallbackLabel) {
        return details(referencesOf(vehicleId), fallbackLabel);
    }

    private List<ReferenceAdded> referencesOf(String vehicleId) {
        return referencesByVehicle.getOrDefault(vehicleId, Set.of()).stream().map(references::get)
                .sorted(Comparator.comparing(ReferenceAdded::addedAt).thenComparing(ReferenceAdded::referenceId))
                .toList();
    }

    /** The newest view that says a make (or a model, a year) speaks for the vehicle. */
    private static Details details(List<ReferenceAdded> refs, String fallbackLabel) {
        String label = refs.isEmpty() ? fallbackLabel : refs.get(refs.size() - 1).label();
        String make = null;
        String model = null;
        Integer year = null;
        for (ReferenceAdded r : refs) {
            make = r.make() != null && !r.make().isBlank() ? r.make() : make;
            model = r.model() != null && !r.model().isBlank() ? r.model() : model;
            year = r.year() != null ? r.year() : year;
        }
        return new Details(label, make, model, year);
    }

    record Details(String label, String make, String model, Integer year) {
    }

    /** A film: its spellings (the one that names it first) and every appearance in timecode order. */
    synchronized Optional<Film> film(String id) {
        Set<String> ids = appearancesByFilm.getOrDefault(id, Set.of());
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        List<Appearance> shown = new ArrayList<>(ids.stream().map(appearances::get).toList());
        shown.sort(Comparator.comparingLong(Appearance::timecodeSeconds).thenComparing(Appearance::id));
        Map<String, Integer> spellings = new LinkedHashMap<>();
        shown.stream().sorted(Comparator.comparing(Appearance::confirmedAt))
                .forEach(a -> spellings.merge(a.filmTitle(), 1, Integer::sum));
        // The most used spelling names the film; between equals, one not typed in capitals, then one that keeps its
        // accents (AMELIE and Amelie lose to Amélie), then the first confirmed.
        List<String> titles = spellings.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(e -> e.getKey().equals(e.getKey().toUpperCase(java.util.Locale.ROOT)))
                        .thenComparing(e -> e.getKey().chars().allMatch(ch -> ch < 128)))
                .map(Map.Entry::getKey).toList();
        return Optional.of(new Film(id, titles.get(0), shown.get(0).filmYear(), titles, shown));
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

    /** A vehicle's record, reference views (oldest first) and appearances (film-year order). */
    record Vehicle(String id, String label, String make, String model, Integer year, List<ReferenceAdded> references,
            List<Appearance> appearances, Integer firstSeen, Integer lastSeen) {
    }

    /** A film with its spellings (most used first) and appearances (timecode order). */
    record Film(String id, String title, Integer year, List<String> titles, List<Appearance> appearances) {
    }
}
