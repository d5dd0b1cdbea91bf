package dev.cairn.ui.browser;

import static dev.cairn.ui.browser.Pages.id;
import static dev.cairn.ui.browser.Pages.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.WorkflowClient.RunHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/** A page open while a run proceeds follows it without reloading. */
class LiveUpdatesBrowserTest {
  @TempDir Path dir;
  LocalUi ui;
  ChromeDriver driver;
  Pages pages;

  @BeforeEach
  void start() {
    Chromium.assumePresent();
    ui = new LocalUi(dir);
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
  void aTaskGoesFromPendingToRunningToSucceededOnTheOpenPage() throws Exception {
    Path gate = dir.resolve("gate-open");
    Path done = dir.resolve("work-done");
    // Each command waits for a file the test creates, so the test decides when each step ends.
    RunHandle run =
        ui.start(
            "metadata: {name: gated}\nspec:\n  tasks:\n"
                + "  - {name: gate, command: [sh, -c, 'while [ ! -f "
                + gate
                + " ]; do sleep 0.05; done']}\n"
                + "  - {name: work, dependsOn: [gate], command: [sh, -c, 'echo working; while [ !"
                + " -f "
                + done
                + " ]; do sleep 0.05; done; echo finished']}\n");

    driver.get(ui.page(run.workflowId()));
    pages.dagReady();
    pages.until(node("gate"), "data-state", "running");
    assertThat(driver.findElement(node("work")).getAttribute("data-state")).isEqualTo("pending");
    assertThat(driver.findElement(id("workflow-phase")).getText()).isEqualTo("Running");
    pages.untilText(id("live-badge"), "live");
    // Set on this document: still there at the end only if the page never reloaded.
    pages.script("window.cairnTestMarker = 'same page';");

    Files.createFile(gate);
    pages.until(node("gate"), "data-state", "succeeded");
    pages.until(node("work"), "data-state", "running");
    pages.untilText(node("work"), "running ·");
    // The running task's log, which grows while the panel is open.
    pages.clickSvg(node("work"));
    pages.click(id("task-tab-log"));
    pages.untilText(id("log-text"), "working");

    Files.createFile(done);
    pages.until(node("work"), "data-state", "succeeded");
    pages.untilText(id("log-text"), "finished");
    pages.untilText(id("task-state"), "succeeded");
    pages.untilText(id("workflow-phase"), "Succeeded");
    assertThat(run.await(Duration.ofSeconds(20)).phase()).isEqualTo(WorkflowPhase.Succeeded);
    // The run can no longer change by itself: no "live" badge any more.
    assertThat(driver.findElements(id("live-badge"))).isEmpty();
    assertThat(pages.script("return window.cairnTestMarker;")).isEqualTo("same page");
  }

  @Test
  void theListFollowsAWorkflowFromRunningToSucceeded() throws Exception {
    Path go = dir.resolve("go");
    RunHandle run =
        ui.start(
            "metadata: {name: waiting}\nspec:\n  tasks:\n"
                + "  - {name: wait, command: [sh, -c, 'while [ ! -f "
                + go
                + " ]; do sleep 0.05; done']}\n");
    driver.get(ui.url().toString());
    By phase =
        By.cssSelector(
            "[data-testid='workflow-row'][data-id='default/waiting'] [data-testid='phase']");
    pages.untilText(phase, "Running");
    pages.script("window.cairnTestMarker = 'same page';");
    Files.createFile(go);
    pages.untilText(phase, "Succeeded");
    assertThat(run.await(Duration.ofSeconds(20)).phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(pages.script("return window.cairnTestMarker;")).isEqualTo("same page");
  }
}
