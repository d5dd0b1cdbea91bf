package dev.cairn.ui.browser;

import static dev.cairn.ui.browser.Pages.id;
import static dev.cairn.ui.browser.Pages.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/** The list, a workflow's graph and a task's attempts, log and output, in Chromium. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkflowPagesBrowserTest {
  static final List<String> ALL =
      List.of("default/nightly-etl", "default/quota-check", "default/nested", "default/squares");

  @TempDir static Path dir;
  LocalUi ui;
  ChromeDriver driver;
  Pages pages;

  @BeforeAll
  void start() throws Exception {
    Chromium.assumePresent();
    ui = new LocalUi(dir);
    assertThat(ui.run(Shapes.pipeline("nightly-etl", false)).phase())
        .isEqualTo(WorkflowPhase.Succeeded);
    assertThat(ui.run(Shapes.pipeline("quota-check", true)).phase())
        .isEqualTo(WorkflowPhase.Failed);
    assertThat(ui.run(Shapes.nested("nested")).phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(ui.run(Shapes.map("squares", 30)).phase()).isEqualTo(WorkflowPhase.Succeeded);
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
  void theListShowsEachWorkflowWithItsPhaseAndProgressAndFiltersByPhaseAndName() {
    driver.get(ui.url().toString());
    pages.visible(id("workflow-row"));
    assertThat(rows()).containsExactlyInAnyOrder(ALL.toArray(String[]::new));
    WebElement failed =
        driver.findElement(By.cssSelector("[data-testid='workflow-row'][data-id$='quota-check']"));
    assertThat(failed.findElement(id("phase")).getText()).isEqualTo("Failed");
    assertThat(failed.getText()).contains("5/6").contains("quota exceeded");

    new Select(driver.findElement(id("filter-phase"))).selectByValue("Failed");
    pages.until(
        By.cssSelector("[data-testid='workflow-row']:only-of-type"),
        "data-id",
        "default/quota-check");
    assertThat(rows()).containsExactly("default/quota-check");

    driver.get(ui.url() + "#/?name=nightly");
    pages.until(
        By.cssSelector("[data-testid='workflow-row']:only-of-type"),
        "data-id",
        "default/nightly-etl");
    driver.get(ui.url() + "#/?name=no-such-workflow");
    pages.untilText(id("workflow-table"), "No workflows match these filters");
  }

  @Test
  void theListPagesWithTheContinueTokenAndComesBackToTheFirstPage() {
    driver.get(ui.url() + "#/?limit=3");
    pages.visible(id("workflow-row"));
    List<String> first = rows();
    assertThat(first).hasSize(3);
    pages.click(id("next-page"));
    pages.until(
        By.cssSelector("[data-testid='workflow-row']:only-of-type"), "data-id", missing(first));
    assertThat(driver.getCurrentUrl()).contains("continue=");
    assertThat(driver.findElements(id("next-page"))).as("the last page").isEmpty();
    pages.click(id("first-page"));
    pages.visible(id("next-page"));
    assertThat(rows()).isEqualTo(first);
  }

  private static String missing(List<String> first) {
    return ALL.stream().filter(id -> !first.contains(id)).findFirst().orElseThrow();
  }

  @Test
  void aWorkflowOpensFromTheListWithItsGraphStatesAndOutputTaskMarked() {
    driver.get(ui.url().toString());
    pages.click(By.cssSelector("[data-testid='workflow-row'][data-id$='nightly-etl'] a"));
    pages.dagReady();
    assertThat(driver.findElement(id("workflow-name")).getText()).isEqualTo("nightly-etl");
    assertThat(driver.findElement(id("workflow-phase")).getText()).isEqualTo("Succeeded");
    // An ended run: nothing live to show.
    assertThat(driver.findElements(id("live-badge"))).isEmpty();
    for (String task : List.of("fetch", "clean", "enrich", "score", "report")) {
      assertThat(pages.visible(node(task)).getAttribute("data-state")).isEqualTo("succeeded");
    }
    assertThat(driver.findElement(node("report")).getAttribute("class")).contains("output");
    assertThat(driver.findElement(node("fetch")).getAttribute("class")).doesNotContain("output");
    assertThat(driver.findElement(id("legend")).getText()).contains("succeeded").contains("output");
    assertThat(driver.findElements(By.cssSelector("[data-testid='dag'] path.edge"))).hasSize(6);
    assertThat(driver.findElements(id("actions"))).as("read-only: no action buttons").isEmpty();
  }

  @Test
  void aTasksLogAndPrettyOutputOpenFromTheGraph() {
    driver.get(ui.page("default/nightly-etl"));
    pages.dagReady();
    pages.clickSvg(node("report"));
    pages.until(id("task-panel"), "data-task", "report");
    pages.untilText(id("verdict"), "succeeded");

    pages.click(id("task-tab-log"));
    pages.untilText(id("log-text"), "writing report");

    pages.click(id("task-tab-output"));
    pages.untilText(id("output-text"), "1204");
    String output = driver.findElement(id("output-text")).getText();
    assertThat(output).contains("\"rows\": 1204").contains("\n  \"ok\": true");
    assertThat(driver.findElement(id("output-download")).getAttribute("href"))
        .endsWith("/tasks/report/output?download=1");
  }

  @Test
  void theTimelineShowsOneBarPerAttemptOfARetriedTask() {
    driver.get(ui.page("default/quota-check") + "?tab=timeline");
    pages.visible(id("timeline"));
    By check =
        By.cssSelector(
            "[data-testid='timeline-row'][data-id='check'] [data-testid='timeline-bar']");
    List<WebElement> bars = pages.untilCount(check, 2);
    assertThat(bars).extracting(b -> b.getAttribute("data-attempt")).containsExactly("1", "2");
    assertThat(bars).extracting(b -> b.getAttribute("data-state")).containsOnly("failed");
    // A task run once: one bar, its node's.
    assertThat(
            driver.findElements(
                By.cssSelector(
                    "[data-testid='timeline-row'][data-id='fetch'] [data-testid='timeline-bar']")))
        .hasSize(1);
  }

  @Test
  void aFailedTaskShowsTheErrorOfEachAttemptAndWhyTheWorkflowFailed() {
    driver.get(ui.page("default/quota-check"));
    pages.dagReady();
    assertThat(pages.visible(node("check")).getAttribute("data-state")).isEqualTo("failed");
    assertThat(driver.findElement(id("workflow-message")).getText()).contains("quota exceeded");
    pages.clickSvg(node("check"));
    pages.until(id("task-panel"), "data-task", "check");
    pages.visible(id("attempt-error"));
    List<WebElement> errors = driver.findElements(id("attempt-error"));
    assertThat(errors).hasSize(2);
    errors.forEach(e -> assertThat(e.getText()).contains("quota exceeded"));
    assertThat(driver.findElements(id("verdict")))
        .extracting(WebElement::getText)
        .containsExactly("failed", "failed");
    pages.click(id("task-tab-output"));
    pages.untilText(id("output-missing"), "no output");
  }

  @Test
  void aContinuationExpandsIntoItsSubGraphAndCollapsesAgain() {
    driver.get(ui.page("default/nested"));
    pages.dagReady();
    WebElement outer = pages.visible(node("outer"));
    assertThat(outer.getAttribute("data-kind")).isEqualTo("continuation");
    assertThat(outer.getText()).contains("4 succeeded");
    assertThat(driver.findElements(By.cssSelector("[data-testid='dag'] [data-id^='outer.']")))
        .isEmpty();

    pages.clickSvg(node("outer"));
    pages.visible(id("collapse-continuation"));
    pages.dagReady();
    for (String part : List.of("outer.part0", "outer.part1", "outer.part2", "outer.join")) {
      assertThat(pages.visible(node(part)).getAttribute("data-state")).isEqualTo("succeeded");
    }
    assertThat(driver.findElement(node("outer.join")).getText()).contains("join");

    pages.clickSvg(id("collapse-continuation"));
    pages.until(id("dag"), "data-nodes", "2");
    assertThat(driver.findElements(id("collapse-continuation"))).isEmpty();
  }

  @Test
  void aMapIsOneNodeThatExpandsIntoItsElementsAndCollapsesAgain() {
    driver.get(ui.page("default/squares"));
    pages.dagReady();
    WebElement map = pages.visible(node("squares"));
    assertThat(map.getAttribute("data-kind")).isEqualTo("map");
    assertThat(map.getText()).contains("squares (30)").contains("30 succeeded");

    pages.clickSvg(node("squares"));
    pages.visible(id("collapse-map"));
    pages.dagReady();
    assertThat(driver.findElement(id("dag")).getAttribute("data-nodes")).isEqualTo("33");
    assertThat(pages.visible(node("squares.29")).getAttribute("data-state")).isEqualTo("succeeded");
    assertThat(driver.findElements(id("block"))).as("30 elements tiled as one block").hasSize(1);

    pages.clickSvg(node("squares.7"));
    pages.until(id("task-panel"), "data-task", "squares.7");
    pages.click(id("task-tab-output"));
    pages.untilText(id("output-text"), "49");
    pages.click(id("close-panel"));

    pages.clickSvg(id("collapse-map"));
    pages.until(id("dag"), "data-nodes", "3");
  }

  @Test
  void anUnknownWorkflowSaysSoInsteadOfAnEmptyPage() {
    driver.get(ui.page("default/never-ran"));
    pages.untilText(id("workflow-error"), "never-ran");
  }

  private List<String> rows() {
    return driver.findElements(id("workflow-row")).stream()
        .map(r -> r.getAttribute("data-id"))
        .collect(Collectors.toList());
  }
}
