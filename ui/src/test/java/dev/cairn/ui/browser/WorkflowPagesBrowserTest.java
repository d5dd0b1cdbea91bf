package dev.cairn.ui.browser;

import static dev.cairn.ui.browser.Pages.id;
import static dev.cairn.ui.browser.Pages.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The list, a workflow's graph and a task's attempts, log and output, in Chromium. */
class WorkflowPagesBrowserTest {
  static final List<String> ALL =
      List.of("default/nightly-etl", "default/quota-check", "default/nested", "default/squares");

  @RegisterExtension static final BrowserUi browser = BrowserUi.readOnly(Duration.ofSeconds(20));

  @BeforeAll
  static void runWorkflows() throws Exception {
    assertThat(browser.ui.run(Shapes.pipeline("nightly-etl", false)).phase())
        .isEqualTo(WorkflowPhase.Succeeded);
    assertThat(browser.ui.run(Shapes.pipeline("quota-check", true)).phase())
        .isEqualTo(WorkflowPhase.Failed);
    assertThat(browser.ui.run(Shapes.nested("nested")).phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(browser.ui.run(Shapes.map("squares", 30)).phase())
        .isEqualTo(WorkflowPhase.Succeeded);
  }

  @Test
  void theListShowsEachWorkflowWithItsPhaseAndProgressAndFiltersByPhaseAndName() {
    browser.driver.get(browser.ui.url().toString());
    browser.pages.visible(id("workflow-row"));
    assertThat(rows()).containsExactlyInAnyOrder(ALL.toArray(String[]::new));
    WebElement failed =
        browser.driver.findElement(
            By.cssSelector("[data-testid='workflow-row'][data-id$='quota-check']"));
    assertThat(failed.findElement(id("phase")).getText()).isEqualTo("Failed");
    assertThat(failed.getText()).contains("5/6").contains("quota exceeded");

    new Select(browser.driver.findElement(id("filter-phase"))).selectByValue("Failed");
    browser.pages.until(
        By.cssSelector("[data-testid='workflow-row']:only-of-type"),
        "data-id",
        "default/quota-check");
    assertThat(rows()).containsExactly("default/quota-check");

    browser.driver.get(browser.ui.url() + "#/?name=nightly");
    browser.pages.until(
        By.cssSelector("[data-testid='workflow-row']:only-of-type"),
        "data-id",
        "default/nightly-etl");
    browser.driver.get(browser.ui.url() + "#/?name=no-such-workflow");
    browser.pages.untilText(id("workflow-table"), "No workflows match these filters");
  }

  @Test
  void theListPagesWithTheContinueTokenAndComesBackToTheFirstPage() {
    browser.driver.get(browser.ui.url() + "#/?limit=3");
    browser.pages.visible(id("workflow-row"));
    List<String> first = rows();
    assertThat(first).hasSize(3);
    browser.pages.click(id("next-page"));
    browser.pages.until(
        By.cssSelector("[data-testid='workflow-row']:only-of-type"), "data-id", missing(first));
    assertThat(browser.driver.getCurrentUrl()).contains("continue=");
    assertThat(browser.driver.findElements(id("next-page"))).as("the last page").isEmpty();
    browser.pages.click(id("first-page"));
    browser.pages.visible(id("next-page"));
    assertThat(rows()).isEqualTo(first);
  }

  private static String missing(List<String> first) {
    return ALL.stream().filter(id -> !first.contains(id)).findFirst().orElseThrow();
  }

  @Test
  void aWorkflowOpensFromTheListWithItsGraphStatesAndOutputTaskMarked() {
    browser.driver.get(browser.ui.url().toString());
    browser.pages.click(By.cssSelector("[data-testid='workflow-row'][data-id$='nightly-etl'] a"));
    browser.pages.dagReady();
    assertThat(browser.driver.findElement(id("workflow-name")).getText()).isEqualTo("nightly-etl");
    assertThat(browser.driver.findElement(id("workflow-phase")).getText()).isEqualTo("Succeeded");
    // An ended run: nothing live to show.
    assertThat(browser.driver.findElements(id("live-badge"))).isEmpty();
    for (String task : List.of("fetch", "clean", "enrich", "score", "report")) {
      assertThat(browser.pages.visible(node(task)).getAttribute("data-state"))
          .isEqualTo("succeeded");
    }
    assertThat(browser.driver.findElement(node("report")).getAttribute("class")).contains("output");
    assertThat(browser.driver.findElement(node("fetch")).getAttribute("class"))
        .doesNotContain("output");
    assertThat(browser.driver.findElement(id("legend")).getText())
        .contains("succeeded")
        .contains("output");
    assertThat(browser.driver.findElements(By.cssSelector("[data-testid='dag'] path.edge")))
        .hasSize(6);
    assertThat(browser.driver.findElements(id("actions")))
        .as("read-only: no action buttons")
        .isEmpty();
  }

  @Test
  void aTasksLogAndPrettyOutputOpenFromTheGraph() {
    browser.driver.get(browser.ui.page("default/nightly-etl"));
    browser.pages.dagReady();
    browser.pages.clickSvg(node("report"));
    browser.pages.until(id("task-panel"), "data-task", "report");
    browser.pages.untilText(id("verdict"), "succeeded");

    browser.pages.click(id("task-tab-log"));
    browser.pages.untilText(id("log-text"), "writing report");

    browser.pages.click(id("task-tab-output"));
    browser.pages.untilText(id("output-text"), "1204");
    String output = browser.driver.findElement(id("output-text")).getText();
    assertThat(output).contains("\"rows\": 1204").contains("\n  \"ok\": true");
    assertThat(browser.driver.findElement(id("output-download")).getAttribute("href"))
        .endsWith("/tasks/report/output?download=1");
  }

  @Test
  void theTimelineShowsOneBarPerAttemptOfARetriedTask() {
    browser.driver.get(browser.ui.page("default/quota-check") + "?tab=timeline");
    browser.pages.visible(id("timeline"));
    By check =
        By.cssSelector(
            "[data-testid='timeline-row'][data-id='check'] [data-testid='timeline-bar']");
    List<WebElement> bars = browser.pages.untilCount(check, 2);
    assertThat(bars).extracting(b -> b.getAttribute("data-attempt")).containsExactly("1", "2");
    assertThat(bars).extracting(b -> b.getAttribute("data-state")).containsOnly("failed");
    // A task run once: one bar, its node's.
    assertThat(
            browser.driver.findElements(
                By.cssSelector(
                    "[data-testid='timeline-row'][data-id='fetch'] [data-testid='timeline-bar']")))
        .hasSize(1);
  }

  @Test
  void aFailedTaskShowsTheErrorOfEachAttemptAndWhyTheWorkflowFailed() {
    browser.driver.get(browser.ui.page("default/quota-check"));
    browser.pages.dagReady();
    assertThat(browser.pages.visible(node("check")).getAttribute("data-state")).isEqualTo("failed");
    assertThat(browser.driver.findElement(id("workflow-message")).getText())
        .contains("quota exceeded");
    browser.pages.clickSvg(node("check"));
    browser.pages.until(id("task-panel"), "data-task", "check");
    browser.pages.visible(id("attempt-error"));
    List<WebElement> errors = browser.driver.findElements(id("attempt-error"));
    assertThat(errors).hasSize(2);
    errors.forEach(e -> assertThat(e.getText()).contains("quota exceeded"));
    assertThat(browser.driver.findElements(id("verdict")))
        .extracting(WebElement::getText)
        .containsExactly("failed", "failed");
    browser.pages.click(id("task-tab-output"));
    browser.pages.untilText(id("output-missing"), "no output");
  }

  @Test
  void aContinuationExpandsIntoItsSubGraphAndCollapsesAgain() {
    browser.driver.get(browser.ui.page("default/nested"));
    browser.pages.dagReady();
    WebElement outer = browser.pages.visible(node("outer"));
    assertThat(outer.getAttribute("data-kind")).isEqualTo("continuation");
    assertThat(outer.getText()).contains("4 succeeded");
    assertThat(
            browser.driver.findElements(By.cssSelector("[data-testid='dag'] [data-id^='outer.']")))
        .isEmpty();

    browser.pages.clickSvg(node("outer"));
    browser.pages.visible(id("collapse-continuation"));
    browser.pages.dagReady();
    for (String part : List.of("outer.part0", "outer.part1", "outer.part2", "outer.join")) {
      assertThat(browser.pages.visible(node(part)).getAttribute("data-state"))
          .isEqualTo("succeeded");
    }
    assertThat(browser.driver.findElement(node("outer.join")).getText()).contains("join");

    browser.pages.clickSvg(id("collapse-continuation"));
    browser.pages.until(id("dag"), "data-nodes", "2");
    assertThat(browser.driver.findElements(id("collapse-continuation"))).isEmpty();
  }

  @Test
  void aMapIsOneNodeThatExpandsIntoItsElementsAndCollapsesAgain() {
    browser.driver.get(browser.ui.page("default/squares"));
    browser.pages.dagReady();
    WebElement map = browser.pages.visible(node("squares"));
    assertThat(map.getAttribute("data-kind")).isEqualTo("map");
    assertThat(map.getText()).contains("squares (30)").contains("30 succeeded");

    browser.pages.clickSvg(node("squares"));
    browser.pages.visible(id("collapse-map"));
    browser.pages.dagReady();
    assertThat(browser.driver.findElement(id("dag")).getAttribute("data-nodes")).isEqualTo("33");
    assertThat(browser.pages.visible(node("squares.29")).getAttribute("data-state"))
        .isEqualTo("succeeded");
    assertThat(browser.driver.findElements(id("block")))
        .as("30 elements tiled as one block")
        .hasSize(1);

    browser.pages.clickSvg(node("squares.7"));
    browser.pages.until(id("task-panel"), "data-task", "squares.7");
    browser.pages.click(id("task-tab-output"));
    browser.pages.untilText(id("output-text"), "49");
    browser.pages.click(id("close-panel"));

    browser.pages.clickSvg(id("collapse-map"));
    browser.pages.until(id("dag"), "data-nodes", "3");
  }

  @Test
  void anUnknownWorkflowSaysSoInsteadOfAnEmptyPage() {
    browser.driver.get(browser.ui.page("default/never-ran"));
    browser.pages.untilText(id("workflow-error"), "never-ran");
  }

  private List<String> rows() {
    return browser.driver.findElements(id("workflow-row")).stream()
        .map(r -> r.getAttribute("data-id"))
        .collect(Collectors.toList());
  }
}
