package dev.cairn.ui.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Takes the screenshots of docs/ui.md, on demand only: {@code mvn -o test -pl ui -am
 * -Dtest=UiScreenshots -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcairn.ui.screenshots=$PWD/docs/ui}.
 */
@EnabledIfSystemProperty(named = "cairn.ui.screenshots", matches = ".+")
class UiScreenshots {
  @TempDir Path dir;

  @Test
  void mainPages() throws Exception {
    Chromium.assumePresent();
    Path out = Path.of(System.getProperty("cairn.ui.screenshots"));
    Files.createDirectories(out);
    try (LocalUi ui = new LocalUi(dir)) {
      assertThat(ui.run(Shapes.pipeline("nightly-etl", false)).phase())
          .isEqualTo(WorkflowPhase.Succeeded);
      assertThat(ui.run(Shapes.pipeline("quota-check", true)).phase())
          .isEqualTo(WorkflowPhase.Failed);
      assertThat(ui.run(Shapes.nested("nested")).phase()).isEqualTo(WorkflowPhase.Succeeded);
      assertThat(ui.run(Shapes.fanOut("fan-10k", 10_000)).phase())
          .isEqualTo(WorkflowPhase.Succeeded);
      ChromeDriver driver = Chromium.start();
      try {
        Pages pages = new Pages(driver, Duration.ofSeconds(30));
        driver.get(ui.url().toString());
        pages.visible(Pages.id("workflow-row"));
        shot(driver, out.resolve("list.png"));

        driver.get(ui.page("default/quota-check"));
        pages.dagReady();
        shot(driver, out.resolve("workflow.png"));

        driver.get(ui.page("default/quota-check") + "?task=check");
        pages.dagReady();
        pages.visible("attempt-error");
        pages.click(Pages.id("task-tab-log"));
        pages.untilText(Pages.id("log-text"), "quota");
        shot(driver, out.resolve("task-log.png"));

        driver.get(ui.page("default/nested") + "?expand=outer");
        pages.dagReady();
        pages.visible(Pages.id("collapse-continuation"));
        Thread.sleep(300);
        shot(driver, out.resolve("continuation.png"));

        driver.get(ui.page("default/fan-10k"));
        pages.dagReady();
        Thread.sleep(300);
        shot(driver, out.resolve("dag-10000.png"));
        String group =
            pages
                .visible(
                    org.openqa.selenium.By.cssSelector("[data-testid='dag'] [data-kind='group']"))
                .getAttribute("data-id");
        pages.clickSvg(Pages.node(group));
        pages.until(Pages.id("dag"), "data-renderer", "canvas");
        pages.dagReady();
        // Zoom in near the block's top left corner, where the cells' labels can be read.
        pages.script(
            "const d = arguments[0]; const r = d.getBoundingClientRect();"
                + "for (let i = 0; i < 5; i++) d.dispatchEvent(new WheelEvent('wheel', {bubbles: true,"
                + " cancelable: true, deltaY: -320, clientX: r.x + r.width * 0.36,"
                + " clientY: r.y + r.height * 0.12}));",
            driver.findElement(Pages.id("dag")));
        Thread.sleep(500);
        shot(driver, out.resolve("dag-10000-expanded.png"));
      } finally {
        driver.quit();
      }
    }
  }

  private static void shot(ChromeDriver driver, Path file) throws Exception {
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
  }
}
