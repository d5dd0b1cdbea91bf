package dev.cairn.ui.browser;

import static dev.cairn.ui.browser.Pages.id;
import static dev.cairn.ui.browser.Pages.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.WorkflowClient.RunHandle;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

/** With actions enabled (cairn ui --allow-actions) the page offers them, and they act. */
class ActionsBrowserTest {
  @TempDir Path dir;
  LocalUi ui;
  ChromeDriver driver;
  Pages pages;

  @BeforeEach
  void start() {
    Chromium.assumePresent();
    ui = new LocalUi(dir, true);
    driver = Chromium.start();
    pages = new Pages(driver, Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (ui != null) {
      ui.close();
    }
  }

  @Test
  void aRunningWorkflowIsCanceledFromItsPageAfterAConfirmation() throws Exception {
    Path never = dir.resolve("never");
    RunHandle run =
        ui.start(
            "metadata: {name: long}\nspec:\n  tasks:\n"
                + "  - {name: wait, command: [sh, -c, 'while [ ! -f "
                + never
                + " ]; do sleep 0.05; done']}\n");
    driver.get(ui.page(run.workflowId()));
    pages.dagReady();
    pages.until(node("wait"), "data-state", "running");
    pages.visible(id("actions"));
    assertThat(driver.findElement(id("action-unsuspend")).isEnabled()).isFalse();
    assertThat(driver.findElement(id("action-resume")).isEnabled()).isFalse();

    // A dismissed confirmation does nothing.
    pages.click(id("action-cancel"));
    driver.switchTo().alert().dismiss();
    assertThat(ui.client.status(run.workflowId(), false).phase()).isEqualTo(WorkflowPhase.Running);

    pages.click(id("action-cancel"));
    driver.switchTo().alert().accept();
    pages.untilText(id("workflow-phase"), "Canceled");
    assertThat(run.await(Duration.ofSeconds(20)).phase()).isEqualTo(WorkflowPhase.Canceled);
  }
}
