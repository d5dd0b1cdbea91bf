package dev.cairn.ui.browser;

import static dev.cairn.ui.browser.Pages.id;
import static dev.cairn.ui.browser.Pages.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * A 10,000-task fan-out: one group node by default, all its tasks on demand, and back; a
 * 10,000-task chain: one chain node.
 */
class LargeDagBrowserTest {
  @TempDir Path dir;
  LocalUi ui;
  ChromeDriver driver;
  Pages pages;

  @BeforeEach
  void start() {
    Chromium.assumePresent();
    ui = new LocalUi(dir);
    driver = Chromium.start();
    pages = new Pages(driver, Duration.ofSeconds(30));
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
  void aTenThousandTaskGraphLoadsAsOneGroupThatExpandsAndCollapses() throws Exception {
    assertThat(ui.run(Shapes.fanOut("fan-10k", 10_000)).phase()).isEqualTo(WorkflowPhase.Succeeded);

    driver.get(ui.page("default/fan-10k"));
    WebElement dag = pages.dagReady();
    assertThat(dag.getAttribute("data-nodes")).isEqualTo("3");
    assertThat(dag.getAttribute("data-renderer")).isEqualTo("svg");
    WebElement group = pages.visible(By.cssSelector("[data-testid='dag'] [data-kind='group']"));
    assertThat(group.getText()).contains("w* (10000)").contains("10,000 succeeded");
    String groupId = group.getAttribute("data-id");

    pages.clickSvg(By.cssSelector("[data-testid='dag'] [data-id='" + groupId + "']"));
    pages.until(id("dag"), "data-nodes", "10002");
    pages.dagReady();
    dag = driver.findElement(id("dag"));
    assertThat(dag.getAttribute("data-renderer")).isEqualTo("canvas");
    assertThat(driver.getCurrentUrl()).contains("expand=group");
    assertThat(pages.visible(id("expanded-chip")).getText()).contains("w*");
    // A click on the canvas finds the task under the pointer in the block's grid.
    new Actions(driver).moveToElement(driver.findElement(id("dag-canvas"))).click().perform();
    WebElement panel = pages.visible(id("task-panel"));
    assertThat(panel.getAttribute("data-task")).matches("w\\d+");
    pages.untilText(id("task-state"), "succeeded");
    pages.click(id("close-panel"));

    pages.click(id("expanded-chip"));
    pages.until(id("dag"), "data-nodes", "3");
    pages.dagReady();
    assertThat(driver.findElement(id("dag")).getAttribute("data-renderer")).isEqualTo("svg");
    assertThat(driver.findElements(id("expanded-chip"))).isEmpty();
    pages.visible(By.cssSelector("[data-testid='dag'] [data-id='" + groupId + "']"));
  }

  @Test
  void aTenThousandTaskChainLoadsAsOneChainNodeThatOpensInPieces() throws Exception {
    assertThat(ui.run(Shapes.chain("chain-10k", 10_000)).phase())
        .isEqualTo(WorkflowPhase.Succeeded);

    driver.get(ui.page("default/chain-10k"));
    WebElement dag = pages.dagReady();
    assertThat(dag.getAttribute("data-nodes")).isEqualTo("3");
    assertThat(driver.findElements(id("dag-error"))).isEmpty();
    WebElement chain = pages.visible(By.cssSelector("[data-testid='dag'] [data-kind='chain']"));
    assertThat(chain.getText()).contains("t1 … t9998 (9998)").contains("9,998 succeeded");
    String chainId = chain.getAttribute("data-id");
    pages.visible(By.cssSelector("[data-testid='dag'] [data-id='t0']"));
    pages.visible(By.cssSelector("[data-testid='dag'] [data-id='t9999']"));

    // Opened, its 9,998 tasks (too deep for dagre in a row) are 100 chains, each opened alike.
    pages.clickSvg(By.cssSelector("[data-testid='dag'] [data-id='" + chainId + "']"));
    pages.until(id("dag"), "data-nodes", "102");
    pages.dagReady();
    assertThat(driver.findElements(id("dag-error"))).isEmpty();
    assertThat(pages.visible(id("expanded-chip")).getText()).contains("t1 … t9998 (9998)");
    // 102 nodes in a row are drawn small: the pieces are found, not seen.
    pages.clickSvgPresent(By.cssSelector("[data-testid='dag'] [data-id='" + chainId + ":50']"));
    pages.until(id("dag"), "data-nodes", "201");
    pages.dagReady();
    assertThat(driver.findElement(node("t5050")).getAttribute("data-state")).isEqualTo("succeeded");
    assertThat(driver.findElements(id("expanded-chip")))
        .extracting(WebElement::getText)
        .containsExactly("t1 … t9998 (9998) ✕", "t5001 … t5100 (100) ✕");
    driver.findElements(id("expanded-chip")).get(1).click(); // the piece's chip
    pages.until(id("dag"), "data-nodes", "102");
    pages.dagReady();

    pages.click(id("expanded-chip"));
    pages.until(id("dag"), "data-nodes", "3");
    pages.dagReady();
    assertThat(driver.findElements(id("dag-error"))).isEmpty();
  }
}
