package dev.reelcars.catalogue;

import dev.reelcars.events.Consensus;
import dev.reelcars.events.Identification;
import dev.reelcars.events.Point;
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
import java.util.Set;
import java.util.function.Consumer;

/**
 * The review evidence, folded from the identifications and decisions topics: each still's latest identification
 * (as much of it as the catalogue shows), every decision, and the stills that are one piece of evidence (a still and
 * its near-duplicates, {@code StillSubmitted.duplicateOf}). A group is an {@link Appearance} when the
 * {@link Consensus} rule confirms it, with the same number of agreeing reviewers notify requires.
 *
 * <p>Pure: the same events in any order give the same appearances (a decision may arrive before its still's
 * identification). Not thread-safe: the {@link Catalogue} owns it and guards it.
 */
final class Evidence {
    private final int consensus;
    /** Each still's latest identification, as much of it as the catalogue shows (not the inlier samples). */
    private final Map<String, Seen> identifications = new HashMap<>();
    private final Map<String, Map<String, ReviewDecision>> decisions = new HashMap<>();
    private final Map<String, Set<String>> groups = new HashMap<>();

    Evidence(int consensus) {
        this.consensus = consensus;
    }

    /**
     * Applies an identification; a redelivered or older one changes nothing. {@code changed} is told each group
     * whose appearance may have changed, as soon as it may have (the group a still left, then the one it joined).
     */
    void apply(Identification identification, Consumer<String> changed) {
        Seen id = Seen.of(identification);
        Seen old = identifications.get(id.still().stillId());
        if (old != null && (old.equals(id) || old.identifiedAt().isAfter(id.identifiedAt()))) {
            return;
        }
        if (old != null && !groupOf(old.still()).equals(groupOf(id.still()))) {
            groups.getOrDefault(groupOf(old.still()), Set.of()).remove(id.still().stillId());
            changed.accept(groupOf(old.still()));
        }
        identifications.put(id.still().stillId(), id);
        groups.computeIfAbsent(groupOf(id.still()), k -> new LinkedHashSet<>()).add(id.still().stillId());
        changed.accept(groupOf(id.still()));
    }

    /** Applies a decision; returns the group whose appearance may have changed, or null for one already applied. */
    String apply(ReviewDecision d) {
        if (decisions.computeIfAbsent(d.stillId(), k -> new LinkedHashMap<>()).putIfAbsent(d.decisionId(), d) != null) {
            return null;
        }
        Seen id = identifications.get(d.stillId());
        return id == null ? d.stillId() : groupOf(id.still());
    }

    /** The image of an identified still, or null when the still has no identification. */
    String blobKeyOf(String stillId) {
        Seen id = identifications.get(stillId);
        return id == null ? null : id.still().blobKey();
    }

    /** The group's appearance when the consensus rule confirms it and a still of it has been identified; else null. */
    Appearance appearance(String group) {
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
        // A film scan's appearance spans its in and out times (the still is its best frame); any other still is
        // one moment, which Shots may join with its neighbours.
        StillSubmitted.FilmRange range = still.filmRange();
        String timecode = range == null ? still.timecode() : Appearance.timecodeOf(range.inSeconds());
        String end = range == null || range.outSeconds() == range.inSeconds() ? null
                : Appearance.timecodeOf(range.outSeconds());
        return new Appearance("a-" + group, List.copyOf(members), still.stillId(), still.blobKey(), still.width(),
                still.height(), outline, Names.vehicleId(label), label, o.referenceId(),
                film == null ? null : Names.filmId(film, still.year()), film, still.year(), timecode,
                still.note(), still.contributor(), confirming.stream().map(ReviewDecision::reviewer).toList(),
                confirmedAt, Appearance.Prominence.of(outline, still.width(), still.height()),
                Appearance.secondsOf(timecode), range == null ? still.clipId() : null, end);
    }

    private static String groupOf(StillSubmitted still) {
        return still.duplicateOf() != null && !still.duplicateOf().isBlank() ? still.duplicateOf() : still.stillId();
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
}
