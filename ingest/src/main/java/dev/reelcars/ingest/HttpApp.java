package dev.reelcars.ingest;

import dev.reelcars.contracts.HttpErrors;
import io.javalin.Javalin;
import java.util.Set;

/** The Javalin app with reelcars' JSON errors (Retry-After on retryable ones) and CORS for the page. */
final class HttpApp {
    private HttpApp() {
    }

    /**
     * @param pageOrigins the reviewers' page origins, which may post uploads here with the session cookie (CORS with
     *     credentials, never for any host)
     */
    static Javalin create(Set<String> pageOrigins, String bindAddress) {
        Javalin app = Javalin.create(config -> {
            HttpErrors.configure(config);
            config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                pageOrigins.forEach(rule::allowHost);
                rule.allowCredentials = true;
                rule.exposeHeader("Retry-After");
            }));
        });
        HttpErrors.install(app);
        return app;
    }
}
