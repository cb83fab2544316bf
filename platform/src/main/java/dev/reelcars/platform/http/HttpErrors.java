package dev.reelcars.platform.http;

import dev.reelcars.events.EventCodec;
import dev.reelcars.platform.blob.BlobStore;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.http.BadMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes every error a Javalin app returns JSON with a stable code, and the same JSON mapper as the events. */
public final class HttpErrors {
    private static final Logger log = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    /**
     * A request body trickling in slower than this is cut off (slow-loris uploads hold a thread and a buffer each).
     * Jetty measures the rate from the request's first byte at every read, so a small body read late is "slow" too:
     * at 4 KiB/s a 40-byte JSON review read 10 ms late on a loaded machine was cut off (seen in CI). At 64 B/s that
     * takes a delay of over half a second, and a 20 B/s trickle is still cut off within seconds.
     */
    public static final long MIN_REQUEST_BYTES_PER_SECOND = 64;

    /** The request attribute holding the stable error code of the answer, when it is an error (for metrics). */
    public static final String ERROR_CODE = "reelcars.error-code";

    /** Call inside {@code Javalin.create(config -> ...)}. */
    public static void configure(JavalinConfig config) {
        config.jsonMapper(new JavalinJackson(EventCodec.mapper(), false));
        config.showJavalinBanner = false;
        config.jetty.modifyHttpConfiguration(http -> {
            http.setMinRequestDataRate(MIN_REQUEST_BYTES_PER_SECOND);
            // Do not advertise the server and version to scanners.
            http.setSendServerVersion(false);
        });
        // Jetty's own refusals (a bad request line, a URI or headers too large) answer JSON too.
        config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        // A request's line and headers must arrive within HeaderDeadline.LIMIT (a slow-loris defence).
        config.jetty.modifyServer(server -> HeaderDeadline.install(server, HeaderDeadline.LIMIT));
    }

    /** Call on the created app, before routes are hit. */
    public static void install(Javalin app) {
        app.exception(ApiException.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
            }
            respond(ctx, e.status(), e.code(), e.getMessage());
        });
        app.exception(BlobStore.BlobStoreException.class, (e, ctx) -> {
            switch (e.kind()) {
                case NOT_FOUND -> respond(ctx, 404, "not-found", "no such image");
                case FULL -> respond(ctx, 507, "storage-full", "the image store is full; try again later");
                default -> {
                    log.error("blob store unavailable", e);
                    ctx.header("Retry-After", "30");
                    respond(ctx, 503, "storage-unavailable", "the image store is unavailable; try again later");
                }
            }
        });
        // Jetty's own refusals while the handler reads the body (a body too slow, a malformed chunk) are the
        // client's: their status, not a 500.
        app.exception(BadMessageException.class, (e, ctx) -> respond(ctx, e.getCode(),
                e.getCode() == 408 ? "request-too-slow" : codeFor(e.getCode()), e.getReason()));
        app.exception(HttpResponseException.class, (e, ctx) ->
                respond(ctx, e.getStatus(), codeFor(e.getStatus()), e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            respond(ctx, 500, "internal", "internal error; see the service log");
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                respond(ctx, 404, "not-found", "no route " + ctx.method() + " " + ctx.path());
            }
        });
        app.error(405, ctx -> respond(ctx, 405, "method-not-allowed", ctx.method() + " not allowed here"));
    }

    public static void respond(Context ctx, int status, String code, String message) {
        ctx.attribute(ERROR_CODE, code);
        ctx.status(status).json(new ApiError(code, message));
    }

    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 409 -> "conflict";
            case 413 -> "too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-type";
            case 431 -> "headers-too-large";
            case 429 -> "too-many-requests";
            case 503 -> "unavailable";
            default -> "error-" + status;
        };
    }
}
