package dev.reelcars.catalogue;

import static dev.reelcars.catalogue.Events.candidate;
import static dev.reelcars.catalogue.Events.decision;
import static dev.reelcars.catalogue.Events.identification;
import static dev.reelcars.catalogue.Events.reference;
import static dev.reelcars.events.ReviewDecision.Verdict.CONFIRM;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reelcars.accounts.Account;
import dev.reelcars.accounts.Authenticator;
import dev.reelcars.accounts.Role;
import dev.reelcars.accounts.Tokens;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.testkit.Chromium;
import dev.reelcars.testkit.EmbeddedBroker;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * The search, vehicle and film pages in a real headless Chromium, at a desktop and a phone width: they fill in from
 * the API, link to each other, show hostile titles as text, and never scroll sideways at 390 px. Screenshots go to
 * {@code target/catalogue-screenshots/} (the ones in {@code docs/catalogue/} are copies). Skipped (not failed) only
 * where Chromium or its driver is not installed.
 */
class CataloguePagesBrowserTest {
    private static final Path SHOTS = Path.of("target", "catalogue-screenshots");
    @RegisterExtension
    static final EmbeddedBroker broker = new EmbeddedBroker();
    @TempDir
    Path dataDir;
    @TempDir
    Path profileDir;

    @BeforeAll
    static void startBroker() {
        Chromium.assumeInstalled();
    }

    @Test
    void searchVehicleAndFilmPagesFillInAndFitAPhone() throws Exception {
        try (CatalogueHarness h = new CatalogueHarness(broker.kafka().bootstrapServers(), dataDir, Map.of()).start()) {
            // Given a vehicle seen in three films, one of them under a hostile title, and a second vehicle
            play(h);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    h.json("/api/catalogue/search").path("total").asInt() == 5);
            WebDriver browser = chrome();
            try {
                for (int width : List.of(1440, 390)) {
                    browser.manage().window().setSize(new Dimension(width, width == 390 ? 844 : 1000));

                    // The search page finds the film under its accent-free spelling
                    browser.get(h.base() + "/?q=amelie");
                    waitForItems(browser, "#hits li");
                    assertEquals("f-amelie-2001", browser.findElement(By.cssSelector("#hits li"))
                            .getAttribute("data-id"));
                    fitsWidth(browser, width, "search");
                    shot(browser, "search-" + width + ".png");

                    // The vehicle page lists its films in year order, the hostile title as text
                    browser.get(h.base() + "/vehicles/v-renault-4");
                    waitForItems(browser, "#appearances li.appearance");
                    assertEquals("Renault 4", browser.findElement(By.id("vehicle-label")).getText());
                    List<String> films = browser.findElements(By.cssSelector("#appearances strong")).stream()
                            .map(e -> e.getText()).toList();
                    assertEquals(3, films.size(), films.toString());
                    assertTrue(films.get(0).startsWith("<img src=x onerror=alert(1)>"), films.toString());
                    assertTrue(films.get(2).startsWith("Amélie (2001)"), films.toString());
                    assertTrue(browser.findElement(By.cssSelector("#appearances img")).getAttribute("src")
                            .contains(CatalogueApi.THUMBNAILS), "the list shows thumbnails");
                    fitsWidth(browser, width, "vehicle");
                    shot(browser, "vehicle-" + width + ".png");

                    // Following a film leads to the film page with its vehicles in timecode order
                    browser.findElement(By.linkText("Amélie (2001)")).click();
                    waitForItems(browser, "#appearances li.appearance");
                    assertEquals(List.of("Citroën 2CV", "Renault 4"), browser.findElements(
                            By.cssSelector("#appearances strong")).stream().map(e -> e.getText()).toList());
                    String titles = browser.findElement(By.id("film-title")).getText() + " / "
                            + browser.findElement(By.id("film-titles")).getText();
                    assertTrue(titles.contains("AMELIE") && titles.contains("Amélie"), "one film, both spellings: "
                            + titles);
                    fitsWidth(browser, width, "film");
                    shot(browser, "film-" + width + ".png");
                    assertTrue(browser.findElement(By.id("film-edit")).getAttribute("hidden") != null,
                            "no edit form for a reader who is not a reviewer");
                }
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void aReviewerEditsFromThePagesAndOldIdsLeadToTheNewOnes() throws Exception {
        try (CatalogueHarness h = new CatalogueHarness(broker.kafka().bootstrapServers(), dataDir, Map.of()).start()) {
            // Given the same catalogue, a reviewer's session and a vehicle renamed by a script
            play(h);
            Instant now = Instant.now();
            h.publish(h.topics.accounts(), new Account(1, "rita", Set.of(Role.REVIEWER), Account.Status.ACTIVE, "x",
                    now.minusSeconds(3600), List.of(), now, "setup"));
            String token = new Tokens(CatalogueHarness.SECRET).issue("rita", Tokens.Kind.SESSION, now,
                    now.plusSeconds(3600));
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    h.json("/api/catalogue/search").path("total").asInt() == 5);
            var renamed = h.postJson("/api/catalogue/edits", token, "{\"kind\":\"vehicle-rename\",\"target\":"
                    + "\"v-citroen-2cv\",\"fields\":{\"label\":\"Citroën 2CV Charleston\"}}");
            assertEquals(201, renamed.statusCode(), renamed.body());
            WebDriver browser = chrome();
            try {
                browser.manage().window().setSize(new Dimension(1440, 1000));
                browser.get(h.base() + "/");
                browser.manage().addCookie(new Cookie(Authenticator.COOKIE, token));

                // When she corrects the Renault's production years and country in the page's form
                browser.get(h.base() + "/vehicles/v-renault-4");
                waitForItems(browser, "#appearances li.appearance");
                assertTrue(browser.findElements(By.cssSelector(".flag")).isEmpty(), "no anachronism yet");
                browser.findElement(By.cssSelector("#vehicle-edit summary")).click();
                type(browser, "#vehicle-form [name=yearFrom]", "1976");
                type(browser, "#vehicle-form [name=country]", "France");
                type(browser, "#vehicle-form [name=reason]", "first built in 1976 per the works register");
                browser.findElement(By.cssSelector("#vehicle-form button[type=submit]")).click();

                // Then the page shows them, flags the 1975 film as older than the vehicle, and lists the edit
                waitForItems(browser, ".flag");
                String facts = browser.findElement(By.id("vehicle-facts")).getText();
                assertTrue(facts.contains("France") && facts.contains("1976"), facts);
                List<String> flagged = browser.findElements(By.cssSelector("li.appearance")).stream()
                        .filter(li -> !li.findElements(By.cssSelector(".flag")).isEmpty())
                        .map(li -> li.findElement(By.cssSelector("strong")).getText()).toList();
                assertEquals(1, flagged.size(), flagged.toString());
                assertTrue(flagged.get(0).contains("(1975)"), flagged.toString());
                assertTrue(browser.findElement(By.id("edits")).getText().contains("rita"));
                assertEquals(1976, h.json("/api/catalogue/vehicles/v-renault-4").path("yearFrom").asInt());
                for (int width : List.of(1440, 390)) {
                    browser.manage().window().setSize(new Dimension(width, width == 390 ? 844 : 1000));
                    browser.navigate().refresh();
                    waitForItems(browser, ".flag");
                    fitsWidth(browser, width, "vehicle, reviewer");
                    // The flagged appearance in view, with the reviewer's prominence menu and the edit list below
                    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})",
                            browser.findElement(By.cssSelector(".flag")));
                    shot(browser, "vehicle-reviewer-" + width + ".png");
                }

                // The film's original title, from its page
                browser.manage().window().setSize(new Dimension(1440, 1000));
                browser.get(h.base() + "/films/f-amelie-2001");
                waitForItems(browser, "#appearances li.appearance");
                browser.findElement(By.cssSelector("#film-edit summary")).click();
                type(browser, "#film-form [name=originalTitle]", "Le Fabuleux Destin d'Amélie Poulain");
                type(browser, "#film-form [name=country]", "France");
                browser.findElement(By.cssSelector("#film-form button[type=submit]")).click();
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> browser.findElement(
                        By.id("film-titles")).getText().contains("Fabuleux Destin"));
                for (int width : List.of(1440, 390)) {
                    browser.manage().window().setSize(new Dimension(width, width == 390 ? 844 : 1000));
                    fitsWidth(browser, width, "film, reviewer");
                    shot(browser, "film-reviewer-" + width + ".png");
                }

                // The renamed vehicle's old address leads to the new one
                browser.get(h.base() + "/vehicles/v-citroen-2cv");
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> browser.findElement(
                        By.id("vehicle-label")).getText().equals("Citroën 2CV Charleston"));
                assertTrue(browser.getCurrentUrl().endsWith("/vehicles/v-citroen-2cv-charleston"),
                        browser.getCurrentUrl());

                // And the search page narrows by country
                browser.get(h.base() + "/?country=france");
                waitForItems(browser, "#hits li");
                assertEquals(List.of("f-amelie-2001", "v-renault-4"), browser.findElements(By.cssSelector("#hits li"))
                        .stream().map(li -> li.getAttribute("data-id")).toList());
                assertEquals("france", browser.findElement(By.id("country")).getAttribute("value"));
            } finally {
                browser.quit();
            }
        }
    }

    private static void type(WebDriver browser, String css, String text) {
        var field = browser.findElement(By.cssSelector(css));
        field.clear();
        field.sendKeys(text);
    }

    private static void play(CatalogueHarness h) throws Exception {
        String ref = h.blobs.put(Events.png(240, 160, new Color(230, 230, 220)));
        h.publish(h.topics.references(), reference("r-r4", "Renault 4", "Renault", "4 TL", 1961, ref));
        h.publish(h.topics.references(), reference("r-2cv", "Citroën 2CV", "Citroën", "2CV", 1948,
                h.blobs.put(Events.png(240, 160, new Color(120, 140, 160)))));
        Object[][] stills = {
            {"s1", "Amélie", 2001, "00:41:07", "Renault 4", new Color(230, 230, 220)},
            {"s2", "AMELIE", 2001, "00:12:30", "Citroën 2CV", new Color(120, 140, 160)},
            {"s3", "<img src=x onerror=alert(1)>", 1975, "01:02:03", "Renault 4", new Color(200, 60, 40)},
            {"s4", "Le Gendarme et les Extra-terrestres, a very long title that has to wrap on a phone", 1979,
                "00:05:00", "Renault 4", new Color(40, 120, 60)},
        };
        for (Object[] s : stills) {
            String key = h.blobs.put(Events.png(640, 360, (Color) s[5]));
            StillSubmitted still = Events.still((String) s[0], (String) s[1], (Integer) s[2], (String) s[3], null,
                    key);
            String label = (String) s[4];
            h.publish(h.topics.identifications(), identification(still, candidate("r-x", label, 0.2)));
            for (String reviewer : List.of("alice", "bob")) {
                h.publish(h.topics.decisions(), decision((String) s[0], CONFIRM, label, null, reviewer, 1));
            }
        }
    }

    private static void waitForItems(WebDriver browser, String css) {
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() ->
                !browser.findElements(By.cssSelector(css)).isEmpty());
    }

    private static void fitsWidth(WebDriver browser, int width, String page) {
        // Images are lazy: scroll through so every one has loaded before measuring.
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript("window.scrollTo(0, document.body.scrollHeight)");
        await().atMost(Duration.ofSeconds(10)).until(() -> (Boolean) js.executeScript(
                "return Array.from(document.images).every(i => i.complete)"));
        js.executeScript("window.scrollTo(0, 0)");
        long scrollWidth = (Long) js.executeScript("return document.documentElement.scrollWidth");
        long viewport = (Long) js.executeScript("return document.documentElement.clientWidth");
        assertTrue(scrollWidth <= viewport, page + " at " + width + " px scrolls sideways: " + scrollWidth + " > "
                + viewport);
    }

    private static void shot(WebDriver browser, String name) throws Exception {
        Files.createDirectories(SHOTS);
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private WebDriver chrome() {
        return Chromium.start(profileDir, 1440, 1000, "--hide-scrollbars");
    }
}
