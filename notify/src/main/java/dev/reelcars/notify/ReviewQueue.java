package dev.reelcars.notify;

import dev.reelcars.events.Candidate;
import dev.reelcars.events.Consensus;
import dev.reelcars.events.Identification;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.events.StillSubmitted;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The review state, folded from the identifications, decisions and references topics. Pure and in memory: no Kafka
 * here, so the same events in give the same queue out, whatever order the topics are read in (a decision may arrive
 * before its still's identification; statuses are computed when asked).
 *
 * <p>One task per still: a redelivered identification changes nothing, a newer one replaces the older. A still and
 * its near-duplicates ({@code StillSubmitted.duplicateOf}) form one piece of evidence: their decisions are counted
 * together by {@link Consensus}.
 */
public final class ReviewQueue {
    /** Identifications kept per still for its story (retro-matching can add one per new reference). */
    static final int HISTORY = 20;
    /** Decided stills listed for a reviewer to look at again or reopen. */
    static final int RECENT = 20;
    /**
     * The label of a "no vehicle / not identifiable" decision: a REJECT with this label, once agreed by consensus,
     * clears an unidentified still (no longer listed for naming, not re-matched); a later identification with
     * candidates brings it back.
     */
    public static final String NO_VEHICLE = "no vehicle";
    private static final String NO_VEHICLE_TARGET = "label:" + NO_VEHICLE;
    private final int consensus;
    private final Map<String, Identification> identifications = new LinkedHashMap<>();
    private final Map<String, List<Identification>> history = new HashMap<>();
    private final Map<String, Map<String, ReviewDecision>> decisions = new HashMap<>();
    private final Map<String, Set<String>> groups = new HashMap<>();
    private final Map<String, ReferenceAdded> references = new LinkedHashMap<>();
    /** The model's first production year each view gives ({@code yearFrom}), by normalised label, then view id. */
    private final Map<String, Map<String, Integer>> firstBuilt = new HashMap<>();

    public ReviewQueue(int consensus) {
        if (consensus < 1) {
            throw new IllegalArgumentException("consensus must be at least 1, got " + consensus);
        }
        this.consensus = consensus;
    }

    /** What a still is waiting for. */
    public enum Status { PENDING, DISPUTED, CONFIRMED, REJECTED, UNIDENTIFIED }

    /** Applies an identification; returns false when it changes nothing (a redelivery or an older result). */
    public synchronized boolean apply(Identification id) {
        Identification old = identifications.get(id.stillId());
        if (old != null && (old.equals(id) || old.identifiedAt().isAfter(id.identifiedAt()))) {
            return false;
        }
        if (old != null) {
            groups.getOrDefault(groupOf(old.still()), Set.of()).remove(id.stillId());
        }
        identifications.put(id.stillId(), id);
        List<Identification> past = history.computeIfAbsent(id.stillId(), k -> new ArrayList<>());
        past.add(id);
        if (past.size() > HISTORY) {
            past.remove(0);
        }
        groups.computeIfAbsent(groupOf(id.still()), k -> new LinkedHashSet<>()).add(id.stillId());
        return true;
    }

    /** The decision with this id on this still, if it was applied (a client's retry of a decision it sent). */
    public synchronized Optional<ReviewDecision> decision(String stillId, String decisionId) {
        return Optional.ofNullable(decisions.getOrDefault(stillId, Map.of()).get(decisionId));
    }

    /** Applies a decision; returns false for one already applied (same decisionId). */
    public synchronized boolean apply(ReviewDecision d) {
        return decisions.computeIfAbsent(d.stillId(), k -> new LinkedHashMap<>()).putIfAbsent(d.decisionId(), d) == null;
    }

    /** Applies a reference (null value: the reference was removed); returns true when its id is new. */
    public synchronized boolean applyReference(String referenceId, ReferenceAdded ref) {
        ReferenceAdded old = ref == null ? references.remove(referenceId) : references.put(referenceId, ref);
        if (old != null) {
            Map<String, Integer> years = firstBuilt.get(Consensus.normalise(old.label()));
            if (years != null && years.remove(referenceId) != null && years.isEmpty()) {
                firstBuilt.remove(Consensus.normalise(old.label()));
            }
        }
        if (ref != null && ref.yearFrom() != null) {
            firstBuilt.computeIfAbsent(Consensus.normalise(ref.label()), k -> new HashMap<>())
                    .put(referenceId, ref.yearFrom());
        }
        return ref != null && old == null;
    }

    /**
     * The model's first production year as the gallery gives it (the earliest {@code yearFrom} of the label's
     * views), or null when no view gives one. The same rule as {@link VehicleRecord#yearFrom()}.
     */
    private Integer firstBuiltYear(String label) {
        Map<String, Integer> years = label == null ? null : firstBuilt.get(Consensus.normalise(label));
        return years == null || years.isEmpty() ? null : java.util.Collections.min(years.values());
    }

    /** A candidate for a film made before its model was first built: flagged, and ranked after the others. */
    private boolean anachronistic(StillSubmitted still, Candidate c) {
        Integer built = firstBuiltYear(c.label());
        return still.year() != null && built != null && still.year() < built;
    }

    public synchronized boolean hasReference(String referenceId) {
        return references.containsKey(referenceId);
    }

    public synchronized Optional<ReferenceAdded> reference(String referenceId) {
        return Optional.ofNullable(references.get(referenceId));
    }

    public synchronized Optional<Task> task(String stillId) {
        Identification id = identifications.get(stillId);
        return id == null ? Optional.empty() : Optional.of(taskOf(id));
    }

    public synchronized List<Task> tasks() {
        return identifications.values().stream().map(this::taskOf).toList();
    }

    /** A still's whole story: what was received, every identification, every decision, and where it stands. */
    public synchronized Optional<Story> story(String stillId) {
        Identification id = identifications.get(stillId);
        if (id == null) {
            return Optional.empty();
        }
        List<ReviewDecision> own = new ArrayList<>(decisions.getOrDefault(stillId, Map.of()).values());
        own.sort(Comparator.comparing(ReviewDecision::decidedAt));
        return Optional.of(new Story(id.still(), List.copyOf(history.get(stillId)), own, taskOf(id)));
    }

    /** What one reviewer sees: items to decide (best first), stills to name, and counts per status. */
    public synchronized QueueView queueFor(String reviewer, String film, String vehicle) {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            counts.put(s, 0);
        }
        List<Task> items = new ArrayList<>();
        List<Task> unidentified = new ArrayList<>();
        Map<Task, java.time.Instant> recent = new HashMap<>();
        for (Identification id : identifications.values()) {
            Task t = taskOf(id);
            // The counts follow the filters, so the page's numbers describe the list beside them.
            if (!matchesFilter(t, film, vehicle)) {
                continue;
            }
            counts.merge(t.status(), 1, Integer::sum);
            java.time.Instant decided = lastDecision(t.stillId());
            if (decided != null && !t.isOwnSubmission(reviewer) && (t.votedBy(reviewer)
                    || t.status() == Status.CONFIRMED || t.status() == Status.REJECTED)) {
                recent.put(t, decided);
            }
            if (t.votedBy(reviewer) || t.isOwnSubmission(reviewer)) {
                continue;
            }
            switch (t.status()) {
                case PENDING, DISPUTED -> items.add(t);
                case UNIDENTIFIED -> unidentified.add(t);
                case REJECTED -> {
                    if (!t.cleared()) {
                        unidentified.add(t);
                    }
                }
                default -> { }
            }
        }
        items.sort(Comparator.comparingDouble(Task::topConfidence).reversed().thenComparing(Task::stillId));
        unidentified.sort(Comparator.comparing((Task t) -> t.still().submittedAt()).thenComparing(Task::stillId));
        Map<String, Integer> named = new LinkedHashMap<>();
        counts.forEach((k, v) -> named.put(k.name().toLowerCase(Locale.ROOT), v));
        List<Task> decided = recent.entrySet().stream()
                .sorted(Map.Entry.<Task, java.time.Instant>comparingByValue().reversed()
                        .thenComparing(e -> e.getKey().stillId()))
                .limit(RECENT).map(Map.Entry::getKey).toList();
        return new QueueView(named, items, unidentified, labels(), decided,
                vehicles(Stream.of(items, unidentified, decided).flatMap(List::stream).toList()));
    }

    /**
     * The gallery's record of every vehicle the listed tasks name (candidates, near misses, a confirmed label),
     * keyed by the label as the task spells it, so the page finds a candidate's record by its label.
     */
    private Map<String, VehicleRecord> vehicles(List<Task> tasks) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (Task t : tasks) {
            Stream.concat(t.candidates().stream(), t.nearMisses().stream()).map(Candidate::label)
                    .filter(l -> l != null).forEach(l -> wanted.putIfAbsent(l, Consensus.normalise(l)));
            if (t.label() != null) {
                wanted.putIfAbsent(t.label(), Consensus.normalise(t.label()));
            }
        }
        Set<String> keys = new java.util.HashSet<>(wanted.values());
        Map<String, List<ReferenceAdded>> byKey = new HashMap<>();
        for (ReferenceAdded r : references.values()) {
            String key = Consensus.normalise(r.label());
            if (keys.contains(key)) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, VehicleRecord> out = new LinkedHashMap<>();
        wanted.forEach((label, key) -> {
            List<ReferenceAdded> views = byKey.get(key);
            if (views != null) {
                out.put(label, VehicleRecord.of(label, views));
            }
        });
        return out;
    }

    /** When the latest decision on this still was taken, or null when there is none. */
    private java.time.Instant lastDecision(String stillId) {
        return decisions.getOrDefault(stillId, Map.of()).values().stream().map(ReviewDecision::decidedAt)
                .max(Comparator.naturalOrder()).orElse(null);
    }

    /** The gallery's labels, sorted case-insensitively, for the page's naming picker. */
    private List<String> labels() {
        Map<String, String> byKey = new java.util.TreeMap<>();
        for (ReferenceAdded r : references.values()) {
            if (r.label() != null && !r.label().isBlank()) {
                byKey.putIfAbsent(Consensus.normalise(r.label()), r.label().trim());
            }
        }
        return List.copyOf(byKey.values());
    }

    /** Every confirmed piece of evidence, once, with the identification of the still that confirmed it. */
    public synchronized List<Confirmed> confirmed() {
        List<Confirmed> out = new ArrayList<>();
        for (String group : groups.keySet()) {
            Consensus.Outcome o = outcomeOf(group);
            if (o.state() == Consensus.State.CONFIRMED) {
                Identification id = identifications.get(o.confirmedStill());
                if (id == null) {
                    id = identifications.get(groups.get(group).iterator().next());
                }
                if (id != null) {
                    out.add(new Confirmed(group, o.label(), o.referenceId(), id));
                }
            }
        }
        return out;
    }

    /** Stills with nothing left to propose (no match, or every match rejected): candidates for re-matching. */
    public synchronized List<StillSubmitted> unidentifiedStills() {
        return identifications.values().stream().map(this::taskOf)
                .filter(t -> t.status() == Status.UNIDENTIFIED || t.status() == Status.REJECTED && !t.cleared())
                .map(Task::still).toList();
    }

    private Task taskOf(Identification id) {
        String group = groupOf(id.still());
        Consensus.Outcome o = outcomeOf(group);
        List<Candidate> candidates = notRejected(id.candidates(), o);
        // Anachronistic candidates after the others, score order kept within each: the page shows the first one,
        // and a confirmation without a label confirms it (the decision then names its label and reference).
        List<Candidate> ranked = new ArrayList<>(candidates);
        ranked.sort(Comparator.comparing((Candidate c) -> anachronistic(id.still(), c)));
        candidates = List.copyOf(ranked);
        List<String> anachronisms = candidates.stream().filter(c -> anachronistic(id.still(), c))
                .map(Candidate::label).distinct().toList();
        Status status;
        if (o.state() == Consensus.State.CONFIRMED) {
            status = Status.CONFIRMED;
        } else if (o.state() == Consensus.State.DISPUTED) {
            status = Status.DISPUTED;
        } else if (candidates.isEmpty()) {
            status = id.candidates().isEmpty() && !o.rejectedTargets().contains(NO_VEHICLE_TARGET)
                    ? Status.UNIDENTIFIED : Status.REJECTED;
        } else {
            status = Status.PENDING;
        }
        List<Vote> votes = o.votes().values().stream()
                .map(d -> new Vote(d.reviewer(), d.verdict(), d.label(), d.stillId(), d.decidedAt()))
                .toList();
        return new Task(id.stillId(), group, id.still(), candidates, notRejected(id.nearMisses(), o), status,
                o.label(), votes, List.copyOf(o.rejectedTargets()), id.gallerySize(), id.identifiedAt(),
                id.acceptThresholds(), anachronisms);
    }

    private static List<Candidate> notRejected(List<Candidate> proposed, Consensus.Outcome o) {
        return proposed.stream()
                .filter(c -> !o.rejectedTargets().contains(c.referenceId())
                        && !o.rejectedTargets().contains("label:" + Consensus.normalise(c.label())))
                .sorted(Comparator.comparingDouble(Candidate::confidence).reversed())
                .toList();
    }

    private Consensus.Outcome outcomeOf(String group) {
        return Consensus.evaluate(decisionsOf(group), consensus);
    }

    private List<ReviewDecision> decisionsOf(String group) {
        List<ReviewDecision> all = new ArrayList<>();
        Set<String> members = new LinkedHashSet<>(groups.getOrDefault(group, Set.of()));
        members.add(group);
        for (String still : members) {
            all.addAll(decisions.getOrDefault(still, Map.of()).values());
        }
        return all;
    }

    /**
     * Review references (the gallery grown from a confirmation) whose confirmation a reviewer reopened and that no
     * standing confirmation accounts for: they must leave the gallery. Only evidence with a REOPEN decision counts,
     * so a queue still catching up on the decisions topic never withdraws a view it has not yet seen confirmed.
     */
    public synchronized List<String> reopenedReviewReferences() {
        List<String> out = new ArrayList<>();
        for (ReferenceAdded r : references.values()) {
            Identification id = "review".equals(r.source()) && r.derivedFromStill() != null
                    ? identifications.get(r.derivedFromStill()) : null;
            if (id == null) {
                continue;
            }
            String group = groupOf(id.still());
            List<ReviewDecision> all = decisionsOf(group);
            if (all.stream().noneMatch(d -> d.verdict() == ReviewDecision.Verdict.REOPEN)) {
                continue;
            }
            Consensus.Outcome o = Consensus.evaluate(all, consensus);
            if (o.state() != Consensus.State.CONFIRMED
                    || !ReferencePublisher.referenceIdFor(group, o.label()).equals(r.referenceId())) {
                out.add(r.referenceId());
            }
        }
        return out;
    }

    private static String groupOf(StillSubmitted still) {
        return still.duplicateOf() != null && !still.duplicateOf().isBlank() ? still.duplicateOf() : still.stillId();
    }

    private static boolean matchesFilter(Task t, String film, String vehicle) {
        if (film != null && !film.isBlank()) {
            String f = t.still().film() == null ? "" : t.still().film().toLowerCase(Locale.ROOT);
            if (!f.contains(film.trim().toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        if (vehicle != null && !vehicle.isBlank()) {
            String v = vehicle.trim().toLowerCase(Locale.ROOT);
            boolean any = t.candidates().stream()
                    .anyMatch(c -> c.label() != null && c.label().toLowerCase(Locale.ROOT).contains(v))
                    || t.label() != null && t.label().toLowerCase(Locale.ROOT).contains(v);
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /**
     * One still under review, as the page shows it. Candidates and near misses (verified but below identify's
     * threshold, shown only as hints when naming the vehicle) exclude rejected references, best first.
     * {@code acceptThresholds}: the confidence identify required to propose a candidate, by evidence kind (empty
     * when the identification did not say). {@code anachronisms}: the labels of the candidates whose model was first
     * built after the film's year (the gallery's {@code yearFrom}); those candidates come after the others, so the
     * first candidate (the one a confirmation without a label confirms) is a possible one whenever there is one.
     */
    public record Task(String stillId, String groupId, StillSubmitted still, List<Candidate> candidates,
            List<Candidate> nearMisses, Status status, String label, List<Vote> votes, List<String> rejected, int gallerySize,
            java.time.Instant identifiedAt, Map<String, Double> acceptThresholds, List<String> anachronisms) {

        public double topConfidence() {
            return candidates.isEmpty() ? 0 : candidates.get(0).confidence();
        }

        public boolean votedBy(String reviewer) {
            return votes.stream().anyMatch(v -> v.reviewer().equals(reviewer));
        }

        public boolean isOwnSubmission(String reviewer) {
            return reviewer != null && reviewer.equals(still.contributor());
        }

        /** Nothing left to propose and reviewers agreed there is no vehicle to name. */
        public boolean cleared() {
            return candidates.isEmpty() && rejected.contains(NO_VEHICLE_TARGET);
        }
    }

    /** A reviewer's standing vote in the current round. */
    public record Vote(String reviewer, ReviewDecision.Verdict verdict, String label, String stillId,
            java.time.Instant decidedAt) {
    }

    public record Story(StillSubmitted received, List<Identification> identifications,
            List<ReviewDecision> decisions, Task current) {
    }

    /**
     * {@code labels}: the gallery's vehicle labels, for naming an unidentified still; {@code recent}: the latest
     * decided stills (confirmed, rejected, or voted on by this reviewer), newest first, to look at again or reopen;
     * {@code vehicles}: the gallery's record of each vehicle these stills name, by label.
     */
    public record QueueView(Map<String, Integer> counts, List<Task> items, List<Task> unidentified,
            List<String> labels, List<Task> recent, Map<String, VehicleRecord> vehicles) {
    }

    /** A confirmed piece of evidence, for publishing it to the gallery. */
    public record Confirmed(String groupId, String label, String referenceId, Identification identification) {
    }
}
