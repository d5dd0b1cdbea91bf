package dev.cairn.runner;

import dev.cairn.core.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The task runner: the entry point of the containers of a task pod (docs/pods.md,
 * docs/task-runner.md).
 *
 * <pre>
 * task-runner fetch                              init container
 * task-runner run --function my.Class#method     main container of a function task
 * task-runner upload                             native sidecar (uploads on SIGTERM)
 * </pre>
 */
@Command(
    name = "task-runner",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Moves a task attempt's data between its pod and the checkpoint store.",
    subcommands = {FetchCommand.class, RunCommand.class, UploadCommand.class, WarmupCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
  private Main() {}

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    // A pod that calls the runner wrongly is misconfigured: an infrastructure failure.
    cli.setExitCodeExceptionMapper(Main::report);
    cli.setParameterExceptionHandler(
        (e, parsed) -> {
          e.getCommandLine().getErr().println(e.getMessage());
          e.getCommandLine().usage(e.getCommandLine().getErr());
          return ExitCodes.INFRASTRUCTURE;
        });
    cli.setExecutionExceptionHandler((e, command, parsed) -> report(e));
    return cli.execute(args);
  }

  /** Prints why the runner failed and returns the exit code for it. */
  static int report(Throwable t) {
    String reason =
        t instanceof InfraFailure || t instanceof StoreException
            ? t.getMessage()
            : t.getClass().getName() + ": " + t.getMessage();
    System.err.println("task-runner: " + reason);
    if (!(t instanceof InfraFailure) && !(t instanceof StoreException)) {
      t.printStackTrace();
    }
    return ExitCodes.INFRASTRUCTURE;
  }

  /** No mode given: a misconfigured container. */
  @Override
  public Integer call() {
    new CommandLine(this).usage(System.err);
    return ExitCodes.INFRASTRUCTURE;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"cairn task-runner " + (version == null ? "(development)" : version)};
    }
  }
}
