package dev.reelcars.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.platform.http.ApiDescription;
import dev.reelcars.testkit.EmbeddedBroker;
import dev.reelcars.testkit.Multipart;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpRequest;
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

/** GET /openapi.json describes exactly the running routes; GET /metrics counts uploads by outcome and reason. */
class IngestObservabilityTest {
    @TempDir
    static Path tempDir;
    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();
    static IngestHarness ingest;

    @BeforeAll
    static void start() throws Exception {
        ingest = new IngestHarness(broker.kafka(), tempDir, Map.of()).start();
    }

    @AfterAll
    static void stop() {
        ingest.close();
    }

    @Test
    void servesAValidOpenApiDescriptionOfEveryRunningRoute() throws Exception {
        // Given the running ingest
        HttpResponse<String> res = ingest.send(HttpRequest.newBuilder(ingest.uri(ApiDescription.PATH)).build());
        assertEquals(200, res.statusCode(), "the description is public");

        // Then it is valid OpenAPI 3
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(res.body(), null, options);
        assertEquals(List.of(), parsed.getMessages(), "swagger-parser finds nothing wrong");
        assertTrue(parsed.getOpenAPI().getOpenapi().startsWith("3."));

        // And it describes every route the app serves, and no other; its examples fit, its errors are Error
        ApiDescription description = ApiDescription.fromResource(HttpApp.class, HttpApp.API_DESCRIPTION);
        assertEquals(description.document(), dev.reelcars.events.EventCodec.mapper().readTree(res.body()));
        List<String> routes = ApiDescription.routes(ingest.service.http());
        assertTrue(routes.contains("POST /api/stills"), "the router's list: " + routes);
        assertEquals(List.of(), description.undescribed(routes));
        assertEquals(List.of(), description.problems());
    }

    @Test
    void countsUploadsByOutcomeAndRefusalReasonInMetrics() {
        // Given an accepted still, one too small to use, and one without a sign-in (refused from its headers)
        assertEquals(202, ingest.postStill("home.jpg", Fixtures.image("home.jpg"), "film", "Metrics").statusCode());
        byte[] tiny = Fixtures.reencode(Fixtures.image("home.jpg"), ".jpg",
                m -> { org.opencv.imgproc.Imgproc.resize(m, m, new org.opencv.core.Size(32, 24)); return m; });
        HttpResponse<String> small = ingest.postStill("tiny.jpg", tiny);
        assertEquals(422, small.statusCode(), small.body());
        assertEquals(401, ingest.postAs(null, "/api/stills",
                new Multipart().file("image", "home.jpg", "image/jpeg", Fixtures.image("home.jpg"))).statusCode());

        // When Prometheus scrapes from loopback
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String text = ingest.send(HttpRequest.newBuilder(ingest.uri("/metrics")).build()).body();
            // Then each outcome is counted with its reason, and the requests are timed by route and status
            assertTrue(text.contains("reelcars_uploads_total{kind=\"still\",outcome=\"accepted\",reason=\"\","
                    + "service=\"ingest\"} 1.0"), text);
            assertTrue(text.contains("reelcars_uploads_total{kind=\"still\",outcome=\"refused\","
                    + "reason=\"image-too-small\",service=\"ingest\"} 1.0"), text);
            assertTrue(text.contains("reelcars_uploads_total{kind=\"still\",outcome=\"refused\","
                    + "reason=\"unauthorized\",service=\"ingest\"} 1.0"), text);
            assertTrue(text.contains("http_server_requests_seconds_count{method=\"POST\",route=\"/api/stills\","
                    + "service=\"ingest\",status=\"401\"} 1"), text);
            assertTrue(text.contains("process_resident_memory_bytes{service=\"ingest\"}"), text);
        });
    }
}
