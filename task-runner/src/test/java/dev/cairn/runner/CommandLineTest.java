package dev.cairn.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.task.TaskEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's command line, in this JVM: options as {@code --name value} or {@code --name=value},
 * defaults from the pod's variables, and every malformed call a misconfigured container (exit 3,
 * with the reason and the usage on stderr).
 */
class CommandLineTest {
  @TempDir Path temp;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureStderr() {
    originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    PodEnvironment.use(System.getenv());
  }

  @Test
  void optionsTakeTheirValueAfterAnEqualsSignOrAsTheNextArgument() throws Exception {
    PodEnvironment.use(pod(temp.resolve("a")));
    assertThat(Main.execute("fetch", "--store=" + temp.resolve("store"))).isZero();
    assertThat(temp.resolve("a/input.json")).hasContent("[1]");

    PodEnvironment.use(pod(temp.resolve("b")));
    assertThat(Main.execute("fetch", "--store", temp.resolve("store").toString())).isZero();
    assertThat(temp.resolve("b/input.json")).hasContent("[1]");
  }

  @Test
  void theStoreComesFromThePodsVariablesWhenNoOptionNamesIt() throws Exception {
    Map<String, String> env = pod(temp.resolve("c"));
    env.put(PodEnvironment.STORE, temp.resolve("store").toString());
    PodEnvironment.use(env);
    assertThat(Main.execute("fetch")).isZero();
    assertThat(temp.resolve("c/input.json")).hasContent("[1]");
  }

  @Test
  void aMalformedCallIsAMisconfiguredContainer() {
    assertMisconfigured("no mode given");
    assertMisconfigured("unknown mode 'fetchh'", "fetchh");
    assertMisconfigured("unknown option '--bogus' for fetch", "fetch", "--bogus");
    assertMisconfigured("unexpected argument 'extra' for upload", "upload", "extra");
    assertMisconfigured("option --store needs a value", "fetch", "--store");
    assertMisconfigured("option --now takes no value", "upload", "--now=yes");
    assertMisconfigured("option --store is given twice", "fetch", "--store", "a", "--store=b");
    assertMisconfigured("missing required option --function for run", "run");
    assertMisconfigured(
        "invalid store retry limit 'soon'", "upload", "--now", "--store-retry-limit", "soon");
  }

  @Test
  void helpAndVersionAreNotFailures() {
    assertThat(Main.execute("--help")).isZero();
    assertThat(Main.execute("upload", "--help")).isZero();
    assertThat(Main.execute("--version")).isZero();
  }

  private void assertMisconfigured(String reason, String... args) {
    err.reset();
    assertThat(Main.execute(args)).as(String.join(" ", args)).isEqualTo(ExitCodes.INFRASTRUCTURE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("task-runner: " + reason)
        .contains("Usage: task-runner MODE");
  }

  /** A source task's pod: literal arguments, so its fetch needs only a store's name. */
  private static Map<String, String> pod(Path volume) {
    Map<String, String> env = new HashMap<>();
    env.put(TaskEnvironment.WORKFLOW, "cli/args");
    env.put(TaskEnvironment.TASK, "t");
    env.put(PodEnvironment.DIGEST, "0123456789abcdef");
    env.put(TaskEnvironment.ATTEMPT, "1");
    env.put(PodEnvironment.SESSION, "1");
    env.put(PodEnvironment.ATTEMPT_SPEC, "{\"args\":[1]}");
    env.put(TaskEnvironment.INPUT, volume.resolve("input.json").toString());
    env.put(TaskEnvironment.OUTPUT, volume.resolve("output.json").toString());
    env.put(TaskEnvironment.ARTIFACTS, volume.resolve("artifacts").toString());
    env.put(TaskEnvironment.ARTIFACTS_IN, volume.resolve("artifacts-in").toString());
    return env;
  }
}
