package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn run} on a real terminal (a pseudo-terminal from util-linux {@code script}): a live
 * progress line with escape codes, and none at all with {@code TERM=dumb}.
 */
class TerminalTest {
  @TempDir Path dir;

  private String runOnATerminal(String term) throws Exception {
    Path file =
        Workflows.write(
            dir,
            "paced",
            "tasks:\n- {name: pause, command: [sh, -c, 'sleep 1.5; echo 1 > \"$CAIRN_OUTPUT\"']}\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command =
        String.join(
            " ",
            List.of(
                quote(java),
                "-cp",
                quote(System.getProperty("java.class.path")),
                Main.class.getName(),
                "run",
                quote(file.toString()),
                "--store",
                quote(dir.resolve("store-" + term).toString())));
    ProcessBuilder builder =
        new ProcessBuilder("script", "-qec", command, "/dev/null")
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().put("TERM", term);
    Process process;
    try {
      process = builder.start();
    } catch (java.io.IOException noScript) {
      assumeTrue(false, "util-linux script is not installed");
      return null;
    }
    process.getOutputStream().close();
    String screen = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(screen).isZero();
    return screen;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  @Test
  void aTerminalGetsTheLiveLineAndADumbOneNoEscapeCodeAtAll() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script is not installed");
    String live = runOnATerminal("xterm");
    assertThat(live).contains("\033[K").contains("running: pause");
    String dumb = runOnATerminal("dumb");
    assertThat(dumb).doesNotContain("\033").contains("1");
  }
}
