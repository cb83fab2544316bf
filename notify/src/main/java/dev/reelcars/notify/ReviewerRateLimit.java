package dev.reelcars.notify;

import dev.reelcars.accounts.Authenticator;
import dev.reelcars.accounts.Principal;
import dev.reelcars.accounts.Role;
import dev.reelcars.platform.http.RateLimiter;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * Every reviewer's write (a decision, its undo, a reopening, a proposal vote, a relabel, a retirement, the digest)
 * takes a token from the account's bucket ({@code REELCARS_NOTIFY_WRITE_RATE_*}), in a before-handler: an over-limit
 * request is answered 429 {@code rate-limited} with {@code Retry-After} before its body is read, and publishes
 * nothing. Per account, not per address: reviewers sign in, and several may share one address.
 */
final class ReviewerRateLimit {
    /** The routes whose writes count; reads (GET) on them do not. */
    static final List<String> WRITE_ROUTES = List.of("/api/reviews/*", "/api/proposals/*", "/api/references/*",
            "/api/digest");

    private final Authenticator auth;
    private final RateLimiter limiter;

    ReviewerRateLimit(Authenticator auth, RateLimiter limiter) {
        this.auth = auth;
        this.limiter = limiter;
    }

    void install(Javalin app) {
        for (String route : WRITE_ROUTES) {
            app.before(route, this::admit);
        }
    }

    private void admit(Context ctx) {
        HandlerType method = ctx.method();
        if (method != HandlerType.POST && method != HandlerType.DELETE && method != HandlerType.PUT
                && method != HandlerType.PATCH) {
            return;
        }
        // The same checks as the route's own (401, 403, cross-site), so the bucket is the caller's account.
        Principal p = auth.require(ctx, Role.REVIEWER);
        limiter.acquire("account:" + p.name());
    }
}
