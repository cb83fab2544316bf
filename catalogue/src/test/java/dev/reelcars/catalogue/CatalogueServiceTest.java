package dev.reelcars.catalogue;

import static dev.reelcars.catalogue.Events.candidate;
import static dev.reelcars.catalogue.Events.decision;
import static dev.reelcars.catalogue.Events.identification;
import static dev.reelcars.catalogue.Events.reference;
import static dev.reelcars.catalogue.Events.still;
import static dev.reelcars.events.ReviewDecision.Verdict.CONFIRM;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelcars.accounts.Account;
import dev.reelcars.accounts.Role;
import dev.reelcars.accounts.Tokens;
import dev.reelcars.testkit.EmbeddedBroker;
import java.awt.Color;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The catalogue on a real embedded broker, through its HTTP API: what the issue's "done when" asks. */
class CatalogueServiceTest {
    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();
    @TempDir
    Path dataDir;

    /** Two confirmed appearances in one film under two spellings, and one still still under review. */
    static Keys playStory(CatalogueHarness h) throws Exception {
        String mustangStill = h.blobs.put(Events.png(320, 200, new Color(30, 90, 200)));
        String chargerStill = h.blobs.put(Events.png(320, 200, new Color(20, 20, 20)));
        String pendingStill = h.blobs.put(Events.png(320, 200, new Color(200, 200, 20)));
        String refKey = h.blobs.put(Events.png(240, 160, new Color(40, 100, 210)));
        h.publish(h.topics.references(), reference("r1", "Ford Mustang GT", "Ford", "Mustang", 1968, refKey));
        h.publish(h.topics.identifications(), identification(
                still("s1", "Bullitt", 1968, "01:27:43", null, mustangStill), candidate("r1", "Ford Mustang GT", .3)));
        h.publish(h.topics.identifications(), identification(
                still("s2", "BULLÍTT", 1968, "00:12:00", null, chargerStill), candidate("r2", "Dodge Charger", .02)));
        h.publish(h.topics.identifications(), identification(
                still("s3", "Bullitt", 1968, "00:50:00", null, pendingStill), candidate("r1", "Ford Mustang GT", .3)));
        for (String reviewer : List.of("alice", "bob")) {
            h.publish(h.topics.decisions(), decision("s1", CONFIRM, "Ford Mustang GT", "r1", reviewer, 1));
            h.publish(h.topics.decisions(), decision("s2", CONFIRM, "Dodge Charger", "r2", reviewer, 2));
        }
        h.publish(h.topics.decisions(), decision("s3", CONFIRM, "Ford Mustang GT", "r1", "alice", 3));
        return new Keys(mustangStill, pendingStill, refKey);
    }

    record Keys(String confirmedStill, String pendingStill, String reference) {
    }

    @Test
    void aConfirmedStillIsFoundUnderAnotherSpellingAndShownOnItsPagesAndInTheExport() throws Exception {
        try (CatalogueHarness h = new CatalogueHarness(broker.kafka().bootstrapServers(), dataDir, Map.of()).start()) {
            // Given two confirmed appearances and a still under review, played in while the catalogue runs
            Keys keys = playStory(h);

            // When a reader searches for the film without its accent
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    h.json("/api/catalogue/search?q=bullitt").path("total").asInt() == 3);
            JsonNode search = h.json("/api/catalogue/search?q=bullitt");

            // Then the film comes first, one film for both spellings, and both vehicles seen in it follow
            JsonNode film = search.path("hits").get(0);
            assertEquals("film", film.path("type").asText());
            assertEquals("f-bullitt-1968", film.path("id").asText());
            assertEquals(2, film.path("titles").size(), film.toString());
            assertEquals(2, film.path("appearanceCount").asInt(), "the still under review is not an appearance");

            // The vehicle page: its record from the reference view, its appearance, who confirmed it
            JsonNode v = h.json("/api/catalogue/vehicles/v-ford-mustang-gt");
            assertEquals("Ford", v.path("make").asText());
            assertEquals("Mustang", v.path("model").asText());
            assertEquals(1968, v.path("firstSeen").asInt());
            assertEquals(1, v.path("references").size());
            JsonNode a = v.path("appearances").get(0);
            assertEquals("01:27:43", a.path("timecode").asText());
            assertEquals("featured", a.path("prominence").asText());
            assertEquals("[\"alice\",\"bob\"]", a.path("confirmedBy").toString());
            assertEquals(1, v.path("appearances").size());

            // The film page lists its vehicles in timecode order
            JsonNode f = h.json("/api/catalogue/films/f-bullitt-1968");
            assertEquals(List.of("Dodge Charger", "Ford Mustang GT"), f.path("appearances").findValuesAsText("label"));

            // Year filters and an unknown id
            JsonNode sixties = h.json("/api/catalogue/search?q=mustang&yearFrom=1960&yearTo=1970");
            assertEquals(List.of("vehicle", "film"), sixties.path("hits").findValuesAsText("type"),
                    "the vehicle by its name, then the film it was seen in");
            assertEquals(0, h.json("/api/catalogue/search?q=mustang&yearFrom=1990").path("total").asInt());
            assertEquals(404, h.get("/api/catalogue/vehicles/v-nothing").statusCode());
            assertEquals(400, h.get("/api/catalogue/search?page=0").statusCode());

            // The export: one row per appearance, all or per vehicle or film
            var csv = h.get("/api/catalogue/appearances.csv");
            assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
            List<String> lines = csv.body().lines().toList();
            assertEquals("appearanceId,filmId,filmTitle,filmYear,timecode,vehicleId,label,make,model,prominence,"
                    + "stillUrl,confirmedBy,confirmedAt,timecodeEnd,stills,anachronism", lines.get(0));
            assertEquals(3, lines.size(), csv.body());
            assertTrue(lines.get(2).contains(",Bullitt,1968,01:27:43,v-ford-mustang-gt,Ford Mustang GT,Ford,Mustang,"
                    + "featured,/api/catalogue/images/" + keys.confirmedStill() + ",alice bob,"), lines.get(2));
            assertTrue(lines.get(2).endsWith(",,1,false"), "one still, no range, made by 1968: " + lines.get(2));
            assertEquals(2, h.get("/api/catalogue/appearances.csv?vehicle=v-dodge-charger").body().lines().count());
            assertEquals(1, h.json("/api/catalogue/appearances.json?vehicle=v-ford-mustang-gt")
                    .path("appearances").size());

            // Images the catalogue shows are served with cache headers; a still under review is not
            var image = h.getBytes("/api/catalogue/images/" + keys.confirmedStill());
            assertEquals(200, image.statusCode());
            assertEquals("image/png", image.headers().firstValue("Content-Type").orElse(""));
            assertEquals("public, max-age=31536000, immutable", image.headers().firstValue("Cache-Control")
                    .orElse(""));
            assertEquals(200, h.getBytes("/api/catalogue/images/" + keys.reference()).statusCode());
            assertEquals(404, h.getBytes("/api/catalogue/images/" + keys.pendingStill()).statusCode());

            // The pages are served with a strict policy and the server's time is told
            var page = h.get("/vehicles/v-ford-mustang-gt");
            assertEquals(200, page.statusCode());
            String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe"), csp);
            assertTrue(h.get("/api/catalogue/search").headers().firstValue("Server-Timing").orElse("")
                    .startsWith("app;dur="));
        }
    }

    @Test
    void aRestartRebuildsTheSameCatalogueFromKafka() throws Exception {
        try (CatalogueHarness h = new CatalogueHarness(broker.kafka().bootstrapServers(), dataDir, Map.of()).start()) {
            // Given a catalogue with two appearances
            playStory(h);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    h.json("/api/catalogue/search?q=bullitt").path("total").asInt() == 3);
            String vehicle = h.json("/api/catalogue/vehicles/v-ford-mustang-gt").toString();
            String film = h.json("/api/catalogue/films/f-bullitt-1968").toString();
            String csv = h.get("/api/catalogue/appearances.csv").body();

            // When the service restarts (nothing is kept but Kafka's topics)
            h.restart();

            // Then everything is there at once, under the same ids
            assertEquals(vehicle, h.json("/api/catalogue/vehicles/v-ford-mustang-gt").toString());
            assertEquals(film, h.json("/api/catalogue/films/f-bullitt-1968").toString());
            assertEquals(csv, h.get("/api/catalogue/appearances.csv").body());
            assertEquals(3, h.json("/api/catalogue/search?q=bullitt").path("total").asInt(),
                    "the index is rebuilt before the port opens");
        }
    }

    @Test
    void aMembersOnlyCatalogueAnswersOnlySignedInReaders() throws Exception {
        try (CatalogueHarness h = new CatalogueHarness(broker.kafka().bootstrapServers(), dataDir,
                Map.of("REELCARS_CATALOGUE_PUBLIC", "false")).start()) {
            // Given an active and a disabled account
            Instant now = Instant.now();
            h.publish(h.topics.accounts(), new Account(1, "carol", Set.of(Role.CONTRIBUTOR), Account.Status.ACTIVE,
                    "x", now.minusSeconds(3600), List.of(), now, "setup"));
            h.publish(h.topics.accounts(), new Account(1, "mallory", Set.of(Role.REVIEWER), Account.Status.DISABLED,
                    "x", now.minusSeconds(3600), List.of(), now, "setup"));
            Keys keys = playStory(h);
            Tokens tokens = new Tokens(CatalogueHarness.SECRET);
            String carol = tokens.issue("carol", Tokens.Kind.SESSION, now, now.plusSeconds(3600));
            String mallory = tokens.issue("mallory", Tokens.Kind.SESSION, now, now.plusSeconds(3600));

            // Then the API and images refuse anonymous and disabled readers, and answer a member
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    h.get("/api/catalogue/search?q=bullitt", carol).body().contains("\"total\":3"));
            assertEquals(401, h.get("/api/catalogue/search?q=bullitt").statusCode());
            assertEquals(401, h.get("/api/catalogue/images/" + keys.confirmedStill()).statusCode());
            assertEquals(401, h.get("/api/catalogue/search?q=bullitt", mallory).statusCode());
            assertEquals(200, h.get("/api/catalogue/search?q=bullitt", carol).statusCode());
            var image = h.get("/api/catalogue/images/" + keys.confirmedStill(), carol);
            assertEquals(200, image.statusCode());
            assertTrue(image.headers().firstValue("Cache-Control").orElse("").startsWith("private"),
                    "no shared cache keeps a members-only image");
            assertEquals(401, h.get(CatalogueApi.THUMBNAILS + keys.confirmedStill()).statusCode());
            var thumbnail = h.get(CatalogueApi.THUMBNAILS + keys.confirmedStill(), carol);
            assertEquals(200, thumbnail.statusCode());
            assertTrue(thumbnail.headers().firstValue("Cache-Control").orElse("").startsWith("private"),
                    "nor a members-only thumbnail");
            assertEquals(200, h.get("/api/catalogue/me", carol).statusCode());
            assertTrue(h.get("/api/catalogue/me", carol).body().contains("\"canEdit\":false"),
                    "a contributor sees no edit forms");
            // The page itself holds no data and says where to sign in
            assertEquals(200, h.get("/").statusCode());
            assertFalse(h.json("/api/sign-in").path("url").asText().isEmpty());
        }
    }

    @Test
    void aFilmScansAppearanceIsExportedAndShownWithItsInAndOutTimes() throws Exception {
        try (CatalogueHarness h = new CatalogueHarness(broker.kafka().bootstrapServers(), dataDir, Map.of()).start()) {
            // Given a film scan's appearance (its still the best frame, at 00:41:07) from 00:41:05 to 00:41:12.5,
            // confirmed by two reviewers
            String frame = h.blobs.put(Events.png(320, 200, new Color(30, 90, 200)));
            var still = new dev.reelcars.events.StillSubmitted(2, "still-film-1", frame, "image/jpeg", 320, 200,
                    "Night Road", 1982, "00:41:07.000", "film scan", "ana", "film-night", null, Events.T0,
                    new dev.reelcars.events.StillSubmitted.FilmRange("film-night", 2465.0, 2472.5));
            h.publish(h.topics.identifications(), identification(still, candidate("r1", "Ford Mustang GT", .3)));
            for (String reviewer : List.of("alice", "bob")) {
                h.publish(h.topics.decisions(), decision("still-film-1", CONFIRM, "Ford Mustang GT", "r1", reviewer,
                        1));
            }
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    h.get("/api/catalogue/films/f-night-road-1982").statusCode() == 200);

            // Then the export's timecode and timecodeEnd are its in and out times, and so is the film page's range
            List<String> csv = h.get("/api/catalogue/appearances.csv?film=f-night-road-1982").body().lines().toList();
            assertEquals(2, csv.size(), String.join("\n", csv));
            assertTrue(csv.get(1).contains(",Night Road,1982,00:41:05,v-ford-mustang-gt,"), csv.get(1));
            assertTrue(csv.get(1).endsWith(",00:41:12.500,1,false"), csv.get(1));
            JsonNode a = h.json("/api/catalogue/films/f-night-road-1982").path("appearances").get(0);
            assertEquals(List.of("00:41:05", "00:41:12.500"), List.of(a.path("timecode").asText(),
                    a.path("timecodeEnd").asText()));
        }
    }
}
