package dev.reelcars.notify;

import dev.reelcars.events.Consensus;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.ReferenceProposal;
import dev.reelcars.events.ReviewDecision;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contributors' proposed reference views and the reviewers' votes on them, folded from the reference-proposals and
 * decisions topics. A proposal joins the matching gallery only when the {@link Consensus} rule accepts it: then its
 * {@link ReferenceAdded} (source {@code proposal}, with a reference id derived from the proposal, so publishing again
 * after a crash rewrites the same key) goes to the references topic.
 */
final class ReferenceProposals {
    private static final Logger log = LoggerFactory.getLogger(ReferenceProposals.class);

    private final int consensus;
    private final Clock clock;
    private final Map<String, ReferenceProposal> proposals = new LinkedHashMap<>();
    private final Map<String, Map<String, ReviewDecision>> decisions = new LinkedHashMap<>();
    private final Set<String> published = ConcurrentHashMap.newKeySet();

    /** What became of a proposal. */
    enum State { PENDING, DISPUTED, ACCEPTED, REJECTED }

    /** A proposal as reviewers see it. */
    record View(ReferenceProposal proposal, State state, List<ReviewQueue.Vote> votes) {
    }

    ReferenceProposals(int consensus, Clock clock) {
        this.consensus = consensus;
        this.clock = clock;
    }

    static boolean isProposal(String id) {
        return id != null && id.startsWith(ReferenceProposal.ID_PREFIX);
    }

    /** The gallery id an accepted proposal gets. */
    static String referenceIdFor(String proposalId) {
        return "ref-" + proposalId;
    }

    synchronized void apply(ReferenceProposal p) {
        proposals.put(p.proposalId(), p);
    }

    /** A decision on a proposal; redelivered decisions (same id) count once. */
    synchronized boolean apply(ReviewDecision d) {
        return decisions.computeIfAbsent(d.stillId(), k -> new LinkedHashMap<>()).putIfAbsent(d.decisionId(), d)
                == null;
    }

    synchronized Optional<View> view(String proposalId) {
        ReferenceProposal p = proposals.get(proposalId);
        return p == null ? Optional.empty() : Optional.of(viewOf(p));
    }

    /** Proposals still waiting (pending or disputed) that {@code reviewer} may vote on, oldest first. */
    synchronized List<View> open(String reviewer) {
        List<View> out = new ArrayList<>();
        proposals.values().stream().sorted(Comparator.comparing(ReferenceProposal::proposedAt))
                .filter(p -> !p.proposedBy().equals(reviewer))
                .map(this::viewOf)
                .filter(v -> v.state() == State.PENDING || v.state() == State.DISPUTED)
                .forEach(out::add);
        return out;
    }

    /** Accepted proposals whose reference is not yet in the gallery. */
    synchronized List<ReferenceAdded> acceptedNotPublished(java.util.function.Predicate<String> inGallery) {
        List<ReferenceAdded> out = new ArrayList<>();
        for (ReferenceProposal p : proposals.values()) {
            String id = referenceIdFor(p.proposalId());
            if (state(p) == State.ACCEPTED && !inGallery.test(id) && !published.contains(id)) {
                out.add(new ReferenceAdded(ReferenceAdded.CURRENT_VERSION, id, acceptedLabel(p), p.make(),
                        p.model(), p.year(), p.blobKey(), p.contentType(), p.width(), p.height(), "proposal",
                        p.proposalId(), clock.instant(), p.variant(), p.yearFrom(), p.yearTo()));
            }
        }
        return out;
    }

    void markPublished(String referenceId) {
        published.add(referenceId);
        log.info("reference {} joined the gallery", referenceId);
    }

    private View viewOf(ReferenceProposal p) {
        List<ReviewQueue.Vote> votes = decisions.getOrDefault(p.proposalId(), Map.of()).values().stream()
                .sorted(Comparator.comparing(ReviewDecision::decidedAt))
                .map(d -> new ReviewQueue.Vote(d.reviewer(), d.verdict(), d.label(), d.stillId(), d.decidedAt()))
                .toList();
        return new View(p, state(p), votes);
    }

    private State state(ReferenceProposal p) {
        Consensus.Outcome o = Consensus.evaluate(List.copyOf(
                decisions.getOrDefault(p.proposalId(), Map.of()).values()), consensus);
        if (o.state() == Consensus.State.CONFIRMED) {
            return State.ACCEPTED;
        }
        if (!o.rejectedTargets().isEmpty()) {
            return State.REJECTED;
        }
        return o.state() == Consensus.State.DISPUTED ? State.DISPUTED : State.PENDING;
    }

    private String acceptedLabel(ReferenceProposal p) {
        Consensus.Outcome o = Consensus.evaluate(List.copyOf(
                decisions.getOrDefault(p.proposalId(), Map.of()).values()), consensus);
        return o.label() != null ? o.label() : p.label();
    }
}
