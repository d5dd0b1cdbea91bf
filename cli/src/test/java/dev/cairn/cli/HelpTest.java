package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** Help works everywhere, on stdout with exit 0; a usage error is one line and a hint, exit 2. */
class HelpTest {
  private static final List<String> VERBS =
      List.of(
          "run", "resume", "output", "status", "list", "cancel", "delete", "plot", "logs", "submit",
          "get", "suspend", "signal", "ui");

  @TempDir Path dir;

  private Result cairn(String... args) {
    return new CairnCli(dir.resolve("store")).runAsIs(args);
  }

  @Test
  void topLevelHelpInEveryFormListsEveryVerb() {
    for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}, {}}) {
      Result help = cairn(args);
      assertThat(help.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(help.err()).isEmpty();
      assertThat(help.out()).startsWith("Usage: cairn");
      for (String verb : VERBS) {
        assertThat(help.out()).contains("  " + verb + " ");
      }
    }
  }

  @Test
  void everyVerbHasHelpOnStdoutWithExitZeroEvenWithoutItsRequiredArguments() {
    for (String verb : VERBS) {
      for (Result help : List.of(cairn(verb, "--help"), cairn(verb, "-h"), cairn("help", verb))) {
        assertThat(help.exitCode()).as(verb + ": " + help).isZero();
        assertThat(help.err()).as(verb).isEmpty();
        assertThat(help.out()).as(verb).startsWith("Usage: cairn " + verb);
      }
    }
  }

  @Test
  void everyOptionAndParameterHasADescription() {
    CommandSpec root = new CommandLine(new Main()).getCommandSpec();
    for (CommandLine sub : root.subcommands().values()) {
      for (ArgSpec arg : sub.getCommandSpec().args()) {
        assertThat(String.join("", arg.description()))
            .as(sub.getCommandName() + " " + arg)
            .isNotBlank();
      }
    }
  }

  @Test
  void theVersionIsTheProjectsFromTheBuild() {
    Result version = cairn("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).matches("cairn \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(version.out())
        .isEqualTo("cairn " + System.getProperty("cairn.version", "0.1.0-SNAPSHOT"));
  }

  @Test
  void everyVerbSaysTheVersionToo() {
    for (String verb : VERBS) {
      Result version = cairn(verb, "--version");
      assertThat(version.exitCode()).as(verb).isZero();
      assertThat(version.out()).as(verb).startsWith("cairn ");
    }
  }

  @Test
  void aUsageErrorIsOneLineAndAHintWithExitTwo() {
    Result missing = cairn("run");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err().lines())
        .containsExactly(
            "error: Missing required parameter: 'FILE'", "Try `cairn run --help` for the usage.");
    Result unknown = cairn("list", "--bogus");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err().lines()).hasSize(2).last().asString().contains("cairn list --help");
    Result verb = cairn("frobnicate");
    assertThat(verb.exitCode()).isEqualTo(2);
    assertThat(verb.err()).contains("frobnicate").contains("cairn --help");
  }

  @Test
  void listOfAnUnknownPhaseIsAUsageErrorNamingTheValidOnes() {
    Result bogus = new CairnCli(dir.resolve("store")).run("list", "--status", "Bogus");
    assertThat(bogus.exitCode()).isEqualTo(2);
    assertThat(bogus.err())
        .contains("--status Bogus: not a phase; one of Pending, Running, Interrupted")
        .contains("Canceled");
    assertThat(new CairnCli(dir.resolve("store")).run("list", "--status", "failed").exitCode())
        .as("phases are matched without case")
        .isZero();
  }
}
