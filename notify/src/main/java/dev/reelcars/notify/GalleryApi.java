package dev.reelcars.notify;

import dev.reelcars.accounts.AccountsApi;
import dev.reelcars.accounts.AuditLog;
import dev.reelcars.accounts.Authenticator;
import dev.reelcars.accounts.Principal;
import dev.reelcars.accounts.Role;
import dev.reelcars.events.Ids;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.platform.http.ApiException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Map;

/**
 * How the gallery changes, always through reviewers:
 * <ul>
 *   <li>{@code GET /api/proposals}: contributors' proposed reference views waiting for a vote (never one's own);
 *       {@code POST /api/proposals/{id}/review} {@code {"verdict": "confirm"|"reject", "label"?}} votes, with the
 *       same consensus rule as stills; an accepted proposal joins the gallery</li>
 *   <li>{@code POST /api/references/{id}/label} {@code {"label", "reason"}} relabels a view;
 *       {@code POST /api/references/{id}/retire} {@code {"reason"}} takes it out of the gallery (a tombstone on the
 *       compacted topic); both audited with who and why</li>
 *   <li>{@code GET /api/retro-matching}: the progress and budget of re-matching unidentified stills</li>
 * </ul>
 */
final class GalleryApi {
    private final Authenticator auth;
    private final AuditLog audit;
    private final ReferenceProposals proposals;
    private final ReviewQueue queue;
    private final ReviewApi.Decider decider;
    private final Gallery gallery;
    private final RetroMatcher retro;
    private final Clock clock;

    /** Publishes a reference view or a tombstone and waits for the ack. */
    interface Gallery {
        void put(ReferenceAdded reference);

        void retire(String referenceId);
    }

    record Relabel(String label, String reason) {
    }

    record Retire(String reason) {
    }

    GalleryApi(Authenticator auth, AuditLog audit, ReferenceProposals proposals, ReviewQueue queue,
            ReviewApi.Decider decider, Gallery gallery, RetroMatcher retro, Clock clock) {
        this.auth = auth;
        this.audit = audit;
        this.proposals = proposals;
        this.queue = queue;
        this.decider = decider;
        this.gallery = gallery;
        this.retro = retro;
        this.clock = clock;
    }

    void routes(Javalin app) {
        app.get("/api/proposals", ctx -> {
            Principal p = auth.require(ctx, Role.REVIEWER);
            ctx.json(proposals.open(p.name()));
        });
        app.get("/api/proposals/{id}", ctx -> {
            auth.require(ctx, Role.REVIEWER);
            String id = proposalId(ctx);
            ctx.json(proposals.view(id).orElseThrow(() -> new ApiException(404, "not-found", "no proposal " + id)));
        });
        app.post("/api/proposals/{id}/review", this::vote);
        app.post("/api/references/{id}/label", this::relabel);
        app.post("/api/references/{id}/retire", this::retire);
        app.get("/api/retro-matching", ctx -> {
            auth.require(ctx, Role.REVIEWER);
            ctx.json(retro.progress());
        });
    }

    private void vote(Context ctx) {
        Principal p = auth.require(ctx, Role.REVIEWER);
        String id = proposalId(ctx);
        Vote vote = AccountsApi.body(ctx, Vote.class);
        ReferenceProposals.View view = proposals.view(id)
                .orElseThrow(() -> new ApiException(404, "not-found", "no proposal " + id));
        if (view.proposal().proposedBy().equals(p.name())) {
            throw new ApiException(403, "own-submission", "reviewers do not decide on their own proposals");
        }
        if (view.state() == ReferenceProposals.State.ACCEPTED || view.state() == ReferenceProposals.State.REJECTED) {
            throw new ApiException(409, "already-decided", "this proposal is already " + view.state().name()
                    .toLowerCase());
        }
        ReviewDecision.Verdict verdict = vote.parsedVerdict();
        String label = vote.label() == null ? view.proposal().label() : vote.cleanLabel();
        ReviewDecision d = new ReviewDecision(ReviewDecision.CURRENT_VERSION, Ids.newId("decision"), id, verdict,
                label, null, p.name(), clock.instant());
        decider.decide(d);
        audit.record("proposal.vote", p.name(), ctx.ip(), id, Map.of("verdict", verdict.name().toLowerCase(),
                "label", label));
        ctx.status(201).json(proposals.view(id).orElseThrow());
    }

    private void relabel(Context ctx) {
        Principal p = auth.require(ctx, Role.REVIEWER);
        Relabel r = AccountsApi.body(ctx, Relabel.class);
        ReferenceAdded old = existing(ctx);
        String label = Vote.clean(r.label());
        String reason = requireReason(r.reason());
        ReferenceAdded fresh = new ReferenceAdded(ReferenceAdded.CURRENT_VERSION, old.referenceId(), label,
                old.make(), old.model(), old.year(), old.blobKey(), old.contentType(), old.width(), old.height(),
                old.source(), old.derivedFromStill(), clock.instant(), old.variant(), old.yearFrom(),
                old.yearTo());
        gallery.put(fresh);
        audit.record("reference.relabel", p.name(), ctx.ip(), old.referenceId(), Map.of("from", old.label(),
                "to", label, "reason", reason));
        ctx.json(fresh);
    }

    private void retire(Context ctx) {
        Principal p = auth.require(ctx, Role.REVIEWER);
        Retire r = AccountsApi.body(ctx, Retire.class);
        ReferenceAdded old = existing(ctx);
        String reason = requireReason(r.reason());
        gallery.retire(old.referenceId());
        audit.record("reference.retire", p.name(), ctx.ip(), old.referenceId(), Map.of("label", old.label(),
                "reason", reason));
        ctx.status(204);
    }

    private ReferenceAdded existing(Context ctx) {
        String id = ctx.pathParam("id");
        if (!Ids.isSafe(id)) {
            throw new ApiException(400, "bad-id", "not a reference id");
        }
        return queue.reference(id).orElseThrow(() -> new ApiException(404, "not-found", "no reference " + id));
    }

    private static String proposalId(Context ctx) {
        String id = ctx.pathParam("id");
        if (!Ids.isSafe(id) || !ReferenceProposals.isProposal(id)) {
            throw new ApiException(400, "bad-id", "not a proposal id");
        }
        return id;
    }

    /** The reason a reviewer gives for a change others decided on (a retirement, a reopening), checked. */
    static String requireReason(String reason) {
        String r = reason == null ? "" : reason.strip();
        if (r.isEmpty() || r.length() > 500) {
            throw new ApiException(400, "reason-required", "say why in 1..500 characters");
        }
        return r;
    }
}
