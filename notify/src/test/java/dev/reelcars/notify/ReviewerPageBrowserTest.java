package dev.reelcars.notify;

import static dev.reelcars.notify.Fixtures.identification;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.reelcars.events.Candidate;
import dev.reelcars.events.Point;
import dev.reelcars.events.ReferenceAdded;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.testkit.Chromium;
import dev.reelcars.testkit.EmbeddedBroker;
import java.awt.Color;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The reviewer page in a real headless Chromium: sign in, a match arrives live, confirm it with the keyboard, and a
 * second reviewer's agreement grows the gallery. Skipped (not failed) only where Chromium or its driver is not installed.
 */
class ReviewerPageBrowserTest {
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
    void aReviewerConfirmsALiveMatchWithTheKeyboardAndASecondReviewerGrowsTheGallery() throws Exception {
        try (NotifyHarness h = new NotifyHarness(broker.kafka().bootstrapServers(), dataDir, Map.of()).start()) {
            WebDriver browser = chrome();
            try {
                // Given alice signed in on the page
                browser.get(h.base() + "/");
                waitFor(browser, By.id("signin-name")).sendKeys("alice");
                browser.findElement(By.id("signin-password")).sendKeys("alice-pw");
                browser.findElement(By.cssSelector("#signin-form button")).click();
                await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("workbench")).isDisplayed()
                        && browser.findElement(By.id("live")).getAttribute("class").contains("on"));

                // When identify publishes matches while the page is open (one with a hostile film title)
                String stillKey = h.blobs.put(Fixtures.png(480, 300, new Color(200, 40, 40)));
                String refKey = h.blobs.put(Fixtures.png(240, 160, new Color(210, 50, 45)));
                h.publish(h.topics.identifications(), identification(
                        new StillSubmitted(1, "s-browser", stillKey, "image/png", 480, 300, "Bullitt", 1968,
                                "01:27:43", "the chase", "zoe", null, null, Instant.now()),
                        Instant.now(), matchOf(refKey)));
                h.publish(h.topics.identifications(), identification(
                        new StillSubmitted(1, "s-hostile", stillKey, "image/png", 480, 300,
                                "<script>alert('x')</script><img src=x onerror=alert(1)>", 1999, null, null, "zoe",
                                null, null, Instant.now()),
                        Instant.now(), Fixtures.candidate("r-2", "<b>Mini</b>", 0.41, refKey)));

                // Then they appear without a reload, best first, the hostile title shown as text
                await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> queueIds(browser).equals(
                        List.of("s-browser", "s-hostile")));
                assertEquals("s-browser", browser.findElement(By.id("current")).getAttribute("data-still-id"));
                assertEquals("Bullitt", browser.findElement(By.id("current-film")).getText());
                String hostileRow = browser.findElement(By.cssSelector("li[data-still-id='s-hostile']")).getText();
                assertTrue(hostileRow.contains("<script>alert('x')</script>"), hostileRow);
                assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());
                // The canvas is resized once both images are drawn side by side.
                await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() ->
                        !"960".equals(browser.findElement(By.id("match-canvas")).getAttribute("width")));
                Path shot = Path.of("target", "reviewer-page.png");
                Files.createDirectories(shot.getParent());
                Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), shot,
                        StandardCopyOption.REPLACE_EXISTING);

                // j and k move through the queue
                new Actions(browser).sendKeys("j").perform();
                await().ignoreExceptions().atMost(Duration.ofSeconds(5)).until(() -> "s-hostile".equals(
                        browser.findElement(By.id("current")).getAttribute("data-still-id")));
                new Actions(browser).sendKeys("k").perform();
                await().ignoreExceptions().atMost(Duration.ofSeconds(5)).until(() -> "s-browser".equals(
                        browser.findElement(By.id("current")).getAttribute("data-still-id")));

                // When alice presses "y"
                new Actions(browser).sendKeys("y").perform();

                // Then the match leaves her queue and the next one is shown
                await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> queueIds(browser).equals(List.of("s-hostile")));
                assertEquals("s-hostile", browser.findElement(By.id("current")).getAttribute("data-still-id"));
                assertEquals("<b>Mini</b>", browser.findElement(By.id("current-label")).getText());

                // And when bob agrees, the match is confirmed and a review reference is published
                assertEquals(201, h.review(h.signIn("bob", "bob-pw"), "s-browser", "confirm").statusCode());
                await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() ->
                        "1".equals(browser.findElement(By.id("count-confirmed")).getText()));
                await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> h.readEvents(h.topics.references(),
                        ReferenceAdded.class).stream().anyMatch(r -> "review".equals(r.source())
                        && "s-browser".equals(r.derivedFromStill()) && "Ford Mustang GT".equals(r.label())));
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void anUnidentifiedStillShowsItsNearMissesAsHintsAReviewerCanTake() throws Exception {
        try (NotifyHarness h = new NotifyHarness(broker.kafka().bootstrapServers(), dataDir, Map.of()).start()) {
            WebDriver browser = chrome();
            try {
                // Given a still identify could not match, with a reference whose number plate alone came close
                String stillKey = h.blobs.put(Fixtures.png(480, 300, new Color(30, 40, 120)));
                String refKey = h.blobs.put(Fixtures.png(240, 160, new Color(35, 45, 125)));
                h.publish(h.topics.identifications(), Fixtures.nearMissesOnly(
                        new StillSubmitted(1, "s-near", stillKey, "image/png", 480, 300, "Pyongyang 1980", 1980,
                                null, null, "zoe", null, null, Instant.now()),
                        Instant.now(), Fixtures.plateCandidate("r-volga", "<i>Paektusan</i>", 0.47, refKey)));
                await().atMost(Duration.ofSeconds(20)).until(() -> h.service.queue().task("s-near").isPresent());

                // When alice signs in and opens it
                browser.get(h.base() + "/");
                waitFor(browser, By.id("signin-name")).sendKeys("alice");
                browser.findElement(By.id("signin-password")).sendKeys("alice-pw");
                browser.findElement(By.cssSelector("#signin-form button")).click();
                waitFor(browser, By.cssSelector("#unidentified-list li[data-still-id='s-near']")).click();

                // Then the naming panel lists the near miss, its label as text, beside its reference image
                WebElement hints = waitFor(browser, By.id("naming-hints"));
                String hint = browser.findElement(By.cssSelector("#naming-hint-list li")).getText();
                assertTrue(hint.contains("<i>Paektusan</i>") && hint.contains("47.0%"), hint);
                assertTrue(hint.contains("7 number-plate characters alike (plate only)"),
                        "the hint says it rests on the plate alone: " + hint);
                assertTrue(hints.findElement(By.cssSelector("img.hint-reference")).getAttribute("src")
                        .endsWith("/api/images/" + refKey));

                // And taking the hint records a confirmation naming that reference
                hints.findElement(By.cssSelector("#naming-hint-list button")).click();
                await().atMost(Duration.ofSeconds(20)).until(() -> h.readEvents(h.topics.decisions(),
                        ReviewDecision.class).stream().anyMatch(d -> "s-near".equals(d.stillId())
                        && "r-volga".equals(d.referenceId()) && "<i>Paektusan</i>".equals(d.label())));
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void theUploadFormPostsTheStillAndItsFieldsToIngestAcrossOrigins() throws Exception {
        // Given a stand-in for ingest's upload endpoint on another origin, answering with CORS like ingest does
        // (ingest's own tests cover what it does with the upload; here the page's form, CSP and CORS are checked)
        List<String> uploads = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer ingest = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        ingest.createContext("/api/stills", ex -> {
            ex.getResponseHeaders().add("Access-Control-Allow-Origin",
                    ex.getRequestHeaders().getFirst("Origin"));
            // The page sends its session cookie along, as ingest allows for the page's origin.
            ex.getResponseHeaders().add("Access-Control-Allow-Credentials", "true");
            if ("POST".equals(ex.getRequestMethod())) {
                uploads.add(ex.getRequestHeaders().getFirst("Content-Type") + "\n"
                        + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1));
                byte[] body = "{\"id\":\"still-from-page\"}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(202, body.length);
                ex.getResponseBody().write(body);
            } else {
                ex.sendResponseHeaders(204, -1);
            }
            ex.close();
        });
        ingest.start();
        String ingestUrl = "http://localhost:" + ingest.getAddress().getPort();
        try (NotifyHarness h = new NotifyHarness(broker.kafka().bootstrapServers(), dataDir,
                Map.of("REELCARS_NOTIFY_INGEST_PUBLIC_URL", ingestUrl)).start()) {
            Path image = dataDir.resolve("upload.png");
            Files.write(image, Fixtures.png(400, 260, new Color(30, 90, 200)));
            WebDriver browser = chrome();
            try {
                // Given a contributor signed in (the form is shown only to someone signed in)
                browser.get(h.base() + "/");
                waitFor(browser, By.id("signin-name")).sendKeys("dave");
                browser.findElement(By.id("signin-password")).sendKeys("dave-pw");
                browser.findElement(By.cssSelector("#signin-form button")).click();
                waitFor(browser, By.id("upload-form"));
                // When they fill the form (ingest, not this stand-in, decides who may upload)
                browser.findElement(By.cssSelector("#upload-form input[name=image]"))
                        .sendKeys(image.toAbsolutePath().toString());
                browser.findElement(By.cssSelector("#upload-form input[name=film]")).sendKeys("Le Mans");
                browser.findElement(By.cssSelector("#upload-form input[name=year]")).sendKeys("1971");
                browser.findElement(By.cssSelector("#upload-form input[name=timecode]")).sendKeys("00:12:00");
                browser.findElement(By.cssSelector("#upload-form input[name=note]")).sendKeys("pit lane");
                browser.findElement(By.cssSelector("#upload-form button")).click();
                // Then ingest receives a multipart upload with every field, and the page shows its answer
                await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("upload-result"))
                        .getText(), startsWith("received as still-from-page"));
                assertEquals(1, uploads.size());
                String upload = uploads.get(0);
                assertTrue(upload.startsWith("multipart/form-data"), upload.lines().findFirst().orElse(""));
                for (String field : List.of("image", "film", "year", "timecode", "note")) {
                    assertTrue(upload.contains("name=\"" + field + "\""), "field " + field + " is posted");
                }
                assertTrue(upload.contains("Le Mans") && upload.contains("1971") && upload.contains("pit lane"));
                assertTrue(upload.contains("\u0089PNG"), "the image bytes are posted");
            } finally {
                browser.quit();
            }
        } finally {
            ingest.stop(0);
        }
    }

    private static Candidate matchOf(String refKey) {
        List<Candidate.PointPair> pairs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            double sx = 80 + (i % 4) * 70;
            double sy = 70 + (i / 4) * 55;
            pairs.add(new Candidate.PointPair(new Point(sx, sy), new Point((sx - 60) * 0.66, (sy - 50) * 0.7)));
        }
        return new Candidate("r-mustang", "Ford Mustang GT", refKey, 0.93, 87,
                List.of(new Point(60, 50), new Point(420, 55), new Point(415, 250), new Point(58, 245)), pairs);
    }

    private static List<String> queueIds(WebDriver browser) {
        // Read in one script call: the list is re-rendered on every live update, so element handles go stale.
        Object ids = ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll('#queue-list li')).map(li => li.dataset.stillId);");
        return ((List<?>) ids).stream().map(String::valueOf).toList();
    }

    private static org.openqa.selenium.WebElement waitFor(WebDriver browser, By by) {
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(by).isDisplayed());
        return browser.findElement(by);
    }

    private WebDriver chrome() {
        return Chromium.start(profileDir, 1400, 1000);
    }
}
