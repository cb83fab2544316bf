package dev.reelcars.catalogue;

import dev.reelcars.accounts.Authenticator;
import dev.reelcars.events.BlobKeys;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.platform.blob.BlobStore;
import dev.reelcars.platform.http.ApiException;
import dev.reelcars.platform.image.ImageFormat;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue's JSON and CSV API, the images it shows, and its pages. Everything is read-only. Public by default;
 * with {@code REELCARS_CATALOGUE_PUBLIC=false} the API and images answer 401 to anyone not signed in (the pages
 * themselves hold no data and say where to sign in).
 *
 * <p>Only blobs the catalogue shows (confirmed stills, reference views) are served: a still still under review or
 * a rejected one stays private even though its key might be guessed or leaked.
 */
final class CatalogueApi {
    static final String IMAGES = "/api/catalogue/images/";
    static final String THUMBNAILS = "/api/catalogue/thumbnails/";

    private final Catalogue catalogue;
    private final SearchIndex index;
    private final BlobStore blobs;
    private final Authenticator auth;
    private final boolean publicPages;
    private final Thumbnails thumbnails;

    CatalogueApi(Catalogue catalogue, SearchIndex index, BlobStore blobs, Thumbnails thumbnails, Authenticator auth,
            boolean publicPages) {
        this.catalogue = catalogue;
        this.index = index;
        this.blobs = blobs;
        this.thumbnails = thumbnails;
        this.auth = auth;
        this.publicPages = publicPages;
    }

    void routes(Javalin app) {
        app.before("/api/catalogue/*", this::admit);
        app.get("/api/catalogue/search", this::search);
        app.get("/api/catalogue/vehicles/{id}", this::vehicle);
        app.get("/api/catalogue/films/{id}", this::film);
        app.get("/api/catalogue/appearances.json", ctx -> ctx.json(Map.of("appearances",
                rows(ctx).stream().map(Row::toMap).toList())));
        app.get("/api/catalogue/appearances.csv", this::csv);
        app.get(IMAGES + "{blobKey}", this::image);
        app.get(THUMBNAILS + "{blobKey}", this::thumbnail);
        app.get("/health", ctx -> ctx.json(Map.of("status", "ok", "appearances", catalogue.appearanceCount())));
    }

    private void admit(Context ctx) {
        if (!publicPages) {
            auth.requireSignedIn(ctx);
        }
    }

    private void search(Context ctx) {
        Integer from = year(ctx, "yearFrom");
        Integer to = year(ctx, "yearTo");
        int page = intParam(ctx, "page", 1, 1, SearchIndex.MAX_PAGE);
        String q = text(ctx, "q");
        String country = blankToNull(text(ctx, "country"));
        String make = blankToNull(text(ctx, "make"));
        SearchIndex.Page result = index.search(q, new SearchIndex.Filters(from, to, country, make), page);
        List<Map<String, Object>> hits = new ArrayList<>();
        for (SearchIndex.Hit hit : result.hits()) {
            if (hit.type().equals("vehicle")) {
                catalogue.vehicle(hit.id()).ifPresent(v -> hits.add(vehicleSummary(v)));
            } else {
                catalogue.film(hit.id()).ifPresent(f -> hits.add(filmSummary(f)));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("q", q == null ? "" : q);
        out.put("yearFrom", from);
        out.put("yearTo", to);
        out.put("country", country);
        out.put("make", make);
        out.put("page", page);
        out.put("pageSize", SearchIndex.PAGE_SIZE);
        out.put("total", result.total());
        out.put("hits", hits);
        ctx.json(out);
    }

    /**
     * A merged or renamed vehicle's old id answers with a redirect to the id it resolves to (302, not permanent:
     * undoing the merge makes the old id stand alone again).
     */
    private void vehicle(Context ctx) {
        String id = ctx.pathParam("id");
        String canonical = catalogue.canonicalVehicle(id);
        if (!canonical.equals(id)) {
            ctx.redirect("/api/catalogue/vehicles/" + canonical, HttpStatus.FOUND);
            return;
        }
        Catalogue.Vehicle v = catalogue.vehicle(id).orElseThrow(() ->
                new ApiException(404, "not-found", "no vehicle " + id));
        Map<String, Object> out = vehicleSummary(v);
        Catalogue.Details d = v.details();
        out.put("variant", d.variant());
        out.put("yearFrom", d.yearFrom());
        out.put("yearTo", d.yearTo());
        out.put("country", d.country());
        out.put("scope", d.scope());
        out.put("notes", d.notes());
        out.put("aliases", v.aliases());
        List<Map<String, Object>> refs = new ArrayList<>();
        for (ReferenceAdded r : v.references()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("referenceId", r.referenceId());
            m.put("imageUrl", IMAGES + r.blobKey());
            m.put("thumbnailUrl", THUMBNAILS + r.blobKey());
            m.put("width", r.width());
            m.put("height", r.height());
            m.put("source", r.source());
            refs.add(m);
        }
        out.put("references", refs);
        out.put("appearances", v.appearances().stream().map(a -> new Row(a, d).toPageMap()).toList());
        out.put("edits", EditApi.history(catalogue.editsOf(v.id())));
        ctx.json(out);
    }

    private void film(Context ctx) {
        String id = ctx.pathParam("id");
        String canonical = catalogue.canonicalFilm(id);
        if (!canonical.equals(id)) {
            ctx.redirect("/api/catalogue/films/" + canonical, HttpStatus.FOUND);
            return;
        }
        Catalogue.Film f = catalogue.film(id).orElseThrow(() -> new ApiException(404, "not-found", "no film " + id));
        Map<String, Object> out = filmSummary(f);
        out.put("originalTitle", f.originalTitle());
        out.put("alternativeTitles", f.alternativeTitles());
        out.put("aliases", f.aliases());
        out.put("edits", EditApi.history(catalogue.editsOf(f.id())));
        out.put("appearances", f.appearances().stream()
                .map(a -> new Row(a, catalogue.details(a.vehicleId(), a.label())).toPageMap()).toList());
        ctx.json(out);
    }

    private static Map<String, Object> vehicleSummary(Catalogue.Vehicle v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "vehicle");
        m.put("id", v.id());
        m.put("label", v.label());
        m.put("make", v.details().make());
        m.put("model", v.details().model());
        m.put("year", v.details().yearFrom());
        m.put("country", v.details().country());
        m.put("firstSeen", v.firstSeen());
        m.put("lastSeen", v.lastSeen());
        m.put("appearanceCount", v.appearances().size());
        m.put("films", v.appearances().stream().map(Appearance::filmId).filter(f -> f != null).distinct().count());
        m.put("thumbnailUrl", !v.references().isEmpty() ? THUMBNAILS + v.references().get(0).blobKey()
                : v.appearances().isEmpty() ? null : THUMBNAILS + v.appearances().get(0).stillBlobKey());
        m.put("url", "/vehicles/" + v.id());
        return m;
    }

    private static Map<String, Object> filmSummary(Catalogue.Film f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "film");
        m.put("id", f.id());
        m.put("title", f.title());
        m.put("year", f.year());
        m.put("titles", f.titles());
        m.put("country", f.country());
        m.put("appearanceCount", f.appearances().size());
        m.put("vehicles", f.appearances().stream().map(Appearance::vehicleId).distinct().count());
        m.put("thumbnailUrl", THUMBNAILS + f.appearances().get(0).stillBlobKey());
        m.put("url", "/films/" + f.id());
        return m;
    }

    private List<Row> rows(Context ctx) {
        String vehicle = ctx.queryParam("vehicle");
        String film = ctx.queryParam("film");
        List<Row> out = new ArrayList<>();
        for (Appearance a : catalogue.appearances(blankToNull(vehicle), blankToNull(film))) {
            out.add(new Row(a, catalogue.details(a.vehicleId(), a.label())));
        }
        return out;
    }

    private void csv(Context ctx) {
        StringBuilder sb = new StringBuilder(String.join(",", Row.COLUMNS)).append("\r\n");
        for (Row r : rows(ctx)) {
            List<Object> values = new ArrayList<>(r.toMap().values());
            for (int i = 0; i < Row.COLUMNS.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(csvCell(values.get(i)));
            }
            sb.append("\r\n");
        }
        ctx.header("Content-Disposition", "attachment; filename=\"reelcars-appearances.csv\"");
        ctx.contentType("text/csv; charset=utf-8").result(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * RFC 4180 quoting, and a leading quote mark on a cell a spreadsheet would read as a formula (a film title is
     * whatever a contributor typed).
     */
    static String csvCell(Object value) {
        if (value == null) {
            return "";
        }
        String s = value instanceof List<?> list ? String.join(" ", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    private void image(Context ctx) {
        String key = shownKey(ctx);
        if (notModified(ctx, key)) {
            return;
        }
        byte[] bytes = blobs.read(key);
        ImageFormat format = ImageFormat.sniff(bytes);
        ctx.contentType(format == null ? "application/octet-stream" : format.mediaType()).result(bytes);
    }

    /**
     * A shown image's thumbnail, made on the first request and kept ({@link Thumbnails}); the image itself (a
     * redirect) when it cannot be made.
     */
    private void thumbnail(Context ctx) throws InterruptedException {
        String key = shownKey(ctx);
        var t = thumbnails.thumbnailOf(key, 10_000);
        if (t == null) {
            ctx.redirect(IMAGES + key, HttpStatus.FOUND);
            return;
        }
        if (notModified(ctx, t.thumbnailKey())) {
            return;
        }
        ctx.contentType(t.contentType()).result(blobs.read(t.thumbnailKey()));
    }

    private String shownKey(Context ctx) {
        String key = ctx.pathParam("blobKey");
        if (!BlobKeys.isValid(key) || !catalogue.shows(key)) {
            throw new ApiException(404, "not-found", "no such image in the catalogue");
        }
        return key;
    }

    /**
     * Caching headers of content-addressed bytes (they never change under their key: immutable, the key is the
     * ETag; shared caches may keep them only when the catalogue is public), and 304 when the client holds them.
     */
    private boolean notModified(Context ctx, String servedKey) {
        String etag = "\"" + servedKey + "\"";
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", (publicPages ? "public" : "private") + ", max-age=31536000, immutable");
        ctx.header("ETag", etag);
        String held = ctx.header("If-None-Match");
        if (held != null && (held.trim().equals("*") || java.util.Arrays.stream(held.split(","))
                .map(String::trim).map(v -> v.startsWith("W/") ? v.substring(2) : v).anyMatch(etag::equals))) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return true;
        }
        return false;
    }

    private static Integer year(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return intParam(ctx, name, 0, 1800, 2200);
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(400, "bad-request", name + " must be an integer in " + min + ".." + max);
    }

    /** A free-text parameter, at most 200 characters (400 otherwise). */
    private static String text(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v != null && v.length() > 200) {
            throw new ApiException(400, "bad-request", name + " must be at most 200 characters");
        }
        return v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** One appearance as the API and the export give it. */
    record Row(Appearance a, Catalogue.Details vehicle) {
        static final List<String> COLUMNS = List.of("appearanceId", "filmId", "filmTitle", "filmYear", "timecode",
                "vehicleId", "label", "make", "model", "prominence", "stillUrl", "confirmedBy", "confirmedAt",
                "timecodeEnd", "stills", "anachronism");

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("appearanceId", a.id());
            m.put("filmId", a.filmId());
            m.put("filmTitle", a.filmTitle());
            m.put("filmYear", a.filmYear());
            m.put("timecode", a.timecode());
            m.put("vehicleId", a.vehicleId());
            m.put("label", vehicle.label() != null ? vehicle.label() : a.label());
            m.put("make", vehicle.make());
            m.put("model", vehicle.model());
            m.put("prominence", a.prominence().wire());
            m.put("stillUrl", IMAGES + a.stillBlobKey());
            m.put("confirmedBy", a.confirmedBy());
            m.put("confirmedAt", a.confirmedAt().toString());
            // Columns added later go last, so a spreadsheet reading the first thirteen reads them as before.
            m.put("timecodeEnd", a.timecodeEnd());
            m.put("stills", a.stills().size());
            m.put("anachronism", vehicle.anachronism(a.filmYear()));
            return m;
        }

        /** The row with what only the pages use: the thumbnail and every still of a shot. */
        Map<String, Object> toPageMap() {
            Map<String, Object> m = toMap();
            m.put("thumbnailUrl", THUMBNAILS + a.stillBlobKey());
            m.put("yearFrom", vehicle.yearFrom());
            return m;
        }
    }
}
