package dev.cairn.ui.browser;

import static dev.cairn.ui.browser.Pages.id;
import static dev.cairn.ui.browser.Pages.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/** A task's artifacts tab, in Chromium: each file with its size and a download link. */
class ArtifactsBrowserTest {
  @RegisterExtension static final BrowserUi browser = BrowserUi.readOnly(Duration.ofSeconds(20));

  @BeforeAll
  static void runWorkflows() throws Exception {
    assertThat(
            browser
                .ui
                .run(
                    "metadata: {name: files}\nspec:\n  tasks:\n"
                        + "  - {name: writer, command: [sh, -c, 'mkdir -p \"$CAIRN_ARTIFACTS/sub\";"
                        + " printf hello > \"$CAIRN_ARTIFACTS/sub/a b.txt\"']}\n")
                .phase())
        .isEqualTo(WorkflowPhase.Succeeded);
  }

  @Test
  void theArtifactsTabLinksEachFileWithItsSize() {
    browser.driver.get(browser.ui.page("default/files"));
    browser.pages.dagReady();
    browser.pages.clickSvg(node("writer"));
    browser.pages.until(id("task-panel"), "data-task", "writer");
    browser.pages.click(id("task-tab-artifacts"));
    browser.pages.untilText(id("artifacts"), "sub/a b.txt");
    assertThat(browser.driver.findElement(id("artifacts")).getText()).contains("5 B");
    List<WebElement> links = browser.driver.findElements(id("artifact-download"));
    assertThat(links).hasSize(1);
    assertThat(links.get(0).getAttribute("href"))
        .endsWith("/api/workflows/default/files/tasks/writer/artifacts/sub/a%20b.txt");
  }
}
