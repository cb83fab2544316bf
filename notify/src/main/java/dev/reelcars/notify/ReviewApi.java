package dev.reelcars.notify;

import dev.reelcars.accounts.AccountsApi;
import dev.reelcars.accounts.AuditLog;
import dev.reelcars.accounts.Authenticator;
import dev.reelcars.accounts.Role;
import dev.reelcars.events.BlobKeys;
import dev.reelcars.events.Candidate;
import dev.reelcars.events.Consensus;
import dev.reelcars.events.Ids;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.http.ApiException;
import dev.reelcars.platform.image.ImageFormat;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The reviewers' HTTP API and page. Every error is JSON ({@code {"error", "message"}}). */
final class ReviewApi {
    private final NotifyConfig config;
    private final ReviewQueue queue;
    private final BlobStore blobs;
    private final Authenticator auth;
    private final AuditLog audit;
    private final LiveUpdates live;
    private final Decider decider;
    private final DigestSender digest;
    private final Clock clock;
    private final String csp;

    /** Records a reviewer's decision: publish, wait for the ack, apply. */
    interface Decider {
        ReviewDecision decide(ReviewDecision decision);
    }

    /** Sends the digest e-mail now. */
    interface DigestSender {
        void sendNow() throws Exception;
    }

    ReviewApi(NotifyConfig config, ReviewQueue queue, BlobStore blobs, Authenticator auth, AuditLog audit,
            LiveUpdates live, Decider decider, DigestSender digest, Clock clock) {
        this.config = config;
        this.queue = queue;
        this.blobs = blobs;
        this.auth = auth;
        this.audit = audit;
        this.live = live;
        this.decider = decider;
        this.digest = digest;
        this.clock = clock;
        String ingestOrigin = Authenticator.originOf(config.ingestPublicUrl());
        // No inline script or style, nothing from elsewhere but the upload to ingest.
        this.csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                + "connect-src 'self' " + ingestOrigin + "; form-action 'self' " + ingestOrigin + "; "
                + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    }

    String contentSecurityPolicy() {
        return csp;
    }

    void routes(Javalin app) {
        app.get("/", this::page);
        app.get("/index.html", this::page);
        app.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
        app.get("/api/config", ctx -> ctx.json(Map.of("ingestUrl", config.ingestPublicUrl(),
                "consensus", config.consensus())));
        app.get("/api/queue", this::queue);
        app.get("/api/submissions/{id}", this::submission);
        app.post("/api/reviews/{stillId}", this::review);
        app.delete("/api/reviews/{stillId}/{decisionId}", this::retract);
        app.post("/api/reviews/{stillId}/reopen", this::reopen);
        app.get("/api/images/{blobKey}", this::image);
        app.post("/api/digest", ctx -> {
            auth.require(ctx, Role.REVIEWER);
            try {
                digest.sendNow();
            } catch (IllegalStateException e) {
                throw new ApiException(409, "mail-disabled", e.getMessage());
            } catch (Exception e) {
                throw new ApiException(503, "mail-unavailable", "the SMTP server did not take the digest: "
                        + e.getMessage(), 60);
            }
            ctx.json(Map.of("sent", true));
        });
        app.before("/api/events", ctx -> auth.require(ctx, Role.REVIEWER));
        app.sse("/api/events", live::add);
    }

    private void page(Context ctx) throws IOException {
        try (InputStream in = ReviewApi.class.getResourceAsStream("/public/index.html")) {
            if (in == null) {
                throw new ApiException(500, "internal", "the page is missing from the build");
            }
            ctx.header("Content-Security-Policy", csp);
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "no-referrer");
            ctx.header("Cache-Control", "no-cache");
            ctx.contentType("text/html; charset=utf-8").result(in.readAllBytes());
        }
    }

    private void queue(Context ctx) {
        var s = auth.require(ctx, Role.REVIEWER);
        ctx.json(queue.queueFor(s.name(), ctx.queryParam("film"), ctx.queryParam("vehicle")));
    }

    private void submission(Context ctx) {
        auth.require(ctx, Role.REVIEWER);
        String id = ctx.pathParam("id");
        if (!Ids.isSafe(id)) {
            throw new ApiException(400, "bad-id", "not a still id");
        }
        ctx.json(queue.story(id).orElseThrow(() -> new ApiException(404, "not-found", "no still " + id)));
    }

    private void review(Context ctx) {
        var s = auth.require(ctx, Role.REVIEWER);
        String stillId = ctx.pathParam("stillId");
        if (!Ids.isSafe(stillId)) {
            throw new ApiException(400, "bad-id", "not a still id");
        }
        Vote vote = AccountsApi.body(ctx, Vote.class);
        ReviewDecision.Verdict verdict = vote.parsedVerdict();
        String label = vote.cleanLabel();
        String decisionId = vote.idOrNew();
        var earlier = queue.decision(stillId, decisionId);
        if (earlier.isPresent()) {
            // A retry of a decision already recorded (its answer was lost): the same answer again, nothing new.
            if (!earlier.get().reviewer().equals(s.name())) {
                throw new ApiException(409, "decision-id-taken", "that decisionId is someone else's");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("decision", earlier.get());
            out.put("task", queue.task(stillId).orElse(null));
            ctx.status(201).json(out);
            return;
        }
        ReviewQueue.Task task = queue.task(stillId)
                .orElseThrow(() -> new ApiException(404, "not-found", "no still " + stillId + " in the queue"));
        if (task.isOwnSubmission(s.name())) {
            throw new ApiException(403, "own-submission", "reviewers do not decide on their own submissions");
        }
        if (task.status() == ReviewQueue.Status.CONFIRMED) {
            throw new ApiException(409, "already-confirmed", "this still is already confirmed as " + task.label());
        }
        Candidate candidate = chooseCandidate(task, label);
        if (candidate == null && label == null) {
            throw new ApiException(400, "label-required", "nothing was proposed for this still: name the vehicle");
        }
        ReviewDecision decision = new ReviewDecision(ReviewDecision.CURRENT_VERSION, decisionId, stillId,
                verdict, candidate != null ? candidate.label() : label,
                candidate != null ? candidate.referenceId() : null, s.name(), clock.instant());
        decider.decide(decision);
        audit.record("decision", s.name(), ctx.ip(), stillId, Map.of("verdict", verdict.name().toLowerCase(),
                "label", String.valueOf(decision.label()), "decisionId", decision.decisionId()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decision", decision);
        out.put("task", queue.task(stillId).orElse(null));
        ctx.status(201).json(out);
    }

    /**
     * Undo: a reviewer takes back their own latest decision on a still, while it still counts as their vote in the
     * current round and the still is not confirmed. Published as a RETRACT decision ({@link Consensus} drops the
     * vote) and audited as {@code decision.retract}.
     */
    private void retract(Context ctx) {
        var s = auth.require(ctx, Role.REVIEWER);
        String stillId = ctx.pathParam("stillId");
        String decisionId = ctx.pathParam("decisionId");
        if (!Ids.isSafe(stillId) || !Ids.isSafe(decisionId)) {
            throw new ApiException(400, "bad-id", "not a still or decision id");
        }
        ReviewQueue.Story story = queue.story(stillId)
                .orElseThrow(() -> new ApiException(404, "not-found", "no still " + stillId + " in the queue"));
        ReviewDecision target = story.decisions().stream().filter(d -> d.decisionId().equals(decisionId))
                .findFirst().orElseThrow(() -> new ApiException(404, "not-found", "no decision " + decisionId
                        + " on " + stillId));
        if (!target.reviewer().equals(s.name())) {
            throw new ApiException(403, "not-yours", "reviewers take back only their own decisions");
        }
        if (story.current().status() == ReviewQueue.Status.CONFIRMED) {
            throw new ApiException(409, "already-confirmed", "this still is already confirmed as "
                    + story.current().label());
        }
        ReviewDecision latest = story.decisions().stream().filter(d -> d.reviewer().equals(s.name()))
                .reduce((a, b) -> b).orElseThrow();
        boolean stillAVote = story.current().votes().stream()
                .anyMatch(v -> v.reviewer().equals(s.name()) && v.stillId().equals(stillId));
        if (!latest.decisionId().equals(decisionId) || target.verdict() == ReviewDecision.Verdict.RETRACT || !stillAVote) {
            throw new ApiException(409, "not-retractable", "only your latest decision, while it is still a vote in"
                    + " the current round, can be taken back");
        }
        ReviewDecision retraction = new ReviewDecision(ReviewDecision.CURRENT_VERSION, Ids.newId("decision"),
                stillId, ReviewDecision.Verdict.RETRACT, target.label(), target.referenceId(), s.name(),
                clock.instant());
        decider.decide(retraction);
        audit.record("decision.retract", s.name(), ctx.ip(), stillId, Map.of("retracts", decisionId,
                "decisionId", retraction.decisionId(), "label", String.valueOf(target.label())));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decision", retraction);
        out.put("task", queue.task(stillId).orElse(null));
        ctx.json(out);
    }

    /** The body of {@code POST /api/reviews/{stillId}/reopen}. */
    record Reopen(String reason) {
    }

    /**
     * Reopening: a reviewer sets aside a decided still's outcome (a confirmation, or the rejection that left nothing
     * to propose, "no vehicle" included), saying why. Published as a REOPEN decision ({@link Consensus} starts a fresh
     * round: the still is back in every reviewer's queue) and audited as {@code decision.reopen} with the reason. A
     * reopened confirmation's review reference leaves the gallery ({@link ReferencePublisher}), and the catalogue,
     * which follows the same rule, drops the appearance.
     */
    private void reopen(Context ctx) {
        var s = auth.require(ctx, Role.REVIEWER);
        String stillId = ctx.pathParam("stillId");
        if (!Ids.isSafe(stillId)) {
            throw new ApiException(400, "bad-id", "not a still id");
        }
        String reason = GalleryApi.requireReason(AccountsApi.body(ctx, Reopen.class).reason());
        ReviewQueue.Task task = queue.task(stillId)
                .orElseThrow(() -> new ApiException(404, "not-found", "no still " + stillId + " in the queue"));
        if (task.isOwnSubmission(s.name())) {
            throw new ApiException(403, "own-submission", "reviewers do not decide on their own submissions");
        }
        boolean confirmed = task.status() == ReviewQueue.Status.CONFIRMED;
        if (!confirmed && task.status() != ReviewQueue.Status.REJECTED) {
            throw new ApiException(409, "not-decided", "only a confirmed or rejected still can be reopened; this one is "
                    + task.status().name().toLowerCase());
        }
        String referenceId = confirmed ? task.candidates().stream()
                .filter(c -> Consensus.normalise(c.label()).equals(Consensus.normalise(task.label())))
                .map(Candidate::referenceId).findFirst().orElse(null) : null;
        ReviewDecision reopening = new ReviewDecision(ReviewDecision.CURRENT_VERSION, Ids.newId("decision"), stillId,
                ReviewDecision.Verdict.REOPEN, confirmed ? task.label() : null, referenceId, s.name(),
                clock.instant());
        decider.decide(reopening);
        audit.record("decision.reopen", s.name(), ctx.ip(), stillId, Map.of("decisionId", reopening.decisionId(),
                "was", task.status().name().toLowerCase(), "label", String.valueOf(task.label()), "reason", reason));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decision", reopening);
        out.put("task", queue.task(stillId).orElse(null));
        ctx.status(201).json(out);
    }

    /**
     * The candidate a decision is about: the one labelled {@code label} (a near miss counts: the reviewer took the
     * hint), else the best one; null for a new name.
     */
    private static Candidate chooseCandidate(ReviewQueue.Task task, String label) {
        if (label == null) {
            return task.candidates().isEmpty() ? null : task.candidates().get(0);
        }
        String wanted = Consensus.normalise(label);
        Optional<Candidate> named = Stream.concat(task.candidates().stream(), task.nearMisses().stream())
                .filter(c -> Consensus.normalise(c.label()).equals(wanted)).findFirst();
        return named.orElse(null);
    }

    private void image(Context ctx) {
        String key = ctx.pathParam("blobKey");
        if (!BlobKeys.isValid(key)) {
            throw new ApiException(400, "bad-key", "an image key is 64 lowercase hex digits");
        }
        byte[] bytes = blobs.read(key);
        ctx.header("X-Content-Type-Options", "nosniff");
        // Content-addressed: the bytes under a key never change.
        ctx.header("Cache-Control", "private, max-age=31536000, immutable");
        ImageFormat format = ImageFormat.sniff(bytes);
        ctx.contentType(format == null ? "application/octet-stream" : format.mediaType()).result(bytes);
    }
}
