package dev.reelcars.catalogue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.accounts.Account;
import dev.reelcars.accounts.AuditEvent;
import dev.reelcars.accounts.Role;
import dev.reelcars.accounts.Tokens;
import dev.reelcars.events.EventCodec;
import dev.reelcars.events.Thumbnail;
import dev.reelcars.testkit.EmbeddedBroker;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reviewers' edits through the HTTP API on a real embedded broker: who may edit, what an edit changes, that merged
 * ids keep resolving, that a restart rebuilds the same edited catalogue; and thumbnails made once and cached.
 */
class CatalogueEditApiTest {
    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();
    @TempDir
    Path dataDir;

    private record People(String reviewer, String contributor) {
    }

    private static People accounts(CatalogueHarness h) throws Exception {
        Instant now = Instant.now();
        h.publish(h.topics.accounts(), new Account(1, "rita", Set.of(Role.REVIEWER), Account.Status.ACTIVE, "x",
                now.minusSeconds(3600), List.of(), now, "setup"));
        h.publish(h.topics.accounts(), new Account(1, "carl", Set.of(Role.CONTRIBUTOR), Account.Status.ACTIVE, "x",
                now.minusSeconds(3600), List.of(), now, "setup"));
        Tokens tokens = new Tokens(CatalogueHarness.SECRET);
        return new People(tokens.issue("rita", Tokens.Kind.SESSION, now, now.plusSeconds(3600)),
                tokens.issue("carl", Tokens.Kind.SESSION, now, now.plusSeconds(3600)));
    }

    private static void awaitStory(CatalogueHarness h) {
        await().atMost(Duration.ofSeconds(20)).until(() ->
                h.json("/api/catalogue/search?q=bullitt").path("total").asInt() == 3);
    }

    @Test
    void onlyASignedInReviewerFromThePagesOwnOriginMayEdit() throws Exception {
        try (CatalogueHarness h = new CatalogueHarness(broker.kafka().bootstrapServers(), dataDir, Map.of()).start()) {
            People people = accounts(h);
            CatalogueServiceTest.playStory(h);
            awaitStory(h);
            String body = "{\"kind\":\"vehicle\",\"target\":\"v-ford-mustang-gt\",\"fields\":{\"country\":\"USA\"}}";
            String cookie = dev.reelcars.accounts.Authenticator.COOKIE + "=" + people.reviewer();

            assertError(h.postJson("/api/catalogue/edits", null, body), 401, "unauthorized");
            assertError(h.postJson("/api/catalogue/edits", people.contributor(), body), 403, "forbidden");
            assertError(h.post("/api/catalogue/edits", "application/json", body, "Cookie", cookie), 403,
                    "cross-site");
            assertError(h.post("/api/catalogue/edits", "application/json", body, "Cookie", cookie, "Origin",
                    "http://localhost:1"), 403, "cross-site");
            assertError(h.post("/api/catalogue/edits", "text/plain", body, "Cookie", cookie, "Origin", h.base()),
                    415, "unsupported-media-type");
            assertError(h.postJson("/api/catalogue/edits", people.reviewer(), "{\"kind\":\"paint\",\"target\":\"x\"}"),
                    400, "bad-kind");
            assertError(h.postJson("/api/catalogue/edits", people.reviewer(), body.replace("country", "colour")),
                    400, "bad-field");
            assertError(h.postJson("/api/catalogue/edits", people.reviewer(), body.replace("\"USA\"",
                    "\"" + "x".repeat(20_000) + "\"")), 413, "too-large");
            assertError(h.postJson("/api/catalogue/edits", people.reviewer(), body.replace("v-ford-mustang-gt",
                    "v-nothing")), 404, "not-found");
            assertError(h.postJson("/api/catalogue/edits", people.reviewer(), "{\"kind\":\"vehicle\",\"target\":"
                    + "\"v-ford-mustang-gt\",\"fields\":{\"yearFrom\":1970,\"yearTo\":1960}}"), 400, "bad-field");
            assertEquals(0, h.readAll(h.topics.catalogueEdits()).size(), "nothing refused was published");

            // The page's own origin with the cookie, and a script with the bearer token, may
            var fromPage = h.post("/api/catalogue/edits", "application/json", body, "Cookie", cookie, "Origin",
                    h.base());
            assertEquals(201, fromPage.statusCode(), fromPage.body());
            assertEquals("USA", h.json("/api/catalogue/vehicles/v-ford-mustang-gt").path("country").asText(),
                    "visible as soon as it is answered");
            var fromScript = h.postJson("/api/catalogue/edits", people.reviewer(), body.replace("USA", "US"));
            assertEquals(201, fromScript.statusCode(), fromScript.body());
            assertEquals(2, h.readAll(h.topics.catalogueEdits()).size());

            // A retry with the same editId (its answer lost) is answered again, not applied twice
            String once = body.replace("{\"kind\"", "{\"editId\":\"edit-retry-1\",\"kind\"").replace("USA", "U.S.");
            assertEquals(201, h.postJson("/api/catalogue/edits", people.reviewer(), once).statusCode());
            var retried = h.postJson("/api/catalogue/edits", people.reviewer(), once);
            assertEquals(201, retried.statusCode(), retried.body());
            assertTrue(retried.body().contains("edit-retry-1"), retried.body());
            assertEquals(3, h.readAll(h.topics.catalogueEdits()).size(), "one record for two requests");

            // Each edit is audited with who and from where
            await().atMost(Duration.ofSeconds(10)).until(() -> h.readAll(h.topics.audit()).size() == 3);
            AuditEvent audit = EventCodec.decode(h.readAll(h.topics.audit()).get(0).value(), AuditEvent.class);
            assertEquals(List.of("catalogue.edit", "rita", "v-ford-mustang-gt"),
                    List.of(audit.action(), audit.actor(), audit.target()));
        }
    }

    @Test
    void editsMergesAndUndoAreKeptAcrossARestartAndOldIdsKeepResolving() throws Exception {
        try (CatalogueHarness h = new CatalogueHarness(broker.kafka().bootstrapServers(), dataDir, Map.of()).start()) {
            People people = accounts(h);
            CatalogueServiceTest.playStory(h);
            awaitStory(h);
            String rita = people.reviewer();

            // Given a reviewer's corrections: prominence, the vehicle's record, the film's titles
            created(h, rita, "{\"kind\":\"prominence\",\"target\":\"a-s1\",\"fields\":{\"prominence\":\"minor\"}}");
            created(h, rita, "{\"kind\":\"vehicle\",\"target\":\"v-ford-mustang-gt\",\"fields\":{\"variant\":"
                    + "\"Fastback\",\"yearFrom\":\"1969\",\"country\":\"USA\",\"scope\":\"vehicle\"}}");
            created(h, rita, "{\"kind\":\"film\",\"target\":\"f-bullitt-1968\",\"fields\":{\"originalTitle\":"
                    + "\"Bullitt\",\"alternativeTitles\":[\"Bullitt — Die Verfolgungsjagd\"],\"country\":\"USA\"}}");
            // a rename, and a merge of the two vehicles seen in the film (then taken back)
            JsonNode rename = created(h, rita, "{\"kind\":\"vehicle-rename\",\"target\":\"v-dodge-charger\","
                    + "\"fields\":{\"label\":\"Dodge Charger R/T\"}}");
            assertEquals("v-dodge-charger-r-t", rename.path("edit").path("into").asText());
            JsonNode merge = created(h, rita, "{\"kind\":\"vehicle-merge\",\"target\":\"v-dodge-charger-r-t\","
                    + "\"into\":\"v-ford-mustang-gt\",\"reason\":\"testing\"}");
            var undo = h.postJson("/api/catalogue/edits/" + merge.path("edit").path("editId").asText() + "/undo",
                    rita, "{\"reason\":\"not the same car\"}");
            assertEquals(201, undo.statusCode(), undo.body());
            assertEquals("vehicle-unmerge", EventCodec.mapper().readTree(undo.body()).path("edit").path("kind")
                    .asText());

            String vehicle = h.json("/api/catalogue/vehicles/v-ford-mustang-gt").toString();
            String film = h.json("/api/catalogue/films/f-bullitt-1968").toString();
            String csv = h.get("/api/catalogue/appearances.csv").body();
            checkEdited(h);

            // When the service restarts
            h.restart();

            // Then the same edited catalogue, at once
            assertEquals(vehicle, h.json("/api/catalogue/vehicles/v-ford-mustang-gt").toString());
            assertEquals(film, h.json("/api/catalogue/films/f-bullitt-1968").toString());
            assertEquals(csv, h.get("/api/catalogue/appearances.csv").body());
            checkEdited(h);
        }
    }

    private static void checkEdited(CatalogueHarness h) throws Exception {
        JsonNode v = h.json("/api/catalogue/vehicles/v-ford-mustang-gt");
        assertEquals(List.of("Fastback", "1969", "USA", "vehicle"), List.of(v.path("variant").asText(),
                v.path("yearFrom").asText(), v.path("country").asText(), v.path("scope").asText()));
        JsonNode a = v.path("appearances").get(0);
        assertEquals("minor", a.path("prominence").asText());
        assertTrue(a.path("anachronism").asBoolean(), "a 1968 film, production from 1969");
        assertEquals("[]", v.path("aliases").toString(), "the merge was undone");
        assertEquals(List.of("vehicle", "vehicle-merge", "vehicle-unmerge"), v.path("edits").findValuesAsText("kind"),
                "its record, the merge into it and the undo, with who and when: " + v.path("edits"));
        assertEquals("rita", v.path("edits").get(0).path("editor").asText());

        // The renamed vehicle's old id answers with a redirect to the new one, on the API and in the export
        var old = h.get("/api/catalogue/vehicles/v-dodge-charger");
        assertEquals(302, old.statusCode());
        assertEquals("/api/catalogue/vehicles/v-dodge-charger-r-t", old.headers().firstValue("Location").orElse(""));
        assertEquals("Dodge Charger R/T", h.json("/api/catalogue/vehicles/v-dodge-charger-r-t").path("label")
                .asText());
        assertEquals(2, h.get("/api/catalogue/appearances.csv?vehicle=v-dodge-charger").body().lines().count());
        assertEquals(List.of("v-dodge-charger-r-t", "f-bullitt-1968"), h.json("/api/catalogue/search?q=charger")
                .path("hits").findValuesAsText("id"), "the vehicle under its new id only, and the film it is in");

        JsonNode f = h.json("/api/catalogue/films/f-bullitt-1968");
        assertTrue(f.path("titles").toString().contains("Bullitt — Die Verfolgungsjagd"), f.toString());
        assertEquals("USA", f.path("country").asText());
        assertEquals("Bullitt", h.json("/api/catalogue/search?q=verfolgungsjagd").path("hits").get(0)
                .path("title").asText(), "found by its alternative title");
        assertEquals(2, h.json("/api/catalogue/search?country=usa").path("total").asInt(),
                "the film and the vehicle made there");
        assertEquals(List.of("film", "vehicle"), h.json("/api/catalogue/search?make=ford").path("hits")
                .findValuesAsText("type"), "the Ford and the film it is seen in");
    }

    @Test
    void aMergedFilmsOldIdRedirectsAndItsAppearancesMoveOver() throws Exception {
        try (CatalogueHarness h = new CatalogueHarness(broker.kafka().bootstrapServers(), dataDir, Map.of()).start()) {
            People people = accounts(h);
            CatalogueServiceTest.playStory(h);
            h.publish(h.topics.identifications(), Events.identification(Events.still("s9", "Bulit", 1968, "00:01:00"),
                    Events.candidate("r1", "Ford Mustang GT", .3)));
            for (String reviewer : List.of("alice", "bob")) {
                h.publish(h.topics.decisions(), Events.decision("s9", dev.reelcars.events.ReviewDecision.Verdict
                        .CONFIRM, "Ford Mustang GT", "r1", reviewer, 4));
            }
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    h.get("/api/catalogue/films/f-bulit-1968").statusCode() == 200);
            assertEquals(409, h.postJson("/api/catalogue/edits", people.reviewer(), "{\"kind\":\"film-unmerge\","
                    + "\"target\":\"f-bulit-1968\"}").statusCode(), "not merged yet");

            created(h, people.reviewer(), "{\"kind\":\"film-merge\",\"target\":\"f-bulit-1968\",\"into\":"
                    + "\"f-bullitt-1968\"}");

            assertEquals("/api/catalogue/films/f-bullitt-1968", h.get("/api/catalogue/films/f-bulit-1968")
                    .headers().firstValue("Location").orElse(""));
            JsonNode f = h.json("/api/catalogue/films/f-bullitt-1968");
            assertEquals(3, f.path("appearances").size());
            assertEquals("[\"f-bulit-1968\"]", f.path("aliases").toString());
            assertTrue(f.path("titles").toString().contains("Bulit"), "its spelling is one of the film's");
            assertEquals(List.of("f-bullitt-1968"), h.json("/api/catalogue/search?q=bulit").path("hits")
                    .findValuesAsText("id"), "the old spelling finds the merged film only");
        }
    }

    @Test
    void aThumbnailIsMadeOnceKeptInTheBlobStoreAndServedWithCacheHeaders() throws Exception {
        try (CatalogueHarness h = new CatalogueHarness(broker.kafka().bootstrapServers(), dataDir, Map.of()).start()) {
            // Given a confirmed still of 1280×720
            String big = h.blobs.put(Events.png(1280, 720, java.awt.Color.BLUE));
            h.publish(h.topics.identifications(), Events.identification(Events.still("s1", "Bullitt", 1968,
                    "01:00:00", null, big), Events.candidate("r1", "Ford Mustang GT", .3)));
            for (String reviewer : List.of("alice", "bob")) {
                h.publish(h.topics.decisions(), Events.decision("s1", dev.reelcars.events.ReviewDecision.Verdict
                        .CONFIRM, "Ford Mustang GT", "r1", reviewer, 1));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> h.get("/api/catalogue/films/f-bullitt-1968")
                    .statusCode() == 200);
            String url = h.json("/api/catalogue/films/f-bullitt-1968").path("appearances").get(0)
                    .path("thumbnailUrl").asText();
            assertEquals(CatalogueApi.THUMBNAILS + big, url);

            // When it is asked for
            HttpResponse<byte[]> first = h.getBytes(url);

            // Then a small JPEG, stored under its own key, cached for good
            assertEquals(200, first.statusCode());
            assertEquals("image/jpeg", first.headers().firstValue("Content-Type").orElse(""));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(first.body()));
            assertEquals(List.of(480, 270), List.of(img.getWidth(), img.getHeight()));
            String key = dev.reelcars.platform.blob.BlobStore.keyOf(first.body());
            assertTrue(h.blobs.exists(key), "kept in the blob store under its sha-256");
            assertEquals("\"" + key + "\"", first.headers().firstValue("ETag").orElse(""));
            assertEquals("public, max-age=31536000, immutable", first.headers().firstValue("Cache-Control")
                    .orElse(""));
            assertEquals(304, h.getBytes(url, "If-None-Match", "\"" + key + "\"").statusCode());
            assertEquals(404, h.getBytes(CatalogueApi.THUMBNAILS + "c".repeat(64)).statusCode(),
                    "only shown images have thumbnails");

            // Made once: a second request and a restart find the recorded one
            assertEquals(200, h.getBytes(url).statusCode());
            h.restart();
            HttpResponse<byte[]> afterRestart = h.getBytes(url);
            assertEquals("\"" + key + "\"", afterRestart.headers().firstValue("ETag").orElse(""));
            var records = h.readAll(h.topics.thumbnails());
            assertEquals(1, records.size(), "one thumbnail recorded for the still");
            Thumbnail t = EventCodec.decode(records.get(0).value(), Thumbnail.class);
            assertEquals(List.of(big, key), List.of(t.sourceKey(), t.thumbnailKey()));
        }
    }

    @Test
    void editsOverAnAccountsRateLimitAre429WithRetryAfterAndPublishNothing() throws Exception {
        // Given a limit of 2 edits at once, refilled at 1 a minute
        try (CatalogueHarness h = new CatalogueHarness(broker.kafka().bootstrapServers(), dataDir, Map.of(
                "REELCARS_CATALOGUE_EDIT_RATE_PER_MINUTE", "1", "REELCARS_CATALOGUE_EDIT_RATE_BURST", "2")).start()) {
            People people = accounts(h);
            CatalogueServiceTest.playStory(h);
            awaitStory(h);
            String body = "{\"kind\":\"vehicle\",\"target\":\"v-ford-mustang-gt\",\"fields\":{\"country\":\"USA\"}}";

            // When a reviewer edits, undoes it, and goes on with an edit and an undo
            JsonNode edit = created(h, people.reviewer(), body);
            String editId = edit.path("edit").path("editId").asText();
            assertEquals(201, h.postJson("/api/catalogue/edits/" + editId + "/undo", people.reviewer(),
                    "{\"reason\":\"wrong\"}").statusCode());
            List<HttpResponse<String>> refused = List.of(
                    h.postJson("/api/catalogue/edits", people.reviewer(), body.replace("USA", "US")),
                    h.postJson("/api/catalogue/edits/" + editId + "/undo", people.reviewer(), "{\"reason\":\"x\"}"));

            // Then both are refused 429 with Retry-After and a JSON reason, and nothing of them is published
            for (HttpResponse<String> res : refused) {
                assertError(res, 429, "rate-limited");
                int wait = Integer.parseInt(res.headers().firstValue("Retry-After").orElse("0"));
                assertTrue(wait >= 1 && wait <= 60, "Retry-After " + wait);
            }
            assertEquals(2, h.readAll(h.topics.catalogueEdits()).size(), "the edit and its undo only");
            await().atMost(Duration.ofSeconds(10)).until(() -> h.readAll(h.topics.audit()).size() == 2);
            JsonNode country = h.json("/api/catalogue/vehicles/v-ford-mustang-gt").path("country");
            assertTrue(country.isNull() || country.isMissingNode(), "the undo stands: " + country);
        }
    }

    private static JsonNode created(CatalogueHarness h, String token, String body) throws Exception {
        var res = h.postJson("/api/catalogue/edits", token, body);
        assertEquals(201, res.statusCode(), body + " → " + res.body());
        JsonNode json = EventCodec.mapper().readTree(res.body());
        assertTrue(json.path("visible").asBoolean());
        return json;
    }

    private static void assertError(HttpResponse<String> res, int status, String error) throws Exception {
        assertEquals(status, res.statusCode(), res.body());
        assertEquals(error, EventCodec.mapper().readTree(res.body()).path("error").asText(), res.body());
    }
}
