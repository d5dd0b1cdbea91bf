package dev.cairn.cli;

import dev.cairn.client.NoOutputException;
import dev.cairn.client.TargetUnavailableException;
import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.Problem;
import dev.cairn.core.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns failures into one clear message each and the documented exit codes. */
final class Errors implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    var err = cli.getErr();
    if (e instanceof InvalidWorkflowException invalid) {
      for (Problem problem : invalid.problems()) {
        err.println("error: " + problem);
      }
      return ExitCodes.INVALID;
    }
    if (e instanceof UsageException) {
      usage(cli, e.getMessage());
      return ExitCodes.INVALID;
    }
    if (e instanceof TargetUnavailableException) {
      err.println("error: " + e.getMessage());
      if (e.getCause() instanceof StoreException) {
        err.println(
            "Nothing checkpointed is lost; once the store is reachable, run the same command again"
                + " to resume.");
      }
      return ExitCodes.UNAVAILABLE;
    }
    if (e instanceof StoreException store) {
      err.println(
          "error: storage failed ("
              + store.kind().name().toLowerCase()
              + "): "
              + store.getMessage());
      // Only an outage passes by itself; the other kinds say in their message what helps.
      if (store.retryable()) {
        err.println(
            "Nothing checkpointed is lost; once the store is reachable, run the same command again"
                + " to resume.");
      } else if (store.kind() == StoreException.Kind.AUTH) {
        err.println("Check the store's credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).");
      }
      return ExitCodes.FAILED;
    }
    if (e instanceof UnsupportedOperationException) {
      usage(cli, e.getMessage());
      return ExitCodes.INVALID;
    }
    if (e instanceof WorkflowNotFoundException
        || e instanceof NoOutputException
        || e instanceof IllegalStateException) {
      err.println("error: " + Messages.readable(e.getMessage()));
      return ExitCodes.FAILED;
    }
    err.println("error: " + e);
    e.printStackTrace(err);
    return ExitCodes.FAILED;
  }

  /** One line saying what is wrong, one saying where help is. */
  static void usage(CommandLine cli, String message) {
    cli.getErr().println("error: " + message);
    cli.getErr()
        .println("Try `" + cli.getCommandSpec().qualifiedName() + " --help` for the usage.");
  }

  /** Bad command-line input, reported with exit code 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
