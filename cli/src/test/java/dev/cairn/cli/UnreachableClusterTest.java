package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster verbs with no reachable cluster fail within seconds, in one line naming the server. */
class UnreachableClusterTest {
  @TempDir Path dir;

  @BeforeEach
  void pointAtNothing() {
    // Port 1 on the loopback: nothing listens, the connection is refused at once.
    System.setProperty("kubernetes.master", "https://127.0.0.1:1");
    System.setProperty("kubernetes.auth.tryKubeConfig", "false");
    System.setProperty("kubernetes.namespace", "default");
  }

  @AfterEach
  void clear() {
    System.clearProperty("kubernetes.master");
    System.clearProperty("kubernetes.auth.tryKubeConfig");
    System.clearProperty("kubernetes.namespace");
  }

  @Test
  void everyClusterVerbFailsFastWithOneLineAndTheUnavailableExitCode() {
    CairnCli cairn = new CairnCli(dir.resolve("store"));
    for (String[] args :
        new String[][] {
          {"get", "x"},
          {"list", "--cluster"},
          {"suspend", "x"},
          {"logs", "x", "--task", "a", "--cluster"},
          {"submit", ExamplesTest.example("getting-started.yaml")}
        }) {
      long start = System.nanoTime();
      Result result = cairn.runAsIs(args);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result).isEqualTo(3);
      assertThat(result.err().lines()).as(result.err()).hasSize(1);
      assertThat(result.err()).startsWith("error: cannot reach cluster https://127.0.0.1:1/");
      assertThat(result.err()).doesNotContain("\tat ").doesNotContain("Exception");
      assertThat(millis).as(String.join(" ", args)).isLessThan(5_000);
    }
  }
}
