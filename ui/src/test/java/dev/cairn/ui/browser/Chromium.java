package dev.cairn.ui.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium under Debian's chromedriver, in a 1280x800 window. Nothing is
 * downloaded: the driver's path is given, so Selenium Manager never runs.
 */
final class Chromium {
  static final Path BROWSER = Path.of(System.getProperty("cairn.chromium", "/usr/bin/chromium"));
  static final Path DRIVER =
      Path.of(System.getProperty("cairn.chromedriver", "/usr/bin/chromedriver"));

  private Chromium() {}

  static boolean present() {
    return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
  }

  /** Skips the test without Chromium, except under CI=true, where its absence is a failure. */
  static void assumePresent() {
    if (present()) {
      return;
    }
    String missing =
        "Chromium or chromedriver missing ("
            + BROWSER
            + ", "
            + DRIVER
            + "): install Debian's chromium and chromium-driver (.ci/setup does)";
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(missing);
    }
    Assumptions.abort(missing);
  }

  static ChromeDriver start() {
    System.setProperty("webdriver.chrome.driver", DRIVER.toString());
    Path profile;
    try {
      profile = Files.createTempDirectory("cairn-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a Chromium profile directory", e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,800",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return driver;
  }
}
