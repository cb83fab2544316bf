package dev.reelcars.catalogue;

import dev.reelcars.events.CatalogueEdit;
import dev.reelcars.events.Consensus;
import dev.reelcars.events.Identification;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.ReviewDecision;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The catalogue, folded from the identifications, decisions, references and catalogue-edits topics. Pure and in
 * memory: the same events in any order give the same catalogue (a decision may arrive before its still's
 * identification), so it is rebuilt from Kafka at every start and is never a second source of truth.
 *
 * <p>An appearance is a piece of evidence (a still and its near-duplicates) that the {@link Consensus} rule
 * confirms, with the same number of agreeing reviewers notify requires. A vehicle is a label (its id the normalised
 * label) with the make, model and year of its reference views; a film is a title and year (its id the normalised
 * title, so spellings that differ only in accents, case or punctuation are one film).
 *
 * <p>This class is the one lock and the one door: each topic's events go in here, and every read comes out here.
 * The work is done by the parts it owns, one job each:
 * <ul>
 *   <li>the fold of the topics: {@link Evidence} (identifications and decisions into appearances),
 *       {@link ReferenceViews} (the gallery's views), {@link Edits} (reviewers' corrections, merges and aliases);</li>
 *   <li>what is confirmed and shown: {@link AppearanceIndex}, {@link ShownBlobs};</li>
 *   <li>the records readers see: {@link ShownAppearances}, {@link VehicleRecords}, {@link FilmRecords},
 *       {@link FilmHeaders}.</li>
 * </ul>
 *
 * <p>Every change marks the vehicles and films it touches, so the search index is updated for those alone
 * ({@link #drainChanged}).
 */
final class Catalogue {
    private final Evidence evidence;
    private final ReferenceViews references = new ReferenceViews();
    private final Edits edits = new Edits();
    private final AppearanceIndex appearances = new AppearanceIndex();
    private final ShownBlobs shownBlobs = new ShownBlobs();
    private final FilmHeaders filmHeaders = new FilmHeaders(edits, appearances);
    private final ShownAppearances shown = new ShownAppearances(edits, appearances, filmHeaders);
    private final VehicleRecords vehicles = new VehicleRecords(edits, references, appearances, shown);
    private final FilmRecords films = new FilmRecords(edits, appearances, shown, filmHeaders);
    private final Set<String> changedVehicles = new LinkedHashSet<>();
    private final Set<String> changedFilms = new LinkedHashSet<>();

    Catalogue(int consensus) {
        if (consensus < 1) {
            throw new IllegalArgumentException("consensus must be at least 1, got " + consensus);
        }
        this.evidence = new Evidence(consensus);
    }

    // ---- the topics in ----

    /** Applies an identification; a redelivered or older one changes nothing. */
    synchronized void apply(Identification identification) {
        evidence.apply(identification, this::recompute);
    }

    /** Applies a decision; one already applied (same decisionId) changes nothing. */
    synchronized void apply(ReviewDecision d) {
        String group = evidence.apply(d);
        if (group != null) {
            recompute(group);
        }
    }

    /** Applies a reference view; null (a tombstone) removes it. */
    synchronized void applyReference(String referenceId, ReferenceAdded ref) {
        ReferenceAdded old = references.apply(referenceId, ref);
        if (old != null) {
            shownBlobs.unshow(old.blobKey());
            markVehicle(Names.vehicleId(old.label()));
        }
        if (ref != null) {
            shownBlobs.show(ref.blobKey());
            markVehicle(Names.vehicleId(ref.label()));
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
                        for (Appearance a : appearances.ofVehicle(member)) {
                            if (a.filmId() != null) {
                                films.add(a.filmId());
                            }
                        }
                    }
                }
            }
            case FILM, FILM_MERGE, FILM_UNMERGE -> {
                for (String f : edit.into() == null ? List.of(edit.target()) : List.of(edit.target(), edit.into())) {
                    for (String member : edits.filmMembers(edits.canonicalFilm(f))) {
                        films.add(member);
                        for (Appearance a : appearances.ofFilm(member)) {
                            vehicles.add(a.vehicleId());
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
        filmHeaders.invalidate(canonical);
    }

    /** The group's appearance again, after its identifications or decisions changed. */
    private void recompute(String group) {
        Appearance before = appearances.remove(group);
        if (before != null) {
            markVehicle(before.vehicleId());
            if (before.filmId() != null) {
                markFilm(before.filmId());
            }
            for (String still : before.stills()) {
                String blobKey = evidence.blobKeyOf(still);
                if (blobKey != null) {
                    shownBlobs.unshow(blobKey);
                }
            }
        }
        Appearance now = evidence.appearance(group);
        if (now != null) {
            appearances.put(group, now);
            if (now.filmId() != null) {
                markFilm(now.filmId());
            }
            now.stills().forEach(s -> shownBlobs.show(evidence.blobKeyOf(s)));
            markVehicle(now.vehicleId());
        }
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
        return shown.of(vehicleId, filmId);
    }

    /** The id a merged or renamed vehicle resolves to (itself when it stands alone). */
    synchronized String canonicalVehicle(String id) {
        return edits.canonicalVehicle(id);
    }

    synchronized String canonicalFilm(String id) {
        return edits.canonicalFilm(id);
    }

    /** Whether an appearance (any frame of a shot) exists under this id. */
    synchronized boolean hasAppearance(String appearanceId) {
        return appearanceId.startsWith("a-") && appearances.contains(appearanceId.substring(2));
    }

    /** A vehicle: its record and every appearance in film-year order; empty for an unknown id or an alias. */
    synchronized Optional<Vehicle> vehicle(String id) {
        return vehicles.vehicle(id);
    }

    /** A vehicle's record (the export's columns), without its appearances; any id, an alias too. */
    synchronized Details details(String vehicleId, String fallbackLabel) {
        return vehicles.details(vehicleId, fallbackLabel);
    }

    /** A film: its record, spellings and every appearance in timecode order; empty for unknown ids and aliases. */
    synchronized Optional<Film> film(String id) {
        return films.film(id);
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
        return shownBlobs.shows(blobKey);
    }

    /** The vehicles and films changed since the last call, for the search index. */
    synchronized Changes drainChanged() {
        Changes c = new Changes(List.copyOf(changedVehicles), List.copyOf(changedFilms));
        changedVehicles.clear();
        changedFilms.clear();
        return c;
    }

    // ---- what readers get ----

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
