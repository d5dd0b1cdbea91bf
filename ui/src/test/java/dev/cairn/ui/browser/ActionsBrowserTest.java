package dev.cairn.ui.browser;

import static dev.cairn.ui.browser.Pages.id;
import static dev.cairn.ui.browser.Pages.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.WorkflowClient.RunHandle;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With actions enabled (cairn ui --allow-actions) the page offers them, and they act. */
class ActionsBrowserTest {
  @RegisterExtension final BrowserUi browser = BrowserUi.withActions(Duration.ofSeconds(20));

  @Test
  void aRunningWorkflowIsCanceledFromItsPageAfterAConfirmation() throws Exception {
    Path never = browser.dir.resolve("never");
    RunHandle run =
        browser.ui.start(
            "metadata: {name: long}\nspec:\n  tasks:\n"
                + "  - {name: wait, command: [sh, -c, 'while [ ! -f "
                + never
                + " ]; do sleep 0.05; done']}\n");
    browser.driver.get(browser.ui.page(run.workflowId()));
    browser.pages.dagReady();
    browser.pages.until(node("wait"), "data-state", "running");
    browser.pages.visible(id("actions"));
    assertThat(browser.driver.findElement(id("action-unsuspend")).isEnabled()).isFalse();
    assertThat(browser.driver.findElement(id("action-resume")).isEnabled()).isFalse();

    // A dismissed confirmation does nothing.
    browser.pages.click(id("action-cancel"));
    browser.driver.switchTo().alert().dismiss();
    assertThat(browser.ui.client.status(run.workflowId(), false).phase())
        .isEqualTo(WorkflowPhase.Running);

    browser.pages.click(id("action-cancel"));
    browser.driver.switchTo().alert().accept();
    browser.pages.untilText(id("workflow-phase"), "Canceled");
    assertThat(run.await(Duration.ofSeconds(20)).phase()).isEqualTo(WorkflowPhase.Canceled);
  }
}
