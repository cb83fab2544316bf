package dev.reelcars.catalogue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.accounts.Account;
import dev.reelcars.accounts.Role;
import dev.reelcars.accounts.Tokens;
import dev.reelcars.events.EventCodec;
import dev.reelcars.platform.http.ApiDescription;
import dev.reelcars.testkit.EmbeddedBroker;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /openapi.json describes exactly the running routes; GET /metrics times requests by route and status, counts
 * reviewers' edits by outcome and dead letters by topic, and shows the catalogue's size, to loopback clients only.
 */
class CatalogueObservabilityTest {
    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();
    private static CatalogueHarness catalogue;
    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        catalogue = new CatalogueHarness(broker.kafka().bootstrapServers(), dataDir, Map.of()).start();
    }

    @AfterAll
    static void stop() {
        if (catalogue != null) {
            catalogue.close();
        }
    }

    @Test
    void servesAValidOpenApiDescriptionOfEveryRunningRoute() throws Exception {
        // Given the running catalogue
        HttpResponse<String> res = catalogue.get(ApiDescription.PATH);
        assertEquals(200, res.statusCode(), "the description is public");

        // Then it is valid OpenAPI 3
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(res.body(), null, options);
        assertEquals(List.of(), parsed.getMessages(), "swagger-parser finds nothing wrong");
        assertTrue(parsed.getOpenAPI().getOpenapi().startsWith("3."));

        // And it describes every route the app serves, and no other; its examples fit, its errors are Error
        ApiDescription description = ApiDescription.fromResource(CatalogueService.class,
                CatalogueService.API_DESCRIPTION);
        assertEquals(description.document(), EventCodec.mapper().readTree(res.body()));
        List<String> routes = ApiDescription.routes(catalogue.service.http());
        assertTrue(routes.contains("POST /api/catalogue/edits") && routes.contains("GET /metrics"),
                "the router's list: " + routes);
        assertEquals(List.of(), description.undescribed(routes));
        assertEquals(List.of(), description.problems());
    }

    @Test
    void countsRequestsEditsAndDeadLettersAndShowsTheCatalogueInMetrics() throws Exception {
        // Given two confirmed appearances (two vehicles, one film under two spellings) and two accounts
        CatalogueServiceTest.playStory(catalogue);
        Instant now = Instant.now();
        catalogue.publish(catalogue.topics.accounts(), new Account(1, "rita", Set.of(Role.REVIEWER),
                Account.Status.ACTIVE, "x", now.minusSeconds(3600), List.of(), now, "setup"));
        catalogue.publish(catalogue.topics.accounts(), new Account(1, "carl", Set.of(Role.CONTRIBUTOR),
                Account.Status.ACTIVE, "x", now.minusSeconds(3600), List.of(), now, "setup"));
        Tokens tokens = new Tokens(CatalogueHarness.SECRET);
        String reviewer = tokens.issue("rita", Tokens.Kind.SESSION, now, now.plusSeconds(3600));
        String contributor = tokens.issue("carl", Tokens.Kind.SESSION, now, now.plusSeconds(3600));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                catalogue.json("/api/catalogue/search?q=bullitt").path("total").asInt() == 3);
        // And a record no reader can decode, on the identifications topic
        catalogue.producer.send(new ProducerRecord<>(catalogue.topics.identifications(), "poison",
                "not an event".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);

        // When a reader asks for an unknown vehicle, a contributor tries an edit and a reviewer makes one
        assertEquals(404, catalogue.get("/api/catalogue/vehicles/v-nothing").statusCode());
        String body = "{\"kind\":\"vehicle\",\"target\":\"v-ford-mustang-gt\",\"fields\":{\"country\":\"USA\"}}";
        assertEquals(403, catalogue.postJson("/api/catalogue/edits", contributor, body).statusCode());
        HttpResponse<String> edit = catalogue.postJson("/api/catalogue/edits", reviewer, body);
        assertEquals(201, edit.statusCode(), edit.body());

        // Then Prometheus, scraping from loopback, sees each of them
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> res = catalogue.get("/metrics");
            assertEquals(200, res.statusCode(), "loopback may read the metrics");
            String text = res.body();
            assertTrue(text.contains("http_server_requests_seconds_count{method=\"GET\","
                    + "route=\"/api/catalogue/vehicles/{id}\",service=\"catalogue\",status=\"404\"} 1"), text);
            assertTrue(text.contains("reelcars_catalogue_edits_total{action=\"edit\",outcome=\"refused\","
                    + "reason=\"forbidden\",service=\"catalogue\"} 1.0"), text);
            assertTrue(text.contains("reelcars_catalogue_edits_total{action=\"edit\",outcome=\"visible\","
                    + "reason=\"\",service=\"catalogue\"} 1.0"), text);
            assertTrue(text.contains("reelcars_catalogue_appearances{service=\"catalogue\"} 2.0"), text);
            assertTrue(text.contains("reelcars_catalogue_entries{service=\"catalogue\",type=\"vehicle\"} 2.0"), text);
            assertTrue(text.contains("reelcars_catalogue_entries{service=\"catalogue\",type=\"film\"} 1.0"), text);
            assertTrue(text.contains("reelcars_catalogue_rebuild_seconds{service=\"catalogue\"}"), text);
            assertTrue(text.contains("reelcars_dead_letters_total{reason=")
                    && text.contains("topic=\"" + catalogue.topics.identifications() + "\"} 1.0"), text);
            assertTrue(text.contains("kafka_consumer_lag_records{group=\"catalogue-replay-identifications\""), text);
            assertTrue(text.contains("process_resident_memory_bytes{service=\"catalogue\"}"), text);
            assertTrue(text.contains("jvm_memory_used_bytes{"), text);
        });
    }

    @Test
    void refusesMetricsToARequestAProxyForwarded() throws Exception {
        // Given no REELCARS_METRICS_TOKEN: loopback clients only, and a forwarded request is not taken for one
        HttpResponse<String> res = catalogue.http.send(HttpRequest.newBuilder(URI.create(catalogue.base() + "/metrics"))
                .header("X-Forwarded-For", "203.0.113.9").timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());

        // Then it is refused with the JSON error, and nothing of the metrics is in the answer
        assertEquals(403, res.statusCode(), res.body());
        assertEquals("forbidden", EventCodec.mapper().readTree(res.body()).path("error").asText());
        assertTrue(!res.body().contains("jvm_"), res.body());
    }
}
