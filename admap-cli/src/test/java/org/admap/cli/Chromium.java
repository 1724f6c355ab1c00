package org.admap.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium through Debian's chromedriver, both named by
 * path so that nothing is downloaded. The flags keep Chromium off the network (this machine's
 * closed network refuses its background connections) and give it a fresh profile.
 *
 * <p>Tests that need it call {@link #assumeInstalled()} and are skipped, with a message,
 * where the packages are absent ({@code scripts/install-test-deps.sh} installs them; CI's
 * {@code .ci/run} calls it).
 */
final class Chromium implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static void assumeInstalled() {
        boolean installed = Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
        String why = "skipped: the browser tests need Debian's chromium and chromium-driver (" + BINARY + ", "
                + DRIVER + "); install them with scripts/install-test-deps.sh (CI's .ci/run does)";
        if (!installed) {
            // A class skipped in @BeforeAll shows in Maven's summary as "Tests run: 0" only: say why there.
            String caller = StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()
                    .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1))
                    .orElse("browser test"));
            System.err.println(caller + " " + why);
        }
        assumeTrue(installed, why);
    }

    static Chromium start() throws IOException {
        Path profile = Files.createTempDirectory("admap-chromium-");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--disable-extensions", "--user-data-dir=" + profile,
                "--window-size=1500,1900");
        // Leave an alert open so a test can see it, instead of Selenium dismissing it.
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        return new Chromium(new ChromeDriver(service, options), profile);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds));
    }

    /** Opens a page and waits until the map is drawn. */
    void openMap(String url) {
        driver.get(url);
        waitUpTo(30).until(d -> "true".equals(js("return document.body.getAttribute('data-ready')")));
    }

    /** Saves a screenshot of the window into the folder named by -Dadmap.screenshots, if set. */
    void screenshot(String name) throws IOException {
        String dir = System.getProperty("admap.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Files.createDirectories(Path.of(dir));
        Files.write(Path.of(dir, name), driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
