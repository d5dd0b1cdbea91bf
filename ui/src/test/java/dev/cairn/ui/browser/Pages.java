package dev.cairn.ui.browser;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** How the tests find things on the pages: by their data-testid. */
final class Pages {
  private final WebDriver driver;
  private final Duration timeout;

  Pages(WebDriver driver, Duration timeout) {
    this.driver = driver;
    this.timeout = timeout;
  }

  private WebDriverWait waiting(String what) {
    WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
    wait.withMessage(what + " (page " + driver.getCurrentUrl() + ")");
    return wait;
  }

  static By id(String testId) {
    return By.cssSelector("[data-testid='" + testId + "']");
  }

  static By node(String nodeId) {
    return By.cssSelector("[data-testid='dag'] [data-id='" + nodeId + "']");
  }

  WebElement visible(By by) {
    return waiting(by + " never became visible")
        .until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  WebElement visible(String testId) {
    return visible(id(testId));
  }

  void until(By by, String attribute, String value) {
    waiting(by + " never had " + attribute + "=" + value)
        .until(ExpectedConditions.attributeToBe(by, attribute, value));
  }

  /** Waits until {@code by} finds {@code count} elements. */
  List<WebElement> untilCount(By by, int count) {
    return waiting(by + " never found " + count)
        .until(ExpectedConditions.numberOfElementsToBe(by, count));
  }

  void untilText(By by, String text) {
    waiting(by + " never showed " + text)
        .until(ExpectedConditions.textToBePresentInElementLocated(by, text));
  }

  /** Waits for the graph to be laid out and drawn. */
  WebElement dagReady() {
    until(id("dag"), "data-ready", "true");
    return driver.findElement(id("dag"));
  }

  void click(By by) {
    waiting(by + " never became clickable")
        .until(ExpectedConditions.elementToBeClickable(by))
        .click();
  }

  /**
   * Clicks an SVG element through a DOM event: SVG shapes are not always "clickable" to Selenium.
   */
  void clickSvg(By by) {
    clickSvg(visible(by));
  }

  /** Clicks an SVG element that is there, however small the graph's zoom draws it. */
  void clickSvgPresent(By by) {
    clickSvg(untilCount(by, 1).get(0));
  }

  private void clickSvg(WebElement e) {
    ((JavascriptExecutor) driver)
        .executeScript(
            "const e = arguments[0]; const r = e.getBoundingClientRect();"
                + "const o = {bubbles: true, clientX: r.x + r.width / 2, clientY: r.y + r.height / 2,"
                + " button: 0, pointerId: 1};"
                + "e.dispatchEvent(new PointerEvent('pointerdown', o));"
                + "e.dispatchEvent(new PointerEvent('pointerup', o));",
            e);
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }
}
