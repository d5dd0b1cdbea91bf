package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn lint}: offline validation, functions on the classpath included. */
class LintTest {
  private static final String ADD = "dev.cairn.examples.Arithmetic#add";
  private static final String GET_VAL = "dev.cairn.examples.Arithmetic#getVal";
  @TempDir Path dir;
  CairnCli cairn;

  @BeforeEach
  void setUp() {
    cairn = new CairnCli(dir.resolve("store"));
  }

  private Path file(String name, String text) throws IOException {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, text);
    return file;
  }

  private Path workflow(String name, String tasksYaml) throws IOException {
    return file(
        name,
        "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: "
            + name
            + "}\nspec:\n"
            + tasksYaml.indent(2));
  }

  private Result lint(Path... files) {
    return cairn.runAsIs(
        Stream.concat(Stream.of("lint"), Stream.of(files).map(Path::toString))
            .toArray(String[]::new));
  }

  private void assertInvalid(Result result, String... lines) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.out().lines()).as(result.toString()).contains(lines);
    assertThat(dir.resolve("store")).as("lint touches no store").doesNotExist();
  }

  @Test
  void aValidFileIsOkWithItsTaskCountAndTouchesNoStore() throws IOException {
    Path file =
        workflow(
            "add",
            "tasks:\n- {name: get_val, function: "
                + GET_VAL
                + "}\n- {name: add, function: "
                + ADD
                + ", args: [{$task: get_val}, 20]}\n");
    Result result = lint(file);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).isEqualTo(file + ": ok (2 tasks)");
    assertThat(dir.resolve("store")).doesNotExist();
  }

  @Test
  void everyExampleIsValid() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("../examples"))) {
      Path[] examples =
          files.filter(f -> f.toString().endsWith(".yaml")).sorted().toArray(Path[]::new);
      assertThat(examples).isNotEmpty();
      Result result = lint(examples);
      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out().lines()).hasSize(examples.length).allMatch(l -> l.contains(": ok ("));
    }
  }

  @Test
  void invalidYamlNamesTheFileAndLine() throws IOException {
    Path file =
        file("broken", "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: \"x\n");
    Result result = lint(file);
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).startsWith(file + ":").contains("invalid YAML");
  }

  @Test
  void aCycleIsShownAsItsPath() throws IOException {
    Path file =
        workflow(
            "loop",
            "tasks:\n- {name: a, command: [echo], dependsOn: [b]}\n- {name: b, command: [echo],"
                + " dependsOn: [a]}\n");
    assertInvalid(lint(file), file + ": spec.tasks: cycle: a -> b -> a");
  }

  @Test
  void anUnknownReferenceNamesTheArgument() throws IOException {
    Path file =
        workflow("ref", "tasks:\n- {name: a, function: " + ADD + ", args: [{$task: nope}, 1]}\n");
    assertInvalid(lint(file), file + ": spec.tasks[0].args[0]: unknown task \"nope\"");
  }

  @Test
  void aMissingFunctionIsFoundOnTheClasspath() throws IOException {
    Path file =
        workflow(
            "missing",
            "tasks:\n- {name: a, function: dev.cairn.examples.Arithmetic#nope}\n- {name: b,"
                + " function: com.example.Gone#run}\n");
    assertInvalid(
        lint(file),
        file
            + ": spec.tasks[0].function: class dev.cairn.examples.Arithmetic has no public static"
            + " method nope",
        file + ": spec.tasks[1].function: class com.example.Gone is not on the classpath");
  }

  @Test
  void anArgumentOfTheWrongTypeNamesTaskParameterTypeAndValue() throws IOException {
    Path file =
        workflow("types", "tasks:\n- {name: total, function: " + ADD + ", args: [ten, 1]}\n");
    Result result = lint(file);
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out())
        .startsWith(
            file
                + ": spec.tasks[0].args[0]: task \"total\": argument 0 (left) of "
                + ADD
                + " takes int, got \"ten\"");
  }

  @Test
  void aNameKubernetesWouldRejectIsRejectedWithTheRule() throws IOException {
    Path file = workflow("my_flow", "tasks:\n- {name: 'a b', command: [echo]}\n");
    Result result = lint(file);
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out().lines())
        .anyMatch(
            l ->
                l.startsWith(file + ": metadata.name: \"my_flow\" is not a valid workflow name")
                    && l.contains("DNS-1123 subdomain"))
        .anyMatch(
            l -> l.startsWith(file + ": spec.tasks[0].name: \"a b\" is not a valid task name"));
  }

  @Test
  void everyFileIsReportedAndOneInvalidFileFailsTheRun() throws IOException {
    Path good = workflow("good", "tasks:\n- {name: a, command: [echo]}\n");
    Path missing = dir.resolve("missing.yaml");
    Result result = lint(good, missing);
    assertInvalid(result, good + ": ok (1 task)", missing + ": no such file");
  }

  @Test
  void extraFunctionsComeFromTheClasspathOption() {
    Result result = cairn.runAsIs("lint", "--classpath", dir.resolve("nope.jar").toString(), "x");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--classpath").contains("does not exist");
  }
}
