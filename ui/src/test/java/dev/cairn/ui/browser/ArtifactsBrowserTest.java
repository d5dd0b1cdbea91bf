package dev.cairn.ui.browser;

import static dev.cairn.ui.browser.Pages.id;
import static dev.cairn.ui.browser.Pages.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** A task's artifacts tab, in Chromium: each file with its size and a download link. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArtifactsBrowserTest {
  @TempDir static Path dir;
  LocalUi ui;
  ChromeDriver driver;
  Pages pages;

  @BeforeAll
  void start() throws Exception {
    Chromium.assumePresent();
    ui = new LocalUi(dir);
    assertThat(
            ui.run(
                    "metadata: {name: files}\nspec:\n  tasks:\n"
                        + "  - {name: writer, command: [sh, -c, 'mkdir -p \"$CAIRN_ARTIFACTS/sub\";"
                        + " printf hello > \"$CAIRN_ARTIFACTS/sub/a b.txt\"']}\n")
                .phase())
        .isEqualTo(WorkflowPhase.Succeeded);
    driver = Chromium.start();
    pages = new Pages(driver, Duration.ofSeconds(20));
  }

  @AfterAll
  void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (ui != null) {
      ui.close();
    }
  }

  @Test
  void theArtifactsTabLinksEachFileWithItsSize() {
    driver.get(ui.page("default/files"));
    pages.dagReady();
    pages.clickSvg(node("writer"));
    pages.until(id("task-panel"), "data-task", "writer");
    pages.click(id("task-tab-artifacts"));
    pages.untilText(id("artifacts"), "sub/a b.txt");
    assertThat(driver.findElement(id("artifacts")).getText()).contains("5 B");
    List<WebElement> links = driver.findElements(id("artifact-download"));
    assertThat(links).hasSize(1);
    assertThat(links.get(0).getAttribute("href"))
        .endsWith("/api/workflows/default/files/tasks/writer/artifacts/sub/a%20b.txt");
  }
}
