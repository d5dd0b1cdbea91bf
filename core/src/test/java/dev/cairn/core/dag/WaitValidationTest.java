package dev.cairn.core.dag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.Problem;
import dev.cairn.core.spec.WorkflowParser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sleep and waitFor are checked before anything runs, each problem with its place. */
class WaitValidationTest {
  private static WorkflowDefinition compile(String tasks) {
    String yaml = "metadata: {name: w}\nspec:\n" + tasks.indent(2);
    return WorkflowDefinition.compile(
        WorkflowParser.parse(yaml, "w.yaml"), Map.of(), FunctionCatalog.ANY);
  }

  private static List<Problem> problems(String tasks) {
    try {
      compile(tasks);
    } catch (InvalidWorkflowException e) {
      return e.problems();
    }
    throw new AssertionError("expected the workflow to be rejected");
  }

  @Test
  void aSleepTakesADurationOrAnUntilTime() {
    WorkflowDefinition d =
        compile(
            "output: b\ntasks:\n- {name: a, sleep: 1h30m}\n"
                + "- {name: b, sleep: {until: '2026-12-01T09:00:00+01:00'}}\n");
    assertThat(d.dag().task("a").kind()).isEqualTo(TaskKind.WAIT);
    assertThat(d.dag().task("a").waitsFor())
        .isEqualTo(new Wait.Sleep(Duration.ofMinutes(90), null));
    assertThat(d.dag().task("b").waitsFor())
        .isEqualTo(new Wait.Sleep(null, Instant.parse("2026-12-01T08:00:00Z")));
  }

  @Test
  void anInvalidSleepIsRejectedWithItsPlace() {
    assertThat(problems("tasks:\n- {name: a, sleep: soon}\n"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo("spec.tasks[0].sleep");
              assertThat(p.message()).contains("is not a duration");
            });
    assertThat(problems("tasks:\n- {name: a, sleep: {until: tomorrow}}\n"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo("spec.tasks[0].sleep.until");
              assertThat(p.message()).contains("is not an RFC 3339 time");
            });
    assertThat(problems("tasks:\n- {name: a, sleep: {for: 10m}}\n"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("takes a duration"));
    assertThat(problems("tasks:\n- {name: a, sleep: 400d}\n"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("maximum of 365d"));
  }

  @Test
  void aWaitingTaskRunsNothingElse() {
    assertThat(problems("tasks:\n- {name: a, sleep: 1m, function: x.T#f}\n"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo("spec.tasks[0]");
              assertThat(p.message()).contains("sets sleep and function");
            });
    assertThat(problems("tasks:\n- {name: a, sleep: 1m, args: [1], timeout: 5m}\n"))
        .extracting(Problem::location)
        .containsExactlyInAnyOrder("spec.tasks[0].args", "spec.tasks[0].timeout");
    assertThat(problems("tasks:\n- {name: a, waitFor: {signal: go}, forEach: [1, 2]}\n"))
        .extracting(Problem::location)
        .containsExactly("spec.tasks[0].forEach");
    assertThat(
            problems(
                "output: a\ntasks:\n- {name: a, function: x.T#f}\n"
                    + "- {name: z, waitFor: {signal: go}, finally: true}\n"))
        .extracting(Problem::location)
        .contains("spec.tasks[1].finally");
  }

  @Test
  void aSignalNameFitsAnAnnotationAndATimeoutIsADuration() {
    assertThat(problems("tasks:\n- {name: a, waitFor: {signal: 'no spaces'}}\n"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo("spec.tasks[0].waitFor.signal");
              assertThat(p.message()).contains("is not a valid signal name");
            });
    assertThat(problems("tasks:\n- {name: a, waitFor: {signal: ok, timeout: 0s}}\n"))
        .singleElement()
        .satisfies(p -> assertThat(p.location()).isEqualTo("spec.tasks[0].waitFor.timeout"));
    assertThat(problems("tasks:\n- {name: a, waitFor: {timeout: 1h}}\n"))
        .singleElement()
        .satisfies(p -> assertThat(p.location()).isEqualTo("spec.tasks[0].waitFor.signal"));
    WorkflowDefinition d =
        compile("tasks:\n- {name: a, waitFor: {signal: deploy.ok, timeout: 2h}}\n");
    assertThat(d.dag().task("a").waitsFor())
        .isEqualTo(new Wait.Signal("deploy.ok", Duration.ofHours(2)));
  }

  @Test
  void whatAWaitWaitsForIsPartOfItsKey() {
    String a = compile("tasks:\n- {name: a, sleep: 10m}\n").dag().task("a").digest();
    String b = compile("tasks:\n- {name: a, sleep: 20m}\n").dag().task("a").digest();
    String c = compile("tasks:\n- {name: a, waitFor: {signal: s}}\n").dag().task("a").digest();
    String d = compile("tasks:\n- {name: a, waitFor: {signal: t}}\n").dag().task("a").digest();
    assertThat(List.of(a, b, c, d)).doesNotHaveDuplicates();
    String withImage =
        compile("defaults: {image: 'x:1'}\ntasks:\n- {name: a, sleep: 10m}\n")
            .dag()
            .task("a")
            .digest();
    assertThat(withImage).as("a wait runs in no image").isEqualTo(a);
  }
}
