package dev.reelcars.ingest;

import dev.reelcars.contracts.HttpErrors;
import io.javalin.Javalin;

/** The Javalin app with reelcars' JSON errors (Retry-After on retryable ones) and CORS for the page. */
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
        return app;
    }
}
