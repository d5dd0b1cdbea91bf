package dev.cairn.runner;

import dev.cairn.core.store.StoreException;
import java.util.List;
import java.util.Set;

/**
 * The task runner: the entry point of the containers of a task pod (docs/pods.md,
 * docs/task-runner.md).
 *
 * <pre>
 * task-runner upload --fetch                     native sidecar: fetches, then uploads on SIGTERM
 * task-runner run --function my.Class#method     main container of a function task
 * task-runner fetch                              the fetch alone (pods of earlier releases)
 * </pre>
 */
public final class Main {
  static final String USAGE =
      String.join(
          "\n",
          "Usage: task-runner MODE [OPTIONS]",
          "Moves a task attempt's data between its pod and the checkpoint store.",
          "",
          "Modes:",
          "  fetch   Resolve the attempt's inputs into CAIRN_INPUT and fetch upstream artifacts.",
          "  run     Run a Java task function on CAIRN_INPUT, writing CAIRN_OUTPUT.",
          "  upload  On SIGTERM (or at once with --now), upload CAIRN_OUTPUT and CAIRN_ARTIFACTS,",
          "          then write the upload report.",
          "",
          "Options of fetch and upload:",
          "  --store LOCATION            s3://bucket/prefix (endpoint, region and credentials from",
          "                              AWS_* variables) or a directory. Default: $CAIRN_STORE.",
          "  --store-retry-limit DURATION",
          "                              How long to wait out store outages (ISO-8601) before",
          "                              failing with exit 3. Default: $CAIRN_STORE_RETRY_LIMIT or"
              + " PT2M.",
          "Options of upload:",
          "  --fetch                     Fetch first (as the fetch mode), then wait for SIGTERM.",
          "  --now                       Upload at once instead of waiting for SIGTERM.",
          "Options of run:",
          "  --function CLASS#METHOD     The function, fully.qualified.Class#method (required).",
          "  --classpath PATHS           Extra classpath for task functions (dirs, jars, dir/*),",
          "                              besides /opt/cairn/functions/*.jar. Default:"
              + " $CAIRN_CLASSPATH.",
          "  --termination-log FILE      Where Kubernetes reads the failure message.",
          "                              Default: /dev/termination-log.",
          "  --error-file FILE           Where the error JSON goes. Default: error.json beside",
          "                              CAIRN_OUTPUT.",
          "",
          "  -h, --help                  Show this help and exit.",
          "  -V, --version               Print the version and exit.",
          "",
          "Exit codes: 0 done, 1 the function threw (run), 3 infrastructure failure.",
          "");

  /** One mode of the runner, ready to run. */
  interface Mode {
    int call() throws Exception;
  }

  private Main() {}

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  static int execute(String... args) {
    try {
      return mode(List.of(args)).call();
    } catch (Arguments.UsageError e) {
      // A pod that calls the runner wrongly is misconfigured: an infrastructure failure.
      System.err.println("task-runner: " + e.getMessage());
      System.err.print(USAGE);
      return ExitCodes.INFRASTRUCTURE;
    } catch (Throwable t) {
      return report(t);
    }
  }

  private static Mode mode(List<String> args) {
    if (args.isEmpty()) {
      throw new Arguments.UsageError("no mode given");
    }
    List<String> rest = args.subList(1, args.size());
    if (rest.contains("--help") || rest.contains("-h")) {
      return Main::help;
    }
    switch (args.get(0)) {
      case "fetch":
        return FetchCommand.parse(rest);
      case "upload":
        return UploadCommand.parse(rest);
      case "run":
        return RunCommand.parse(rest);
      case "warmup":
        Arguments.parse("warmup", rest, Set.of(), Set.of());
        return new WarmupCommand();
      case "-h":
      case "--help":
        return Main::help;
      case "-V":
      case "--version":
        return Main::version;
      default:
        throw new Arguments.UsageError("unknown mode '" + args.get(0) + "'");
    }
  }

  private static int help() {
    System.out.print(USAGE);
    return ExitCodes.OK;
  }

  private static int version() {
    String version = Main.class.getPackage().getImplementationVersion();
    System.out.println("cairn task-runner " + (version == null ? "(development)" : version));
    return ExitCodes.OK;
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
}
