package dev.reelcars.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reelcars.events.EventCodec;
import dev.reelcars.events.FilmSubmitted;
import dev.reelcars.platform.Common;
import dev.reelcars.testkit.Chromium;
import dev.reelcars.testkit.Films;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The films page on the whole one-JVM stack (identify's film lane included), in a real headless Chromium: a
 * contributor signs in on notify's page, uploads a generated film to ingest across origins with tus-js-client,
 * watches the progress bar reach done over the Server-Sent Events stream and finds the pickup truck's appearance on
 * the timeline, by keyboard too; an upload interrupted by a page reload resumes from the offset ingest kept. axe-core
 * finds nothing serious at 1440 and 390 px; screenshots go to {@code target/films/} (copied to {@code docs/films/}).
 * Skipped (not failed) where Chromium, its driver or ffmpeg is not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FilmPageBrowserTest {
    private static final Path SHOTS = Path.of("target", "films");
    /** axe-core as notify's browser tests inject it (MPL-2.0, see notify/src/test/resources/LICENSES). */
    private static final Path AXE = Path.of("..", "notify", "src", "test", "resources", "axe.min.js");
    /** ingest on a port chosen now: the page must be told where ingest is before notify starts. */
    private static final int INGEST_PORT = freePort();

    @RegisterExtension
    static final TestStack STACK = TestStack.with(Map.of("REELCARS_IDENTIFY_FILM_CHECKPOINT_FRAMES", "4",
            "REELCARS_INGEST_PORT", String.valueOf(INGEST_PORT),
            "REELCARS_NOTIFY_INGEST_PUBLIC_URL", "http://localhost:" + INGEST_PORT));

    @TempDir
    static Path dir;
    private static ChromeDriver browser;
    private static Path film;

    @BeforeAll
    static void start() throws Exception {
        Chromium.assumeInstalled();
        assumeTrue(Films.ffmpegRuns(), "ffmpeg is not installed");
        // 3 s of a house, 3 s of the demo gallery's pickup truck, 2 s of the house again
        Path house = Files.write(dir.resolve("house.jpg"), StackClient.resource("no-vehicle.jpg"));
        Path truck = Files.write(dir.resolve("truck.jpg"), StackClient.resource("demo-still.jpg"));
        film = dir.resolve("orchard-road.mp4");
        Films.encode(film, house, 3, truck, 3, house, 2);
        browser = chrome(dir.resolve("profile"));
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @Order(1)
    void aContributorUploadsAFilmAndWatchesItsScanReachTheTimeline() throws Exception {
        // Given a contributor signed in on the page, in the films view
        viewport(1440);
        signIn("contributor", "demo");
        browser.get(page() + "/#films");
        until(() -> browser.findElement(By.id("films")).isDisplayed(), 20);
        assertFalse(browser.findElement(By.id("upload")).isDisplayed(), "the still upload belongs to the other view");
        assertEquals("page", browser.findElement(By.id("view-films")).getAttribute("aria-current"));

        // When they choose the film, give its metadata and upload it (tus-js-client, across origins, with the cookie)
        browser.findElement(By.id("film-file")).sendKeys(film.toString());
        browser.findElement(By.id("film-title")).sendKeys("Orchard Road");
        browser.findElement(By.id("film-year")).sendKeys("1982");
        browser.findElement(By.id("film-country")).sendKeys("GB");
        browser.findElement(By.id("film-language")).sendKeys("en", Keys.ENTER);

        // Then the film is listed and shown, and the progress bar reaches done with the truck on the timeline
        until(() -> browser.findElement(By.id("film-detail")).isDisplayed()
                && browser.findElement(By.id("film-detail-title")).getText().equals("Orchard Road"), 60);
        until(() -> browser.findElement(By.id("film-status")).getText().equalsIgnoreCase("done"), 180);
        assertEquals("100", browser.findElement(By.id("film-progress")).getAttribute("value"));
        String progress = browser.findElement(By.id("film-progress-text")).getText();
        assertTrue(progress.matches("frames \\d+ of \\d+ decoded · \\d+ matched · 1 appearance so far.*"), progress);
        until(() -> !browser.findElements(By.cssSelector("#timeline-marks .mark")).isEmpty(), 20);
        List<WebElement> marks = browser.findElements(By.cssSelector("#timeline-marks .mark"));
        assertEquals(1, marks.size(), "one appearance: the truck");
        WebElement mark = marks.get(0);
        assertEquals("Blue pickup truck", mark.getText());
        String label = mark.getAttribute("aria-label");
        assertTrue(label.matches("Blue pickup truck, 0:0\\d\\.\\d to 0:0\\d\\.\\d"), label);
        // The mark sits where the truck is: between 3 s and 6 s of the 8 s film (in pixels along the bar)
        Map<?, ?> where = (Map<?, ?>) js("const m = document.querySelector('#timeline-marks .mark')"
                + ".getBoundingClientRect(); const b = document.getElementById('timeline-marks').getBoundingClientRect();"
                + "return {from: (m.left - b.left) / b.width, to: (m.right - b.left) / b.width};");
        double from = ((Number) where.get("from")).doubleValue();
        assertTrue(from > 0.3 && from < 0.5, "the mark starts near 3 s of 8: " + where);
        // The page watched the scan over ingest's event stream (not by reloading)
        assertEquals(Boolean.TRUE, js("return performance.getEntriesByType('resource')"
                + ".some(e => e.name.includes('/api/films/') && e.name.endsWith('/events'));"));
        // And the list says the same
        String listed = browser.findElement(By.cssSelector("#film-list .film-item")).getText();
        assertTrue(listed.startsWith("Orchard Road") && listed.contains("done") && listed.contains("1 appearance"),
                listed);

        // When the mark is reached with the keyboard, its label and times are shown
        browser.findElement(By.id("film-delete")).sendKeys(Keys.TAB);
        until(() -> "mark".equals(js("return document.activeElement.className;")), 10);
        String detail = browser.findElement(By.id("appearance-detail")).getText();
        assertTrue(detail.startsWith("Blue pickup truck from 0:0") && detail.contains("review item still-"), detail);
        assertAccessible("films at 1440");
        shot("films-1440");

        // At a phone's width: one column, no sideways scrolling, nothing serious for axe
        viewport(390);
        until(() -> browser.findElement(By.id("film-detail")).isDisplayed(), 10);
        assertNoSidewaysScroll(390);
        assertAccessible("films at 390");
        js("document.getElementById('film-detail').scrollIntoView({block: 'start'});");
        shot("films-390");
        viewport(1440);

        // And the film's file reached ingest once, with its metadata
        List<FilmSubmitted> submitted = films();
        assertEquals(1, submitted.size(), "one film: " + submitted);
        assertEquals("Orchard Road", submitted.get(0).title());
        assertEquals(1982, submitted.get(0).year());
        assertEquals("GB", submitted.get(0).country());
        assertEquals("contributor", submitted.get(0).owner());
    }

    @Test
    @Order(2)
    void anUploadInterruptedByAReloadResumesFromWhereItStopped() throws Exception {
        // Given a second film (another length, so other bytes) and an upload slowed to 40 KB/s
        Path house = dir.resolve("house.jpg");
        Path truck = dir.resolve("truck.jpg");
        Path second = dir.resolve("second.mp4");
        Films.encode(second, truck, 2, house, 4);
        long size = Files.size(second);
        assumeTrue(size > 120_000, "the film is big enough to interrupt: " + size);
        browser.get(page() + "/#films");
        until(() -> browser.findElement(By.id("film-form")).isDisplayed(), 20);
        throttle(40_000);
        browser.findElement(By.id("film-file")).sendKeys(second.toString());
        browser.findElement(By.id("film-title")).sendKeys("Second Film", Keys.ENTER);
        until(() -> browser.findElement(By.id("film-upload")).isDisplayed(), 10);

        // When the page is reloaded mid-upload (once ingest holds part of it)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                uploadedSoFar() > 0);
        browser.navigate().refresh();
        throttle(0);

        // Then the page names the unfinished upload, and the same file again resumes it instead of starting over
        until(() -> browser.findElement(By.id("film-unfinished")).getText().contains("Second Film"), 20);
        browser.findElement(By.id("film-file")).sendKeys(second.toString());
        browser.findElement(By.id("film-title")).sendKeys("Second Film", Keys.ENTER);
        until(() -> browser.findElement(By.id("film-upload-status")).getText().startsWith("Resuming the upload"),
                10);
        until(() -> browser.findElement(By.id("film-detail-title")).getText().equals("Second Film"), 60);
        assertEquals("", browser.findElement(By.id("film-unfinished")).getText(), "nothing unfinished is left");
        FilmSubmitted f = films().stream().filter(s -> s.title().equals("Second Film")).findFirst().orElseThrow();
        assertEquals(size, f.bytes(), "the whole film arrived, in two requests");

        // When its owner deletes it from the page, it leaves the list
        browser.findElement(By.id("film-delete")).click();
        browser.switchTo().alert().accept();
        until(() -> browser.findElement(By.id("film-upload-status")).getText().equals("Deleted \"Second Film\"."),
                20);
        until(() -> browser.findElements(By.cssSelector("#film-list .film-item")).size() == 1, 10);
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** Bytes of unfinished uploads ingest holds on disk (tus keeps what arrived, per upload). */
    private static long uploadedSoFar() throws IOException {
        Path uploads = STACK.launcher().startedWith().ingestConfig().films().partsDir().resolve("uploads");
        if (!Files.isDirectory(uploads)) {
            return 0;
        }
        try (var files = Files.walk(uploads)) {
            return files.filter(p -> p.getFileName().toString().equals("data")).mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static List<FilmSubmitted> films() {
        Common common = STACK.launcher().common("test");
        return PipelineScenario.readAll(common, common.topics().films()).stream()
                .filter(r -> r.value() != null).map((ConsumerRecord<String, byte[]> r) ->
                        EventCodec.decode(r.value(), FilmSubmitted.class)).toList();
    }

    private static String page() {
        return "http://localhost:" + STACK.launcher().notifyService().port();
    }

    private static void signIn(String name, String password) {
        browser.manage().deleteAllCookies();
        browser.get(page() + "/");
        until(() -> browser.findElement(By.id("signin-name")).isDisplayed(), 20);
        browser.findElement(By.id("signin-name")).sendKeys(name);
        browser.findElement(By.id("signin-password")).sendKeys(password, Keys.ENTER);
        until(() -> browser.findElement(By.id("whoami")).isDisplayed(), 20);
    }

    /** Upload speed in bytes a second (0: not limited), through the DevTools protocol. */
    private static void throttle(int bytesPerSecond) {
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", bytesPerSecond == 0 ? -1 : bytesPerSecond));
    }

    private static ChromeDriver chrome(Path profile) {
        return Chromium.start(profile, 1440, 900);
    }

    private static void viewport(int width) {
        // Device metrics rather than the window size: a headless window has a minimum width above a phone's.
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width,
                "height", width == 390 ? 844 : 900, "deviceScaleFactor", 1, "mobile", width == 390));
    }

    private static void assertNoSidewaysScroll(int width) {
        Map<?, ?> m = (Map<?, ?>) js("return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth};");
        assertEquals(width, ((Number) m.get("inner")).intValue(), "the viewport is " + width + " px");
        assertTrue(((Number) m.get("scroll")).intValue() <= width, "no horizontal scroll at " + width + " px: " + m);
    }

    /** axe-core in the page: no serious or critical violation. */
    private static void assertAccessible(String where) throws IOException {
        if (!Boolean.TRUE.equals(js("return typeof window.axe === 'object';"))) {
            browser.executeScript(Files.readString(AXE, StandardCharsets.UTF_8));
        }
        Object found = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations"
                + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + ".map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))));");
        assertEquals(List.of(), found, "axe-core at " + where);
    }

    private static void shot(String name) throws IOException {
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static void until(Supplier<Boolean> condition, int seconds) {
        await().ignoreExceptions().pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(seconds))
                .until(condition::get);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
