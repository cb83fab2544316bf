package dev.reelcars.notify;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** The one way the browser tests start Debian's headless Chromium. */
final class Chromium {
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final String BROWSER = "/usr/lib/chromium/chromium";

    private Chromium() {
    }

    /** Skips the calling test class (not fails) where the browser is not installed. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(DRIVER), "no " + DRIVER + ": apt-get install -y chromium chromium-driver");
    }

    /**
     * A headless Chromium with its own profile. The driver is given explicitly: Selenium Manager would try to
     * download one, and there is no network; background networking is off for the same reason.
     */
    static ChromeDriver start(Path profile, int width, int height) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString())).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        return new ChromeDriver(service, options);
    }
}
