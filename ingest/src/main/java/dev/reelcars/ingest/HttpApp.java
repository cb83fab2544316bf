package dev.reelcars.ingest;

import dev.reelcars.platform.http.ApiDescription;
import dev.reelcars.platform.http.HttpErrors;
import dev.reelcars.platform.metrics.Metrics;
import io.javalin.Javalin;
import java.util.Set;

/**
 * The Javalin app with reelcars' JSON errors (Retry-After on retryable ones), CORS for the page ({@link Cors}), request metrics and
 * {@code GET /metrics}, and the API's description at {@code GET /openapi.json} (resource {@value #API_DESCRIPTION}).
 */
final class HttpApp {
    static final String API_DESCRIPTION = "/openapi/ingest.json";

    private HttpApp() {
    }

    /**
     * @param pageOrigins the reviewers' page origins, which may post uploads here with the session cookie (CORS with
     *     credentials, never for any host)
     */
    static Javalin create(Set<String> pageOrigins, String bindAddress, Metrics metrics) {
        Javalin app = Javalin.create(config -> {
            HttpErrors.configure(config);
            metrics.configure(config);
        });
        new Cors(pageOrigins).install(app);
        HttpErrors.install(app);
        metrics.install(app);
        ApiDescription.fromResource(HttpApp.class, API_DESCRIPTION).serve(app);
        return app;
    }
}
