package dev.cairn.ui.browser;

import static dev.cairn.ui.browser.Pages.id;
import static dev.cairn.ui.browser.Pages.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * A 10,000-task fan-out: one group node by default, all its tasks on demand, and back; a
 * 10,000-task chain: one chain node.
 */
class LargeDagBrowserTest {
  @RegisterExtension final BrowserUi browser = BrowserUi.readOnly(Duration.ofSeconds(30));

  @Test
  void aTenThousandTaskGraphLoadsAsOneGroupThatExpandsAndCollapses() throws Exception {
    assertThat(browser.ui.run(Shapes.fanOut("fan-10k", 10_000)).phase())
        .isEqualTo(WorkflowPhase.Succeeded);

    browser.driver.get(browser.ui.page("default/fan-10k"));
    WebElement dag = browser.pages.dagReady();
    assertThat(dag.getAttribute("data-nodes")).isEqualTo("3");
    assertThat(dag.getAttribute("data-renderer")).isEqualTo("svg");
    WebElement group =
        browser.pages.visible(By.cssSelector("[data-testid='dag'] [data-kind='group']"));
    assertThat(group.getText()).contains("w* (10000)").contains("10,000 succeeded");
    String groupId = group.getAttribute("data-id");

    browser.pages.clickSvg(By.cssSelector("[data-testid='dag'] [data-id='" + groupId + "']"));
    browser.pages.until(id("dag"), "data-nodes", "10002");
    browser.pages.dagReady();
    dag = browser.driver.findElement(id("dag"));
    assertThat(dag.getAttribute("data-renderer")).isEqualTo("canvas");
    assertThat(browser.driver.getCurrentUrl()).contains("expand=group");
    assertThat(browser.pages.visible(id("expanded-chip")).getText()).contains("w*");
    // A click on the canvas finds the task under the pointer in the block's grid.
    new Actions(browser.driver)
        .moveToElement(browser.driver.findElement(id("dag-canvas")))
        .click()
        .perform();
    WebElement panel = browser.pages.visible(id("task-panel"));
    assertThat(panel.getAttribute("data-task")).matches("w\\d+");
    browser.pages.untilText(id("task-state"), "succeeded");
    browser.pages.click(id("close-panel"));

    browser.pages.click(id("expanded-chip"));
    browser.pages.until(id("dag"), "data-nodes", "3");
    browser.pages.dagReady();
    assertThat(browser.driver.findElement(id("dag")).getAttribute("data-renderer"))
        .isEqualTo("svg");
    assertThat(browser.driver.findElements(id("expanded-chip"))).isEmpty();
    browser.pages.visible(By.cssSelector("[data-testid='dag'] [data-id='" + groupId + "']"));
  }

  @Test
  void aTenThousandTaskChainLoadsAsOneChainNodeThatOpensInPieces() throws Exception {
    assertThat(browser.ui.run(Shapes.chain("chain-10k", 10_000)).phase())
        .isEqualTo(WorkflowPhase.Succeeded);

    browser.driver.get(browser.ui.page("default/chain-10k"));
    WebElement dag = browser.pages.dagReady();
    assertThat(dag.getAttribute("data-nodes")).isEqualTo("3");
    assertThat(browser.driver.findElements(id("dag-error"))).isEmpty();
    WebElement chain =
        browser.pages.visible(By.cssSelector("[data-testid='dag'] [data-kind='chain']"));
    assertThat(chain.getText()).contains("t1 … t9998 (9998)").contains("9,998 succeeded");
    String chainId = chain.getAttribute("data-id");
    browser.pages.visible(By.cssSelector("[data-testid='dag'] [data-id='t0']"));
    browser.pages.visible(By.cssSelector("[data-testid='dag'] [data-id='t9999']"));

    // Opened, its 9,998 tasks (too deep for dagre in a row) are 100 chains, each opened alike.
    browser.pages.clickSvg(By.cssSelector("[data-testid='dag'] [data-id='" + chainId + "']"));
    browser.pages.until(id("dag"), "data-nodes", "102");
    browser.pages.dagReady();
    assertThat(browser.driver.findElements(id("dag-error"))).isEmpty();
    assertThat(browser.pages.visible(id("expanded-chip")).getText()).contains("t1 … t9998 (9998)");
    // 102 nodes in a row are drawn small: the pieces are found, not seen.
    browser.pages.clickSvgPresent(
        By.cssSelector("[data-testid='dag'] [data-id='" + chainId + ":50']"));
    browser.pages.until(id("dag"), "data-nodes", "201");
    browser.pages.dagReady();
    assertThat(browser.driver.findElement(node("t5050")).getAttribute("data-state"))
        .isEqualTo("succeeded");
    assertThat(browser.driver.findElements(id("expanded-chip")))
        .extracting(WebElement::getText)
        .containsExactly("t1 … t9998 (9998) ✕", "t5001 … t5100 (100) ✕");
    browser.driver.findElements(id("expanded-chip")).get(1).click(); // the piece's chip
    browser.pages.until(id("dag"), "data-nodes", "102");
    browser.pages.dagReady();

    browser.pages.click(id("expanded-chip"));
    browser.pages.until(id("dag"), "data-nodes", "3");
    browser.pages.dagReady();
    assertThat(browser.driver.findElements(id("dag-error"))).isEmpty();
  }
}
