package dev.reelcars.notify;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.events.EventCodec;
import dev.reelcars.platform.http.ApiDescription;
import dev.reelcars.testkit.EmbeddedBroker;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** GET /openapi.json describes exactly the running routes; GET /metrics shows the review queue by status. */
class NotifyObservabilityTest {
    @TempDir
    static Path dir;
    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();
    static NotifyHarness notify;

    @BeforeAll
    static void start() throws Exception {
        notify = new NotifyHarness(broker.kafka().bootstrapServers(), dir.resolve("data"), Map.of()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        notify.close();
    }

    @Test
    void servesAValidOpenApiDescriptionOfEveryRunningRoute() throws Exception {
        HttpResponse<String> res = notify.get(ApiDescription.PATH, null);
        assertEquals(200, res.statusCode(), "the description is public");

        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(res.body(), null, options);
        assertEquals(List.of(), parsed.getMessages(), "swagger-parser finds nothing wrong");

        ApiDescription description = ApiDescription.fromResource(NotifyService.class, NotifyService.API_DESCRIPTION);
        assertEquals(description.document(), EventCodec.mapper().readTree(res.body()));
        List<String> routes = ApiDescription.routes(notify.service.http());
        assertTrue(routes.contains("POST /api/reviews/{stillId}"), "the router's list: " + routes);
        assertEquals(List.of(), description.undescribed(routes));
        assertEquals(List.of(), description.problems());
    }

    @Test
    void showsTheReviewQueueByStatusAndRequestTimesInMetrics() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> res = notify.get("/metrics", null);
            assertEquals(200, res.statusCode(), "loopback may read the metrics");
            String text = res.body();
            assertTrue(text.contains("reelcars_review_queue_stills{service=\"notify\",status=\"pending\"} 0.0"), text);
            assertTrue(text.contains("reelcars_review_proposals_open{service=\"notify\"} 0.0"), text);
            assertTrue(text.contains("http_server_requests_seconds_count{method=\"GET\",route=\"/metrics\""), text);
            assertTrue(text.contains("jvm_memory_used_bytes{"), text);
            assertTrue(text.contains("kafka_consumer_lag_records{group=\"notify-replay-identifications\","
                    + "service=\"notify\"} 0.0"), "each replay's lag behind its topic: " + text);
        });
    }
}
