package dev.cairn.ui.browser;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serves the UI over a store of sample runs for a person to look at, on demand only: {@code mvn -o
 * test -pl ui -am -Dtest=UiDemo -Dsurefire.failIfNoSpecifiedTests=false -Dcairn.ui.demo=SECONDS};
 * the address is printed.
 */
@EnabledIfSystemProperty(named = "cairn.ui.demo", matches = "\\d+")
class UiDemo {
  @TempDir Path dir;

  @Test
  void serve() throws Exception {
    try (LocalUi ui = new LocalUi(dir)) {
      System.out.println("UI at " + ui.url());
      ui.run(Shapes.pipeline("nightly-etl", false));
      ui.run(Shapes.pipeline("quota-check", true));
      ui.run(Shapes.nested("nested"));
      ui.run(Shapes.fanOut("fan-10k", 10_000));
      System.out.println("samples ready at " + ui.url());
      Thread.sleep(Long.parseLong(System.getProperty("cairn.ui.demo")) * 1000);
    }
  }
}
