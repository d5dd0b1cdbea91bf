package dev.cairn.ui.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What every browser test stands on: a real local store with the UI server over it ({@link
 * LocalUi}), and Chromium with the test's {@link Pages} helper, all closed afterwards. Registered
 * on a static field it serves the whole class (workflows run once in a {@code @BeforeAll}, which
 * comes after this); on an instance field, each test gets its own. Skips the class without
 * Chromium, except under CI.
 */
final class BrowserUi
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final boolean actions;
  private final Duration wait;
  private boolean perClass;

  /** Scratch space of the store and the test's own files; removed at the end. */
  Path dir;

  LocalUi ui;
  ChromeDriver driver;
  Pages pages;

  private BrowserUi(boolean actions, Duration wait) {
    this.actions = actions;
    this.wait = wait;
  }

  /** A read-only UI, as {@code cairn ui} serves by default; pages wait up to {@code wait}. */
  static BrowserUi readOnly(Duration wait) {
    return new BrowserUi(false, wait);
  }

  /** A UI that offers resume, cancel and suspend ({@code cairn ui --allow-actions}). */
  static BrowserUi withActions(Duration wait) {
    return new BrowserUi(true, wait);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    perClass = true;
    open();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    close();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    if (!perClass) {
      open();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (!perClass) {
      close();
    }
  }

  private void open() throws IOException {
    Chromium.assumePresent();
    dir = Files.createTempDirectory("cairn-ui-browser");
    ui = new LocalUi(dir, actions);
    driver = Chromium.start();
    pages = new Pages(driver, wait);
  }

  private void close() throws IOException {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      driver = null;
      if (ui != null) {
        ui.close();
        ui = null;
      }
      if (dir != null) {
        delete(dir);
        dir = null;
      }
    }
  }

  private static void delete(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
