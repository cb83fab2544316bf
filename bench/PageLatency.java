import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Upload → match-on-an-open-page latency, measured in a real browser: a reviewer page is open and signed in
 * (headless Debian Chromium); each still is uploaded to ingest and timed until its row appears in the page's queue,
 * pushed over SSE. Prints median and worst of N, and saves a screenshot of the page showing the last real match.
 *
 * CP=$(mvn -q -pl notify dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
 * java -cp "$CP" bench/PageLatency.java [still.jpg] [n] [screenshot.png]
 */
public class PageLatency {
    public static void main(String[] args) throws Exception {
        Path still = Path.of(args.length > 0 ? args[0] : "docs/demo-still.jpg");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path screenshot = Path.of(args.length > 2 ? args[2] : "docs/reviewer-page-real-match.png");
        String notify = "http://localhost:8080";
        String ingest = "http://localhost:8081";

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/lib/chromium/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,900", "--user-data-dir=" + Files.createTempDirectory("page-latency"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).build();
        WebDriver browser = new ChromeDriver(service, options);
        HttpClient http = HttpClient.newHttpClient();
        try {
            browser.get(notify + "/");
            waitUntil(() -> !browser.findElements(By.id("signin-name")).isEmpty(), 10_000);
            browser.findElement(By.id("signin-name")).sendKeys("demo");
            browser.findElement(By.id("signin-password")).sendKeys("demo");
            browser.findElement(By.cssSelector("#signin-form button")).click();
            waitUntil(() -> browser.findElement(By.id("live")).getAttribute("class").contains("on"), 10_000);

            byte[] jpeg = Files.readAllBytes(still);
            String run = Long.toString(System.currentTimeMillis(), 36);
            List<Double> latencies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] image = withComment(jpeg, "page latency " + run + " #" + i);
                String boundary = "----page" + i;
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"film\"\r\n\r\nOrchard Road"
                        + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"year\"\r\n\r\n1982"
                        + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"timecode\"\r\n\r\n00:41:"
                        + String.format("%02d", i) + "\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"s.jpg\"\r\n"
                        + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                body.writeBytes(image);
                body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ingest + "/api/stills"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                        HttpResponse.BodyHandlers.ofString());
                Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
                if (r.statusCode() != 202 || !m.find()) {
                    throw new IllegalStateException("upload refused: " + r.statusCode() + " " + r.body());
                }
                String id = m.group(1);
                By row = By.cssSelector("li[data-still-id='" + id + "']");
                waitUntil(() -> !browser.findElements(row).isEmpty(), 60_000);
                double ms = (System.nanoTime() - t0) / 1e6;
                latencies.add(ms);
                System.err.printf("still %2d  %7.1f ms%n", i + 1, ms);
            }
            Collections.sort(latencies);
            double median = n % 2 == 1 ? latencies.get(n / 2) : (latencies.get(n / 2 - 1) + latencies.get(n / 2)) / 2;
            System.out.printf("upload -> match on an open page, %d stills: median %.1f ms, worst %.1f ms%n", n,
                    median, latencies.get(n - 1));
            Thread.sleep(1500); // let the current item's images load before the screenshot
            Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            System.out.println("screenshot: " + screenshot);
        } finally {
            browser.quit();
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitUntil(Check check, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (RuntimeException e) {
                // element not there yet
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("timed out after " + timeoutMs + " ms");
            }
            Thread.sleep(2);
        }
    }

    static byte[] withComment(byte[] jpeg, String comment) {
        byte[] text = comment.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xFE);
        out.write((text.length + 2) >> 8);
        out.write((text.length + 2) & 0xFF);
        out.writeBytes(text);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
