package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input never half-runs: exit code 2, a message naming the problem and its place, no run. */
class InvalidInputTest {
  private static final String ECHO = "dev.cairn.cli.testing.TestTasks#echo";
  @TempDir Path dir;
  CairnCli cairn;

  @BeforeEach
  void setUp() {
    cairn = new CairnCli(dir.resolve("store"));
  }

  private Result runSpec(String tasksYaml) throws IOException {
    return runFile(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: bad}
        spec:
        """
            + tasksYaml.indent(2));
  }

  private Result runFile(String text) throws IOException {
    Path file = dir.resolve("wf.yaml");
    Files.writeString(file, text);
    return cairn.run("run", file.toString());
  }

  private void assertRejected(Result result, String... fragments) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains(fragments);
    assertThat(dir.resolve("store/default/bad")).as("nothing may be stored").doesNotExist();
  }

  @Test
  void invalidYamlNamesTheLine() throws IOException {
    assertRejected(
        runFile(
            "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: \"bad\nspec: {}\n"),
        "invalid YAML",
        "wf.yaml:");
  }

  @Test
  void wrongTypeNamesTheField() throws IOException {
    assertRejected(
        runFile(
            "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: bad}\nspec: [a, b]\n"),
        "spec (",
        "wf.yaml:4): expected an object");
  }

  @Test
  void unknownFieldIsNamedWithItsPath() throws IOException {
    assertRejected(
        runSpec("tasks:\n- name: a\n  function: " + ECHO + "\n  args: [x]\n  retires: 3\n"),
        "spec.tasks[0]",
        "unknown field \"retires\"");
  }

  @Test
  void cycleIsReportedWithItsPath() throws IOException {
    assertRejected(
        runSpec(
            "tasks:\n"
                + "- {name: a, function: "
                + ECHO
                + ", args: [{$task: c}]}\n"
                + "- {name: b, function: "
                + ECHO
                + ", args: [{$task: a}]}\n"
                + "- {name: c, function: "
                + ECHO
                + ", args: [{$task: b}]}\n"),
        "spec.tasks: cycle:",
        "a -> b -> c -> a");
  }

  @Test
  void unknownReferenceNamesTheArgument() throws IOException {
    assertRejected(
        runSpec("tasks:\n- {name: a, function: " + ECHO + ", args: [{nested: [{$task: nope}]}]}\n"),
        "spec.tasks[0].args[0]: unknown task \"nope\"");
  }

  @Test
  void unknownDependsOnAndInputAreNamed() throws IOException {
    assertRejected(
        runSpec(
            "tasks:\n- {name: a, function: "
                + ECHO
                + ", args: [{$input: x}], dependsOn: [ghost]}\n"),
        "spec.tasks[0].args[0]: unknown input \"x\"",
        "spec.tasks[0].dependsOn[0]: unknown task \"ghost\"");
  }

  @Test
  void duplicateNamesAreRejected() throws IOException {
    assertRejected(
        runSpec(
            "tasks:\n- {name: a, function: "
                + ECHO
                + ", args: [x]}\n- {name: a, function: "
                + ECHO
                + ", args: [y]}\n"),
        "spec.tasks[1].name: duplicate name \"a\"");
  }

  @Test
  void bothOrNeitherFunctionAndCommandAreRejected() throws IOException {
    assertRejected(
        runSpec(
            "output: a\ntasks:\n- {name: a, function: "
                + ECHO
                + ", command: [true], args: [x]}\n- {name: b}\n"),
        "spec.tasks[0]: sets both function and command",
        "spec.tasks[1]: needs a function or a command");
  }

  @Test
  void missingClassAndMethodAreNamed() throws IOException {
    assertRejected(
        runSpec(
            "output: a\ntasks:\n- {name: a, function: com.example.Nope#run}\n"
                + "- {name: b, function: dev.cairn.cli.testing.TestTasks#nope}\n"
                + "- {name: c, function: "
                + ECHO
                + ", args: [1, 2]}\n"),
        "spec.tasks[0].function: class com.example.Nope is not on the classpath",
        "spec.tasks[1].function: class dev.cairn.cli.testing.TestTasks has no public static method nope",
        "spec.tasks[2].function: echo takes 1 argument(s) but the task passes 2");
  }

  @Test
  void moreResourcesThanThisMachineAreRejected() throws IOException {
    assertRejected(
        runSpec(
            "tasks:\n- {name: a, function: " + ECHO + ", args: [x], resources: {cpu: \"4096\"}}\n"),
        "spec.tasks[0].resources: needs 4096 CPU");
  }

  @Test
  void badQuantitiesAndDurationsAreNamed() throws IOException {
    assertRejected(
        runSpec(
            "tasks:\n- {name: a, function: "
                + ECHO
                + ", args: [x], timeout: soon, resources: {memory: lots}}\n"),
        "spec.tasks[0].timeout: \"soon\" is not a duration",
        "spec.tasks[0].resources.memory: \"lots\" is not a memory quantity");
  }

  @Test
  void severalSinksWithoutOutputAreAmbiguous() throws IOException {
    assertRejected(
        runSpec(
            "tasks:\n- {name: a, function: "
                + ECHO
                + ", args: [x]}\n- {name: b, function: "
                + ECHO
                + ", args: [y]}\n"),
        "spec.output: several tasks have no dependents [a, b]");
  }

  @Test
  void missingFileAndUnknownInputParameterAreUsageErrors() throws IOException {
    Result missing = cairn.run("run", dir.resolve("absent.yaml").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("absent.yaml: no such file");
    Path file = dir.resolve("ok.yaml");
    Files.writeString(
        file,
        "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: bad}\nspec:\n  tasks:\n  - {name: a, function: "
            + ECHO
            + ", args: [x]}\n");
    Result unknown = cairn.run("run", file.toString(), "-p", "nope=1");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown input \"nope\"");
  }

  @Test
  void unknownDollarKeyIsAnErrorNotData() throws IOException {
    assertRejected(
        runSpec("tasks:\n- {name: a, function: " + ECHO + ", args: [{$task:a}]}\n"),
        "spec.tasks[0].args[0]: unknown directive \"$task:a\"");
  }

  @Test
  void malformedReferencesAreRejectedBeforeAnyTaskRuns() throws IOException {
    Path log = dir.resolve("runs.log");
    System.setProperty("cairn.test.log", log.toString());
    try {
      assertRejected(
          runSpec(
              "output: b\ntasks:\n- {name: a, function: "
                  + ECHO
                  + ", args: [x]}\n"
                  + "- {name: b, command: [cat], dependsOn: [a],"
                  + " args: [{$task: 5}, {$task: null}, {$task: [a]}, {$input: 5},"
                  + " {$task: a, other: 1}]}\n"),
          "spec.tasks[1].args[0]: {$task: NAME} takes a task name, got 5",
          "spec.tasks[1].args[1]: {$task: NAME} takes a task name, got null",
          "spec.tasks[1].args[2]: {$task: NAME} takes a task name, got [\"a\"]",
          "spec.tasks[1].args[3]: {$input: NAME} takes an input name, got 5",
          "spec.tasks[1].args[4]: {$task: ...} must be the only key of its map");
      assertThat(log).as("no task may run").doesNotExist();
    } finally {
      System.clearProperty("cairn.test.log");
    }
  }

  @Test
  void anotherResourceTypeIsRejected() throws IOException {
    assertRejected(
        runFile(
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: bad}\nspec:\n  tasks:\n"
                + "  - {name: a, function: "
                + ECHO
                + ", args: [x]}\n"),
        "apiVersion: expected cairn.dev/v1alpha1, got \"batch/v1\"",
        "kind: expected Workflow, got \"Job\"");
  }

  @Test
  void duplicateKeysAreRejected() throws IOException {
    assertRejected(
        runSpec("tasks:\n- name: a\n  function: " + ECHO + "\n  args: [1]\n  args: [100]\n"),
        "invalid YAML",
        "args");
  }

  @Test
  void emptyTaskAndNullCommandItemAreNamedNotCrashes() throws IOException {
    Result empty =
        runSpec("output: a\ntasks:\n- {name: a, function: " + ECHO + ", args: [x]}\n-\n");
    assertRejected(empty, "spec.tasks[1] (", "): is empty");
    assertThat(empty.err()).doesNotContain("Exception");
    Result nullItem = runSpec("tasks:\n- {name: a, command: [echo, null]}\n");
    assertRejected(nullItem, "spec.tasks[0].command[1]: must be a string, not null");
    assertThat(nullItem.err()).doesNotContain("Exception");
  }

  @Test
  void scalarsAreNeverCoerced() throws IOException {
    String task = "- {name: a, function: " + ECHO + ", args: [x], ";
    assertRejected(
        runSpec("tasks:\n" + task + "maxRetries: 1.5}\n"), "maxRetries", "expected an integer");
    assertRejected(
        runSpec("tasks:\n" + task + "checkpoint: 0}\n"),
        "checkpoint",
        "expected true or false, got 0");
    assertRejected(
        runSpec("tasks:\n" + task + "catchExceptions: 2}\n"),
        "catchExceptions",
        "expected true or false, got 2");
  }

  @Test
  void negativeZeroAndHugeDurationsAndQuantitiesAreRejected() throws IOException {
    String task = "- {name: a, function: " + ECHO + ", args: [x], ";
    assertRejected(
        runSpec("tasks:\n" + task + "timeout: PT-5S}\n"),
        "spec.tasks[0].timeout: \"PT-5S\" is negative");
    assertRejected(
        runSpec("tasks:\n" + task + "timeout: 0s}\n"),
        "spec.tasks[0].timeout: \"0s\" must be more than 0");
    assertRejected(
        runSpec("tasks:\n" + task + "retryDelay: PT-5S}\n"),
        "spec.tasks[0].retryDelay: \"PT-5S\" is negative");
    assertRejected(
        runSpec("tasks:\n" + task + "retryDelay: 100000000000000000000d}\n"),
        "spec.tasks[0].retryDelay: \"100000000000000000000d\" is too large");
    assertRejected(
        runSpec("tasks:\n" + task + "resources: {memory: 16777216Ti}}\n"),
        "spec.tasks[0].resources.memory: \"16777216Ti\" is too large");
    assertRejected(
        runSpec("tasks:\n" + task + "resources: {cpu: \"99999999999999999999\"}}\n"),
        "spec.tasks[0].resources.cpu: \"99999999999999999999\" is too large");
    assertRejected(
        runSpec("tasks:\n" + task + "resources: {custom: {\"bad name!\": \"-1\"}}}\n"),
        "spec.tasks[0].resources.custom.bad name!: \"bad name!\" is not a resource name",
        "spec.tasks[0].resources.custom.bad name!: \"-1\" is not a quantity");
  }

  @Test
  void badIdIsReportedAsTheFlag() throws IOException {
    Path file = dir.resolve("ok.yaml");
    Files.writeString(
        file,
        "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: bad}\nspec:\n  tasks:\n  - {name: a, function: "
            + ECHO
            + ", args: [x]}\n");
    Result result = cairn.run("run", file.toString(), "--id", "Bad_Ns/x");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--id \"Bad_Ns/x\"").doesNotContain("metadata.namespace");
  }
}
