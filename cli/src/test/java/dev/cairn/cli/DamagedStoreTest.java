package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One damaged record affects only its own workflow, is named with what helps, and is never a dead
 * end: a commit that cannot be used is reported and its task runs again, once, replacing it.
 */
class DamagedStoreTest {
  @TempDir Path dir;
  Path store;
  Path log;
  CairnCli cairn;

  @BeforeEach
  void setUp() {
    store = dir.resolve("store");
    log = dir.resolve("runs.log");
    cairn = new CairnCli(store);
    System.setProperty("cairn.test.log", log.toString());
  }

  @AfterEach
  void tearDown() {
    System.clearProperty("cairn.test.log");
  }

  private Path workflow(String name) {
    return store.resolve("default").resolve(name);
  }

  private Path commitOf(String workflow, String task) throws IOException {
    try (Stream<Path> files = Files.list(workflow(workflow).resolve("commits"))) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(task + "@"))
          .findFirst()
          .orElseThrow();
    }
  }

  @Test
  void aTruncatedRunRecordAffectsOnlyItsWorkflowAndTheNextRunRewritesIt() throws Exception {
    Path chain = Workflows.chain(dir, "chain", 3);
    Path other = Workflows.chain(dir, "other", 2);
    assertThat(cairn.run("run", chain.toString()).out()).isEqualTo("3");
    assertThat(cairn.run("run", other.toString()).out()).isEqualTo("2");
    Path run = workflow("chain").resolve("run.json");
    Files.writeString(run, Files.readString(run).substring(0, 20));
    Files.createDirectories(store.resolve("Not A Workflow!/x"));

    CairnCli.Result list = cairn.run("list");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out()).containsPattern("default/chain\\s+Damaged");
    assertThat(list.out()).containsPattern("default/other\\s+Succeeded");

    for (String verb : List.of("status", "output")) {
      CairnCli.Result result = cairn.run(verb, "chain");
      assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
      assertThat(result.err())
          .contains("damaged record " + run)
          .contains("cairn run FILE --id default/chain")
          .doesNotContain("run the same command again")
          .doesNotContain("\tat ");
    }

    CairnCli.Result again = cairn.run("run", chain.toString());
    assertThat(again.out()).as(again.toString()).isEqualTo("3");
    assertThat(again.err()).contains("the run record of default/chain is damaged");
    assertThat(cairn.run("status", "chain").out()).contains("Succeeded");
    assertThat(Workflows.log(log)).containsExactly("s1", "s2", "s3", "s1", "s2");
  }

  @Test
  void aDamagedSessionClaimKeepsNobodyOut() throws Exception {
    Path chain = Workflows.chain(dir, "chain", 2);
    cairn.run("run", chain.toString());
    Files.writeString(workflow("chain").resolve("sessions/1.json"), "{\"sess");
    CairnCli.Result again = cairn.run("run", chain.toString(), "--rerun", "s2");
    assertThat(again.out()).as(again.toString()).isEqualTo("2");
    assertThat(workflow("chain").resolve("sessions/2.json")).exists();
  }

  @Test
  void aGarbageSpecRecordIsNamed() throws Exception {
    Path chain = Workflows.chain(dir, "chain", 2);
    cairn.run("run", chain.toString());
    Files.writeString(workflow("chain").resolve("workflow.json"), "garbage{");
    // The status still reads (its run record is fine); what needs the spec names the damage.
    CairnCli.Result output = cairn.run("output", "chain", "--task", "s1");
    assertThat(output.exitCode()).as(output.toString()).isEqualTo(1);
    assertThat(output.err()).contains("damaged record").contains("workflow.json");
  }

  @Test
  void anEmptiedOrEditedCommitIsReportedAndItsTaskRunsOnceMore() throws Exception {
    Path chain = Workflows.chain(dir, "chain", 4);
    assertThat(cairn.run("run", chain.toString()).out()).isEqualTo("4");
    Files.writeString(commitOf("chain", "s2"), "{}");
    ObjectNode edited = (ObjectNode) Json.MAPPER.readTree(commitOf("chain", "s3").toFile());
    edited.put("value", 999);
    Files.write(commitOf("chain", "s3"), Json.bytes(edited));
    Path leftover = workflow("chain").resolve("commits/.tmp-leftover");
    Files.writeString(leftover, "half a write");

    CairnCli.Result repaired = cairn.run("run", chain.toString(), "--rerun", "s4");
    assertThat(repaired.out()).as(repaired.toString()).isEqualTo("4");
    assertThat(repaired.err())
        .contains("damaged commit " + commitOf("chain", "s2"))
        .contains("(incomplete): its task runs again")
        .contains("damaged commit " + commitOf("chain", "s3"))
        .contains("does not match its checksum");
    assertThat(leftover).doesNotExist();

    // Replaced for good: the next run re-runs nothing but what it is asked to.
    cairn.run("run", chain.toString(), "--rerun", "s4");
    List<String> runs = Workflows.log(log);
    assertThat(Collections.frequency(runs, "s1")).isEqualTo(1);
    assertThat(Collections.frequency(runs, "s2")).isEqualTo(2);
    assertThat(Collections.frequency(runs, "s3")).isEqualTo(2);
    assertThat(Collections.frequency(runs, "s4")).isEqualTo(3);
  }

  @Test
  void aMissingOrAlteredValueObjectIsNamedAndItsProducerRunsAgain() throws Exception {
    String big = "y".repeat(5000);
    Path file =
        Workflows.write(
            dir,
            "big",
            "output: tail\ntasks:\n- {name: big, function: dev.cairn.cli.testing.TestTasks#echo,"
                + " args: ["
                + big
                + "]}\n- {name: tail, function: dev.cairn.cli.testing.TestTasks#echo,"
                + " args: [{$task: big}]}\n");
    assertThat(cairn.run("run", file.toString()).out()).isEqualTo(big);
    Path objects = workflow("big").resolve("objects");
    Path object;
    try (Stream<Path> files = Files.walk(objects)) {
      object = files.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    Files.writeString(object, "\"" + "z".repeat(5000) + "\"");

    CairnCli.Result output = cairn.run("output", "big");
    assertThat(output.exitCode()).isEqualTo(1);
    assertThat(output.err())
        .contains("does not match its digest and was removed")
        .contains("cairn resume default/big");
    assertThat(object).doesNotExist();

    CairnCli.Result resumed = cairn.run("resume", "big");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.out()).isEqualTo(big);
    assertThat(resumed.err()).contains("its stored value").contains("is missing");
    assertThat(Collections.frequency(Workflows.log(log), "echo:" + big)).isEqualTo(4);
  }

  @Test
  void valuesAreLimitedWhenWrittenAndLargeStringsReadBack() throws Exception {
    Path file =
        Workflows.write(
            dir,
            "sizes",
            "output: huge\ntasks:\n"
                + "- name: fine\n  command:\n  - sh\n  - -c\n  - |\n"
                + "    { printf '\"'; head -c 22020096 /dev/zero | tr '\\000' x; printf '\"'; }"
                + " > \"$CAIRN_OUTPUT\"\n"
                + "- {name: huge, function: dev.cairn.cli.testing.TestTasks#huge, args: [65],"
                + " catchExceptions: true, dependsOn: [fine]}\n");
    CairnCli.Result run = cairn.run("run", file.toString(), "-o", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("OutputTooLarge").contains("over the 64 MiB limit");
    CairnCli.Result fine = cairn.run("output", "sizes", "--task", "fine", "-o", "json");
    assertThat(fine.out().length()).as(fine.err()).isEqualTo((21 << 20) + 2);
    // Nothing over the limit was written.
    try (Stream<Path> files = Files.walk(workflow("sizes"))) {
      assertThat(
              files
                  .filter(Files::isRegularFile)
                  .mapToLong(p -> p.toFile().length())
                  .max()
                  .orElse(0))
          .isLessThan(64L << 20);
    }
  }

  @Test
  void loneSurrogatesSurviveJsonOutput() throws Exception {
    Path file =
        Workflows.write(
            dir,
            "odd",
            "tasks:\n- name: odd\n  command:\n  - sh\n  - -c\n  - |\n"
                + "    printf '%s' '\"a\\ud800b\"' > \"$CAIRN_OUTPUT\"\n");
    CairnCli.Result run = cairn.run("run", file.toString(), "-o", "json");
    assertThat(run.out()).as(run.toString()).isEqualTo("\"a\\uD800b\"");
    assertThat(cairn.run("output", "odd", "-o", "json").out()).isEqualTo("\"a\\uD800b\"");
  }

  @Test
  void aStoreThatCannotBeWrittenFailsAtOnceWithTheReason() throws Exception {
    Path file = Workflows.chain(dir, "chain", 1);
    Path notADirectory = dir.resolve("a-file");
    Files.writeString(notADirectory, "");
    Instant start = Instant.now();
    CairnCli.Result result =
        new CairnCli(notADirectory.resolve("store")).run("run", file.toString());
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(30));
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.err()).contains("storage failed (refused)").contains("a-file");
    assertThat(result.err()).doesNotContain("run the same command again");
  }
}
