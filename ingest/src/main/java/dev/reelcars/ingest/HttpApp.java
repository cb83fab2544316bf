package dev.reelcars.ingest;

import dev.reelcars.contracts.HttpErrors;
import io.javalin.Javalin;

/** The Javalin app with reelcars' JSON errors, the Retry-After header on retryable ones, and CORS for the page. */
final class HttpApp {
    private HttpApp() {
    }

    static Javalin create(String corsOrigin) {
        Javalin app = Javalin.create(config -> {
            HttpErrors.configure(config);
            config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                if ("*".equals(corsOrigin)) {
                    rule.anyHost();
                } else {
                    rule.allowHost(corsOrigin);
                }
                rule.exposeHeader("Retry-After");
            }));
        });
        HttpErrors.install(app);
        app.exception(RetryLaterException.class, (e, ctx) -> {
            ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
            HttpErrors.respond(ctx, e.status(), e.code(), e.getMessage());
        });
        return app;
    }
}
