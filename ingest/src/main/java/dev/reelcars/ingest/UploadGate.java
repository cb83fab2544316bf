package dev.reelcars.ingest;

import dev.reelcars.accounts.Authenticator;
import dev.reelcars.accounts.Principal;
import dev.reelcars.accounts.Role;
import dev.reelcars.events.EventCodec;
import dev.reelcars.platform.http.ApiError;
import dev.reelcars.platform.http.ApiException;
import dev.reelcars.platform.http.RateLimiter;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Optional;

/**
 * Decides whether an upload may be read at all, from its headers alone: who sends it (a signed-in contributor,
 * 401/403 otherwise; a cookie-carried upload must come from the page's origin) and whether the account and the
 * client address are within the rate limit (429). A refused request's body is never read: the connection is closed
 * instead, so an over-limit client cannot make us swallow 19 MB before it hears no.
 */
final class UploadGate {
    static final String PRINCIPAL = "reelcars.principal";

    private final Authenticator auth;
    private final RateLimiter rateLimiter;
    private final boolean anonymousStills;

    UploadGate(Authenticator auth, RateLimiter rateLimiter, boolean anonymousStills) {
        this.auth = auth;
        this.rateLimiter = rateLimiter;
        this.anonymousStills = anonymousStills;
    }

    /** A Javalin before-handler for the upload routes. */
    void admit(Context ctx) {
        if (!"POST".equals(ctx.method().name())) {
            return;
        }
        try {
            Optional<Principal> who = auth.current(ctx);
            if (who.isEmpty() && anonymousStills && ctx.path().equals("/api/stills")) {
                rateLimiter.acquire("address:" + ctx.ip());
                return;
            }
            Principal p = auth.require(ctx, Role.CONTRIBUTOR);
            rateLimiter.acquire("account:" + p.name(), "address:" + ctx.ip());
            ctx.attribute(PRINCIPAL, p);
        } catch (ApiException e) {
            refuseUnread(ctx, e);
        }
    }

    /**
     * Answers now and closes the connection: the body is left unread (Jetty would otherwise try to read it to keep
     * the connection alive, and the client would hear nothing until it had sent all of it).
     */
    static void refuseUnread(Context ctx, ApiException e) {
        try {
            var res = ctx.res();
            res.setStatus(e.status());
            ctx.attribute(dev.reelcars.platform.http.HttpErrors.ERROR_CODE, e.code()); // counted by UploadMetrics
            res.setHeader("Connection", "close");
            res.setContentType("application/json");
            if (e.retryAfterSeconds() > 0) {
                res.setHeader("Retry-After", String.valueOf(e.retryAfterSeconds()));
            }
            res.getOutputStream().write(EventCodec.mapper().writeValueAsBytes(new ApiError(e.code(),
                    e.getMessage())));
            res.flushBuffer();
        } catch (IOException io) {
            // The client is gone: nothing left to tell it.
        }
        ctx.skipRemainingHandlers();
    }

    /** The account an admitted upload belongs to; null only for an anonymous still where the operator allows it. */
    static String contributor(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        return p == null ? null : p.name();
    }
}
