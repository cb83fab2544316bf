package dev.reelcars.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** The one way the browser tests start Debian's headless Chromium. */
public final class Chromium {
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path BROWSER = Path.of("/usr/lib/chromium/chromium");

    private Chromium() {
    }

    /** Skips the calling test class (not fails) where the driver or the browser is not installed. */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(DRIVER) && Files.isExecutable(BROWSER),
                "no " + DRIVER + " or " + BROWSER + ": apt-get install -y chromium chromium-driver");
    }

    /**
     * A headless Chromium with its own profile and a window of the given size; {@code extraArguments} (e.g.
     * {@code --hide-scrollbars}) are added to the common ones. The driver is given explicitly: Selenium Manager
     * would try to download one, and there is no network; background networking is off for the same reason.
     */
    public static ChromeDriver start(Path profile, int width, int height, String... extraArguments) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString())).usingAnyFreePort().build();
        List<String> arguments = new ArrayList<>(List.of("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"));
        arguments.addAll(List.of(extraArguments));
        arguments.add("--window-size=" + width + "," + height);
        arguments.add("--user-data-dir=" + profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toString());
        options.addArguments(arguments);
        return new ChromeDriver(service, options);
    }
}
