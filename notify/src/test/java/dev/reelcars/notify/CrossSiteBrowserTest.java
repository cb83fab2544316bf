package dev.reelcars.notify;

import static dev.reelcars.notify.Fixtures.identification;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.reelcars.events.ReviewDecision;
import dev.reelcars.events.StillSubmitted;
import dev.reelcars.testkit.Chromium;
import dev.reelcars.testkit.EmbeddedBroker;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Issue 16's forged review, in a real headless Chromium: a reviewer signed in on the page visits a page served from
 * another port of the same host (the same site, so {@code SameSite=Strict} still sends the cookie), which submits a
 * {@code text/plain} form and a {@code fetch} to {@code POST /api/reviews/{id}}. Neither may record a decision.
 */
class CrossSiteBrowserTest {
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
    void aPageOnAnotherPortCannotDecideWithTheReviewersCookie() throws Exception {
        try (NotifyHarness h = new NotifyHarness(broker.kafka().bootstrapServers(), dataDir,
                Map.of("REELCARS_CONSENSUS", "1")).start()) {
            // Given a match waiting in the queue, and alice signed in on the page (her cookie in the browser)
            String key = h.blobs.put(Fixtures.png(320, 200, new java.awt.Color(30, 60, 200)));
            h.publish(h.topics.identifications(), identification(new StillSubmitted(1, "s-csrf", key, "image/png",
                    320, 200, "Bullitt", 1968, null, null, "zoe", null, null, Instant.now()), Instant.now(),
                    Fixtures.candidate("r-1", "Ford Mustang", 0.95, key)));
            String target = h.base() + "/api/reviews/s-csrf";
            HttpServer attacker = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            attacker.createContext("/", ex -> {
                // A form whose text/plain body is valid JSON, sent on load, and a no-cors fetch with credentials.
                String html = "<!doctype html><html><body>"
                        + "<form id=f method=POST enctype=text/plain action='" + target + "'>"
                        + "<input name='{\"verdict\":\"confirm\",\"x\":\"' value='\"}'></form>"
                        + "<script>fetch('" + target + "', {method: 'POST', mode: 'no-cors', credentials: 'include',"
                        + " headers: {'Content-Type': 'text/plain'}, body: '{\"verdict\":\"confirm\"}'})"
                        + ".finally(() => document.getElementById('f').submit());</script></body></html>";
                byte[] body = html.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            attacker.start();
            WebDriver browser = chrome();
            try {
                browser.get(h.base() + "/");
                await().ignoreExceptions().atMost(Duration.ofSeconds(10))
                        .until(() -> browser.findElement(By.id("signin-name")).isDisplayed());
                browser.findElement(By.id("signin-name")).sendKeys("alice");
                browser.findElement(By.id("signin-password")).sendKeys("alice-pw");
                browser.findElement(By.cssSelector("#signin-form button")).click();
                await().ignoreExceptions().atMost(Duration.ofSeconds(20))
                        .until(() -> browser.findElement(By.id("workbench")).isDisplayed());

                // When she visits the attacker's page on another port of the same host
                browser.get("http://localhost:" + attacker.getAddress().getPort() + "/");

                // Then the forged form lands on notify's refusal, and no decision was recorded
                await().ignoreExceptions().atMost(Duration.ofSeconds(20))
                        .until(() -> browser.getCurrentUrl().contains("/api/reviews/s-csrf"));
                String answer = browser.findElement(By.tagName("body")).getText();
                assertTrue(answer.contains("cross-site"), "the refusal names the reason: " + answer);
                assertEquals(0, h.readEvents(h.topics.decisions(), ReviewDecision.class).size(),
                        "no decision from another origin");
                assertEquals(ReviewQueue.Status.PENDING, h.service.queue().task("s-csrf").orElseThrow().status());
            } finally {
                browser.quit();
                attacker.stop(0);
            }
        }
    }

    private WebDriver chrome() {
        return Chromium.start(profileDir, 1200, 900);
    }
}
