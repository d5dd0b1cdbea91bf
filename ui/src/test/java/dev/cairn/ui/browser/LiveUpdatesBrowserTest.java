package dev.cairn.ui.browser;

import static dev.cairn.ui.browser.Pages.id;
import static dev.cairn.ui.browser.Pages.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.WorkflowClient.RunHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/** A page open while a run proceeds follows it without reloading. */
class LiveUpdatesBrowserTest {
  @RegisterExtension final BrowserUi browser = BrowserUi.readOnly(Duration.ofSeconds(20));

  @Test
  void aTaskGoesFromPendingToRunningToSucceededOnTheOpenPage() throws Exception {
    Path gate = browser.dir.resolve("gate-open");
    Path done = browser.dir.resolve("work-done");
    // Each command waits for a file the test creates, so the test decides when each step ends.
    RunHandle run =
        browser.ui.start(
            "metadata: {name: gated}\nspec:\n  tasks:\n"
                + "  - {name: gate, command: [sh, -c, 'while [ ! -f "
                + gate
                + " ]; do sleep 0.05; done']}\n"
                + "  - {name: work, dependsOn: [gate], command: [sh, -c, 'echo working; while [ !"
                + " -f "
                + done
                + " ]; do sleep 0.05; done; echo finished']}\n");

    browser.driver.get(browser.ui.page(run.workflowId()));
    browser.pages.dagReady();
    browser.pages.until(node("gate"), "data-state", "running");
    assertThat(browser.driver.findElement(node("work")).getAttribute("data-state"))
        .isEqualTo("pending");
    assertThat(browser.driver.findElement(id("workflow-phase")).getText()).isEqualTo("Running");
    browser.pages.untilText(id("live-badge"), "live");
    // Set on this document: still there at the end only if the page never reloaded.
    browser.pages.script("window.cairnTestMarker = 'same page';");

    Files.createFile(gate);
    browser.pages.until(node("gate"), "data-state", "succeeded");
    browser.pages.until(node("work"), "data-state", "running");
    browser.pages.untilText(node("work"), "running ·");
    // The running task's log, which grows while the panel is open.
    browser.pages.clickSvg(node("work"));
    browser.pages.click(id("task-tab-log"));
    browser.pages.untilText(id("log-text"), "working");

    Files.createFile(done);
    browser.pages.until(node("work"), "data-state", "succeeded");
    browser.pages.untilText(id("log-text"), "finished");
    browser.pages.untilText(id("task-state"), "succeeded");
    browser.pages.untilText(id("workflow-phase"), "Succeeded");
    assertThat(run.await(Duration.ofSeconds(20)).phase()).isEqualTo(WorkflowPhase.Succeeded);
    // The run can no longer change by itself: no "live" badge any more.
    assertThat(browser.driver.findElements(id("live-badge"))).isEmpty();
    assertThat(browser.pages.script("return window.cairnTestMarker;")).isEqualTo("same page");
  }

  @Test
  void theListFollowsAWorkflowFromRunningToSucceeded() throws Exception {
    Path go = browser.dir.resolve("go");
    RunHandle run =
        browser.ui.start(
            "metadata: {name: waiting}\nspec:\n  tasks:\n"
                + "  - {name: wait, command: [sh, -c, 'while [ ! -f "
                + go
                + " ]; do sleep 0.05; done']}\n");
    browser.driver.get(browser.ui.url().toString());
    By phase =
        By.cssSelector(
            "[data-testid='workflow-row'][data-id='default/waiting'] [data-testid='phase']");
    browser.pages.untilText(phase, "Running");
    browser.pages.script("window.cairnTestMarker = 'same page';");
    Files.createFile(go);
    browser.pages.untilText(phase, "Succeeded");
    assertThat(run.await(Duration.ofSeconds(20)).phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(browser.pages.script("return window.cairnTestMarker;")).isEqualTo("same page");
  }
}
