package dev.cairn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cairn} command. */
@Command(
    name = "cairn",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Durable workflows: run a DAG of tasks that resumes from its checkpoints.",
    footer = {"", "`cairn help VERB` or `cairn VERB --help` shows a verb's options."},
    subcommands = {
      CommandLine.HelpCommand.class,
      RunCommand.class,
      ResumeCommand.class,
      OutputCommand.class,
      StatusCommand.class,
      ListCommand.class,
      CancelCommand.class,
      DeleteCommand.class,
      PlotCommand.class,
      LogsCommand.class,
      SubmitCommand.class,
      GetCommand.class,
      SuspendCommand.class,
      SignalCommand.class,
      LintCommand.class,
      UiCommand.class,
    })
public final class Main implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** {@code cairn} alone: the usage, as {@code cairn --help} prints it. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
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
          Errors.usage(e.getCommandLine(), e.getMessage());
          return ExitCodes.INVALID;
        });
    return cli.execute(args);
  }

  /** The project's version, written into the jar by the build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"cairn " + version()};
    }

    static String version() {
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        Properties properties = new Properties();
        if (in != null) {
          properties.load(in);
        }
        return properties.getProperty("version", "unknown");
      } catch (IOException e) {
        return "unknown";
      }
    }
  }
}
