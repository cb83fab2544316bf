package dev.reelcars.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.events.EventCodec;
import dev.reelcars.platform.Settings;
import dev.reelcars.platform.http.ApiException;
import dev.reelcars.platform.http.HttpErrors;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private Javalin app;
    private Metrics metrics;

    private void start(Metrics.Access access) {
        metrics = new Metrics("test", access);
        app = Javalin.create(config -> {
            HttpErrors.configure(config);
            metrics.configure(config);
        });
        HttpErrors.install(app);
        metrics.install(app);
        app.before("/refused", ctx -> {
            // as ingest's upload gate does: answer from the headers and skip the route
            ctx.attribute(HttpErrors.ERROR_CODE, "rate-limited");
            ctx.status(429).result("{}");
            ctx.skipRemainingHandlers();
        });
        app.get("/refused", ctx -> ctx.result("never"));
        app.get("/things/{id}", ctx -> ctx.result("thing " + ctx.pathParam("id")));
        app.get("/broken", ctx -> {
            throw new ApiException(422, "image-too-small", "too small");
        });
        app.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
        metrics.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesPrometheusTextWithRequestTimesByRouteAndStatusJvmMemoryAndRss() throws Exception {
        start(Metrics.Access.loopbackOnly());
        get("/things/1");
        get("/things/2");
        get("/broken");
        get("/refused");
        get("/no/such/path/" + System.nanoTime());

        // Javalin logs a request just after its answer is sent: the last one may not be counted at once.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> get("/metrics").body().contains("route=\"NOT_FOUND\""));
        HttpResponse<String> res = get("/metrics");

        assertEquals(200, res.statusCode());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String text = res.body();
        assertTrue(Pattern.compile("http_server_requests_seconds_count\\{[^}]*method=\"GET\",route=\"/things/\\{id}\","
                + "service=\"test\",status=\"200\"} 2").matcher(text).find(), "two timed requests of one route: " + text);
        assertTrue(text.contains("route=\"/broken\",service=\"test\",status=\"422\""), "an error's status");
        assertTrue(text.contains("route=\"/refused\",service=\"test\",status=\"429\""),
                "a request refused by a before-handler is timed too: " + text);
        assertTrue(text.contains("route=\"NOT_FOUND\""), "unmatched paths share one route tag");
        assertTrue(text.contains("jvm_memory_used_bytes{"), "JVM memory");
        assertTrue(Pattern.compile("process_resident_memory_bytes\\{service=\"test\"} [1-9]").matcher(text).find(),
                "the process's resident set size: " + text);
    }

    @Test
    void countsDeadLettersByTopicAndReason() {
        metrics = new Metrics("test", Metrics.Access.loopbackOnly());
        app = Javalin.create();
        metrics.deadLettered("reelcars.stills", "invalid-json");
        metrics.deadLettered("reelcars.stills", "invalid-json");
        assertTrue(metrics.scrape().contains(
                "reelcars_dead_letters_total{reason=\"invalid-json\",service=\"test\",topic=\"reelcars.stills\"} 2.0"),
                metrics.scrape());
    }

    @Test
    void refusesAForwardedRequestWithoutATokenAsNotLoopback() throws Exception {
        start(Metrics.Access.loopbackOnly());
        HttpResponse<String> res = get("/metrics", "X-Forwarded-For", "203.0.113.9");
        assertEquals(403, res.statusCode());
        JsonNode body = EventCodec.mapper().readTree(res.body());
        assertEquals("forbidden", body.path("error").asText());
        assertTrue(body.path("message").asText().contains("REELCARS_METRICS_TOKEN"));
    }

    @Test
    void withATokenEveryClientMustSendIt() throws Exception {
        start(new Metrics.Access("a-scrape-token-of-some-length"));
        assertEquals(401, get("/metrics").statusCode(), "loopback without the token");
        assertEquals(401, get("/metrics", "Authorization", "Bearer wrong-token-of-some-length").statusCode());
        HttpResponse<String> ok = get("/metrics", "Authorization", "Bearer a-scrape-token-of-some-length",
                "X-Forwarded-For", "203.0.113.9");
        assertEquals(200, ok.statusCode(), "the token is enough, from anywhere");
        assertTrue(ok.body().contains("jvm_threads_live_threads"));
    }

    @Test
    void refusesATokenTooShortToBeSecret() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Metrics.Access.from(new Settings(java.util.Map.of("REELCARS_METRICS_TOKEN", "short"))));
        assertTrue(e.getMessage().contains("REELCARS_METRICS_TOKEN"));
        app = Javalin.create();
        metrics = new Metrics("test", Metrics.Access.loopbackOnly());
    }
}
