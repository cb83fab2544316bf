package dev.reelcars.catalogue;

import dev.reelcars.accounts.AccountsApi;
import dev.reelcars.accounts.AuditLog;
import dev.reelcars.accounts.Authenticator;
import dev.reelcars.accounts.Principal;
import dev.reelcars.accounts.Role;
import dev.reelcars.events.CatalogueEdit;
import dev.reelcars.events.CatalogueEdit.Kind;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.Ids;
import dev.reelcars.platform.http.ApiException;
import dev.reelcars.platform.http.RateLimit;
import dev.reelcars.platform.http.RateLimiter;
import dev.reelcars.platform.kafka.EventPublisher;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reviewers' corrections to the catalogue: {@code POST /api/catalogue/edits} and
 * {@code POST /api/catalogue/edits/{editId}/undo}. Only a signed-in reviewer may edit (401, 403); a browser's
 * write with the session cookie must come from the catalogue's or the workbench's origin (403 {@code cross-site});
 * the body must be JSON (415) of at most {@value #MAX_BODY_BYTES} bytes; an account's edits and undos together are
 * rate-limited ({@code REELCARS_CATALOGUE_EDIT_RATE_*}: 429 {@code rate-limited} with {@code Retry-After}). Each edit is published on the
 * catalogue-edits topic, audited (who, when, from where), and answered once the catalogue has read it back, so the
 * next read shows it. Nothing is changed in place: the catalogue applies the edit from the topic, as a rebuild will.
 */
final class EditApi {
    static final int MAX_BODY_BYTES = 16 * 1024;
    private static final long VISIBLE_WITHIN_MILLIS = 5_000;

    private final Catalogue catalogue;
    private final Authenticator auth;
    private final EventPublisher publisher;
    private final AuditLog audit;
    private final String topic;
    private final Clock clock;
    private final Runnable reindex;
    private final EditRequests requests;
    private final RateLimiter rateLimiter;

    /** @param reindex brings the search index up to date (so a search right after the answer finds the edit) */
    EditApi(Catalogue catalogue, Runnable reindex, Authenticator auth, EventPublisher publisher, AuditLog audit,
            String topic, RateLimit rate, Clock clock) {
        this.rateLimiter = new RateLimiter(rate, clock, "edits");
        this.catalogue = catalogue;
        this.reindex = reindex;
        this.requests = new EditRequests(catalogue, clock);
        this.auth = auth;
        this.publisher = publisher;
        this.audit = audit;
        this.topic = topic;
        this.clock = clock;
    }

    void routes(Javalin app) {
        app.post("/api/catalogue/edits", this::edit);
        app.post("/api/catalogue/edits/{editId}/undo", this::undo);
        // Whether the pages show the edit forms (the server checks every edit anyway).
        app.get("/api/catalogue/me", ctx -> {
            var p = auth.current(ctx);
            ctx.header("Cache-Control", "no-store");
            ctx.json(Map.of("signedIn", p.isPresent(), "name", p.map(Principal::name).orElse(""),
                    "canEdit", p.map(x -> x.has(Role.REVIEWER)).orElse(false)));
        });
        app.get("/api/catalogue/edits", ctx -> {
            String target = ctx.queryParam("target");
            if (target == null || !Ids.isSafe(target)) {
                throw new ApiException(400, "bad-request", "give target=<an appearance, vehicle or film id>");
            }
            ctx.json(Map.of("target", target, "edits", history(catalogue.editsOf(target))));
        });
    }

    /** What a reviewer sends. {@code editId} is optional: a retry with the same id is answered, not applied twice. */
    record EditRequest(String kind, String target, Map<String, Object> fields, String into, String reason,
            String editId) {
    }

    record UndoRequest(String reason) {
    }

    private Principal reviewer(Context ctx) {
        Principal p = auth.require(ctx, Role.REVIEWER);
        // Before the body is read: an over-limit request costs nothing and publishes nothing.
        rateLimiter.acquire("account:" + p.name());
        Authenticator.requireJson(ctx);
        // The declared length first, so an oversized body is refused unread.
        if (ctx.contentLength() > MAX_BODY_BYTES || ctx.bodyAsBytes().length > MAX_BODY_BYTES) {
            throw new ApiException(413, "too-large", "an edit is at most " + MAX_BODY_BYTES + " bytes");
        }
        return p;
    }

    private void edit(Context ctx) throws InterruptedException {
        Principal p = reviewer(ctx);
        EditRequest r = AccountsApi.body(ctx, EditRequest.class);
        String editId = r.editId() == null ? Ids.newId("edit") : r.editId();
        if (!Ids.isSafe(editId)) {
            throw new ApiException(400, "bad-id", "editId must be a short id of letters, digits, '.', '_', ':', '-'");
        }
        Edits.Applied earlier = catalogue.edit(editId);
        if (earlier != null) {
            if (!earlier.edit().editor().equals(p.name())) {
                throw new ApiException(409, "edit-id-taken", "another edit has the id " + editId);
            }
            ctx.status(201).json(Map.of("edit", describe(earlier.edit()), "visible", true));
            return;
        }
        CatalogueEdit e = requests.build(r, editId, p.name(), EditRequests.text(r.reason(), "reason", 500));
        publishAndAnswer(ctx, p, e);
    }

    private void undo(Context ctx) throws InterruptedException {
        Principal p = reviewer(ctx);
        UndoRequest r = AccountsApi.body(ctx, UndoRequest.class);
        Edits.Applied applied = catalogue.edit(ctx.pathParam("editId"));
        if (applied == null) {
            throw new ApiException(404, "not-found", "no edit " + ctx.pathParam("editId"));
        }
        CatalogueEdit e = new CatalogueEdit(CatalogueEdit.CURRENT_VERSION, Ids.newId("edit"), applied.inverseKind(),
                applied.inverseTarget(), applied.inverseFields(), applied.inverseInto(), applied.edit().editId(),
                p.name(), clock.instant(), EditRequests.text(r.reason(), "reason", 500));
        publishAndAnswer(ctx, p, e);
    }

    private void publishAndAnswer(Context ctx, Principal p, CatalogueEdit e) throws InterruptedException {
        publisher.publish(topic, e);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("editId", e.editId());
        detail.put("kind", wire(e.kind()));
        detail.put("into", e.into());
        detail.put("fields", e.fields().isEmpty() ? null : EventCodec.mapper().valueToTree(e.fields()).toString());
        detail.put("undoes", e.undoes());
        detail.put("reason", e.reason());
        audit.record("catalogue.edit", p.name(), ctx.ip(), e.target(), detail);
        boolean visible = catalogue.awaitEdit(e.editId(), VISIBLE_WITHIN_MILLIS);
        if (visible) {
            reindex.run();
        }
        // 202: recorded, but this instance has not read it back yet (it will; nothing needs resending).
        ctx.status(visible ? 201 : 202).json(Map.of("edit", describe(e), "visible", visible));
    }


    static String wire(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** An edit as the API shows it (alternative titles as a list). */
    static Map<String, Object> describe(CatalogueEdit e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("editId", e.editId());
        m.put("kind", wire(e.kind()));
        m.put("target", e.target());
        Map<String, Object> fields = new LinkedHashMap<>();
        e.fields().forEach((k, v) -> fields.put(k, k.equals("alternativeTitles") && v != null ? v.lines().toList()
                : v));
        m.put("fields", fields);
        m.put("into", e.into());
        m.put("undoes", e.undoes());
        m.put("editor", e.editor());
        m.put("editedAt", e.editedAt().toString());
        m.put("reason", e.reason());
        return m;
    }

    static List<Map<String, Object>> history(List<Edits.Applied> applied) {
        return applied.stream().map(a -> describe(a.edit())).toList();
    }
}
