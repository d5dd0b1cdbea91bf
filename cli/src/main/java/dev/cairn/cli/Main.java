package dev.cairn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cairn} command. */
@Command(
    name = "cairn",
    mixinStandardHelpOptions = true,
    version = "cairn 0.1.0",
    description = "Durable workflows: run a DAG of tasks that resumes from its checkpoints.",
    subcommands = {
      RunCommand.class,
      ResumeCommand.class,
      OutputCommand.class,
      StatusCommand.class,
      ListCommand.class,
      CancelCommand.class,
      DeleteCommand.class,
      PlotCommand.class,
      SubmitCommand.class,
      GetCommand.class,
      LogsCommand.class,
      SuspendCommand.class,
      LintCommand.class,
    })
public final class Main {
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (for tests and the launcher). */
  public static int execute(String... args) {
    return execute(
        new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs the command line with the given streams and returns the exit code. */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    Logging.configure(args);
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(new Errors());
    cli.setParameterExceptionHandler(
        (e, a) -> {
          e.getCommandLine().getErr().println("error: " + e.getMessage());
          e.getCommandLine().usage(e.getCommandLine().getErr());
          return ExitCodes.INVALID;
        });
    return cli.execute(args);
  }
}
