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
import dev.reelcars.platform.kafka.EventPublisher;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reviewers' corrections to the catalogue: {@code POST /api/catalogue/edits} and
 * {@code POST /api/catalogue/edits/{editId}/undo}. Only a signed-in reviewer may edit (401, 403); a browser's
 * write with the session cookie must come from the catalogue's or the workbench's origin (403 {@code cross-site});
 * the body must be JSON (415) of at most {@value #MAX_BODY_BYTES} bytes. Each edit is published on the
 * catalogue-edits topic, audited (who, when, from where), and answered once the catalogue has read it back, so the
 * next read shows it. Nothing is changed in place: the catalogue applies the edit from the topic, as a rebuild will.
 */
final class EditApi {
    static final int MAX_BODY_BYTES = 16 * 1024;
    private static final long VISIBLE_WITHIN_MILLIS = 5_000;
    private static final Set<String> VEHICLE_FIELDS = Set.of("label", "make", "model", "variant", "yearFrom",
            "yearTo", "country", "scope", "notes");
    private static final Set<String> FILM_FIELDS = Set.of("title", "originalTitle", "alternativeTitles", "country");

    private final Catalogue catalogue;
    private final Authenticator auth;
    private final EventPublisher publisher;
    private final AuditLog audit;
    private final String topic;
    private final Clock clock;
    private final Runnable reindex;

    /** @param reindex brings the search index up to date (so a search right after the answer finds the edit) */
    EditApi(Catalogue catalogue, Runnable reindex, Authenticator auth, EventPublisher publisher, AuditLog audit,
            String topic, Clock clock) {
        this.catalogue = catalogue;
        this.reindex = reindex;
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
        String reason = text(r.reason(), "reason", 500);
        CatalogueEdit e = build(r, editId, p.name(), reason);
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
                p.name(), clock.instant(), text(r.reason(), "reason", 500));
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

    /** The event for a request, with every id resolved to the vehicle or film it stands for now. */
    private CatalogueEdit build(EditRequest r, String editId, String editor, String reason) {
        String kind = r.kind() == null ? "" : r.kind();
        String target = r.target();
        if (target == null || !Ids.isSafe(target)) {
            throw new ApiException(400, "bad-target", "target must be an appearance, vehicle or film id");
        }
        Map<String, Object> given = r.fields() == null ? Map.of() : r.fields();
        Map<String, String> fields = new LinkedHashMap<>();
        Kind k;
        String into = null;
        switch (kind) {
            case "prominence" -> {
                k = Kind.PROMINENCE;
                if (!catalogue.hasAppearance(target)) {
                    throw new ApiException(404, "not-found", "no appearance " + target);
                }
                onlyFields(given, Set.of("prominence"));
                String value = text(given.get("prominence"), "prominence", 20);
                if (!given.containsKey("prominence")
                        || value != null && Appearance.Prominence.parse(value) == null) {
                    throw new ApiException(400, "bad-field", "prominence is background, minor, featured or null");
                }
                fields.put("prominence", value);
            }
            case "vehicle" -> {
                k = Kind.VEHICLE;
                target = existingVehicle(target);
                vehicleFields(given, fields, target);
            }
            case "film" -> {
                k = Kind.FILM;
                target = existingFilm(target);
                onlyFields(given, FILM_FIELDS);
                for (var f : given.entrySet()) {
                    if (f.getKey().equals("alternativeTitles")) {
                        fields.put(f.getKey(), titles(f.getValue()));
                    } else {
                        fields.put(f.getKey(), text(f.getValue(), f.getKey(), f.getKey().equals("country") ? 80 : 300));
                    }
                }
            }
            case "vehicle-merge", "film-merge" -> {
                boolean vehicle = kind.startsWith("vehicle");
                k = vehicle ? Kind.VEHICLE_MERGE : Kind.FILM_MERGE;
                onlyFields(given, Set.of());
                if (r.into() == null || !Ids.isSafe(r.into())) {
                    throw new ApiException(400, "bad-into", "into must be the id to merge into");
                }
                target = vehicle ? existingVehicle(target) : existingFilm(target);
                into = vehicle ? existingVehicle(r.into()) : existingFilm(r.into());
                if (target.equals(into)) {
                    throw new ApiException(409, "already-merged", r.target() + " and " + r.into() + " are one already");
                }
            }
            case "vehicle-rename" -> {
                onlyFields(given, Set.of("label"));
                String label = text(given.get("label"), "label", 120);
                if (label == null) {
                    throw new ApiException(400, "bad-field", "a rename needs the new label");
                }
                target = existingVehicle(target);
                String renamed = Names.vehicleId(label);
                fields.put("label", label);
                if (renamed.equals(target) || !Ids.isSafe(renamed)) {
                    // The same id (only case or accents differ), or a name too long for an id: the name changes.
                    k = Kind.VEHICLE;
                } else {
                    k = Kind.VEHICLE_MERGE;
                    into = renamed;
                }
            }
            case "vehicle-unmerge", "film-unmerge" -> {
                boolean vehicle = kind.startsWith("vehicle");
                k = vehicle ? Kind.VEHICLE_UNMERGE : Kind.FILM_UNMERGE;
                onlyFields(given, Set.of());
                String canonical = vehicle ? catalogue.canonicalVehicle(target) : catalogue.canonicalFilm(target);
                if (canonical.equals(target)) {
                    throw new ApiException(409, "not-merged", target + " is not merged into anything");
                }
            }
            default -> throw new ApiException(400, "bad-kind", "kind is prominence, vehicle, film, vehicle-merge,"
                    + " vehicle-rename, vehicle-unmerge, film-merge or film-unmerge");
        }
        return new CatalogueEdit(CatalogueEdit.CURRENT_VERSION, editId, k, target, fields, into, null, editor,
                clock.instant(), reason);
    }

    private void vehicleFields(Map<String, Object> given, Map<String, String> fields, String vehicle) {
        onlyFields(given, VEHICLE_FIELDS);
        if (given.isEmpty()) {
            throw new ApiException(400, "bad-field", "give at least one of " + VEHICLE_FIELDS);
        }
        for (var f : given.entrySet()) {
            String name = f.getKey();
            String value = switch (name) {
                case "yearFrom", "yearTo" -> year(f.getValue(), name);
                case "notes" -> text(f.getValue(), name, 2000);
                case "scope" -> {
                    String s = text(f.getValue(), name, 10);
                    if (s != null && !s.equals("vehicle") && !s.equals("model")) {
                        throw new ApiException(400, "bad-field", "scope is vehicle (one physical vehicle: a"
                                + " prototype, a plate) or model");
                    }
                    yield s;
                }
                default -> text(f.getValue(), name, 120);
            };
            if (name.equals("label") && value == null) {
                throw new ApiException(400, "bad-field", "a vehicle keeps a label; rename it instead");
            }
            fields.put(name, value);
        }
        Catalogue.Details now = catalogue.details(vehicle, null);
        Integer from = fields.containsKey("yearFrom") ? parse(fields.get("yearFrom")) : now.yearFrom();
        Integer to = fields.containsKey("yearTo") ? parse(fields.get("yearTo")) : now.yearTo();
        if (from != null && to != null && from > to) {
            throw new ApiException(400, "bad-field", "yearFrom " + from + " is after yearTo " + to);
        }
    }

    private String existingVehicle(String id) {
        String canonical = catalogue.canonicalVehicle(id);
        if (catalogue.vehicle(canonical).isEmpty()) {
            throw new ApiException(404, "not-found", "no vehicle " + id);
        }
        return canonical;
    }

    private String existingFilm(String id) {
        String canonical = catalogue.canonicalFilm(id);
        if (catalogue.film(canonical).isEmpty()) {
            throw new ApiException(404, "not-found", "no film " + id);
        }
        return canonical;
    }

    private static void onlyFields(Map<String, Object> given, Set<String> allowed) {
        for (String name : given.keySet()) {
            if (!allowed.contains(name)) {
                throw new ApiException(400, "bad-field", "unknown field " + name + (allowed.isEmpty() ? ""
                        : "; this edit takes " + allowed));
            }
        }
    }

    /** A text value: trimmed, blank = null (back to the derived value), no control characters, at most max. */
    private static String text(Object value, String name, int max) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new ApiException(400, "bad-field", name + " must be text");
        }
        String t = s.strip();
        if (t.isEmpty()) {
            return null;
        }
        if (t.length() > max) {
            throw new ApiException(400, "bad-field", name + " must be at most " + max + " characters");
        }
        boolean multiline = name.equals("notes");
        if (t.chars().anyMatch(c -> Character.isISOControl(c) && !(multiline && c == '\n'))) {
            throw new ApiException(400, "bad-field", name + " must not hold control characters");
        }
        return t;
    }

    private static String year(Object value, String name) {
        if (value == null || value instanceof String s && s.isBlank()) {
            return null;
        }
        Integer y = value instanceof Integer i ? i : value instanceof String s ? parse(s.strip()) : null;
        if (y == null || y < 1860 || y > 2100) {
            throw new ApiException(400, "bad-field", name + " must be a year in 1860..2100");
        }
        return String.valueOf(y);
    }

    private static Integer parse(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Alternative titles: a list of at most 20, one a line in the event. */
    private static String titles(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list) || list.size() > 20) {
            throw new ApiException(400, "bad-field", "alternativeTitles must be a list of at most 20 titles");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            String t = text(o, "alternativeTitles", 300);
            if (t != null && !out.contains(t)) {
                out.add(t);
            }
        }
        return out.isEmpty() ? null : String.join("\n", out);
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
        e.fields().forEach((k, v) -> fields.put(k, k.equals("alternativeTitles") && v != null ? v.lines().toList() : v));
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
