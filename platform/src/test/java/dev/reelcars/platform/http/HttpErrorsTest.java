package dev.reelcars.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.http.BadMessageException;
import org.junit.jupiter.api.Test;

class HttpErrorsTest {
    @Test
    void jettyRefusingABodyWhileTheHandlerReadsItIsTheClientsErrorWithAJsonReason() throws Exception {
        // Given an app whose handler meets Jetty's refusal of a body arriving too slowly
        Javalin app = Javalin.create(HttpErrors::configure);
        HttpErrors.install(app);
        app.post("/slow", ctx -> {
            throw new BadMessageException(408, "Request content data rate < 64 B/s");
        });
        app.start(0);
        try {
            // When a client posts to it
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/slow"))
                            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            // Then it gets a 408 with a stable code, not a 500
            assertEquals(408, response.statusCode());
            assertTrue(response.body().contains("\"request-too-slow\""), response.body());
        } finally {
            app.stop();
        }
    }
}
