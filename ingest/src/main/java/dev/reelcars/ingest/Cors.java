package dev.reelcars.ingest;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-origin access for the reviewers' page, and for nobody else: its uploads (a still as a form, a film with tus)
 * carry the session cookie, so only the configured page origins get {@code Access-Control-Allow-Origin} with
 * credentials. A preflight names the methods and headers the page uses, a fixed list rather than whatever the browser
 * asks for, and the answers expose the headers a tus client reads ({@code Location}, {@code Upload-Offset}, …).
 * A preflight from any other origin is answered 403 without a CORS header, so the browser refuses the request.
 */
final class Cors {
    static final List<String> METHODS = List.of("GET", "POST", "PATCH", "HEAD", "DELETE");
    /** What the page sends beyond the CORS-safelisted headers: tus' own, and JSON or tus bodies. */
    static final List<String> REQUEST_HEADERS = List.of("Content-Type", "Tus-Resumable", "Upload-Length",
            "Upload-Offset", "Upload-Metadata", "Accept", "Last-Event-ID");
    /** What the page (and tus-js-client) reads from an answer. */
    static final List<String> EXPOSED_HEADERS = List.of("Location", "Upload-Offset", "Upload-Length",
            "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Max-Size", "Upload-Expires", "Retry-After",
            FilmUploads.FILM_ID_HEADER, FilmUploads.DUPLICATE_HEADER);
    /** Seconds a browser may remember a preflight's answer. */
    private static final int MAX_AGE = 600;

    private final Set<String> origins;

    /** @param origins the page origins ({@code scheme://host:port}) */
    Cors(Set<String> origins) {
        this.origins = origins.stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** Answers preflights before any route (and before the upload gate), and marks every answer to the page. */
    void install(Javalin app) {
        app.before(this::handle);
    }

    private void handle(Context ctx) {
        String origin = ctx.header("Origin");
        boolean allowed = origin != null && origins.contains(origin.toLowerCase(Locale.ROOT));
        boolean preflight = ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null;
        if (allowed) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Access-Control-Allow-Credentials", "true");
            ctx.header("Vary", "Origin");
            ctx.header("Access-Control-Expose-Headers", String.join(", ", EXPOSED_HEADERS));
        }
        if (!preflight) {
            return;
        }
        if (allowed) {
            ctx.header("Access-Control-Allow-Methods", String.join(", ", METHODS));
            ctx.header("Access-Control-Allow-Headers", String.join(", ", REQUEST_HEADERS));
            ctx.header("Access-Control-Max-Age", String.valueOf(MAX_AGE));
            ctx.status(204);
        } else {
            ctx.status(403).json(new dev.reelcars.platform.http.ApiError("cross-site",
                    "cross-origin requests are allowed only from the reelcars page"));
        }
        ctx.skipRemainingHandlers();
    }
}
