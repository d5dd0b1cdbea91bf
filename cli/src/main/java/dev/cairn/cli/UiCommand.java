package dev.cairn.cli;

import dev.cairn.client.WorkflowClient;
import dev.cairn.ui.UiServer;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cairn ui}: serves the web UI over the local store or the kubeconfig's cluster until
 * interrupted. It prints its address and opens nothing. On a cluster it acts with the user's own
 * kubeconfig identity, so what a page may do is what the user may do.
 */
@Command(
    name = "ui",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Serve the web UI (workflows, live DAGs, attempts, logs, outputs) until interrupted;"
          + " prints its address and opens nothing.",
      "Read-only unless --allow-actions; on a cluster, actions use your kubeconfig's identity."
    })
final class UiCommand implements Callable<Integer> {
  /** Counted down to stop a running {@code cairn ui} (tests); an interrupt stops it too. */
  static volatile CountDownLatch stop;

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin Target target;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "Port to listen on (default: 7777; 0 picks a free one).")
  int port = UiServer.DEFAULT_PORT;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      description =
          "Address to listen on (default: 127.0.0.1, this machine only). Anyone who can reach it"
              + " sees every workflow the store or your identity can.")
  String bind = "127.0.0.1";

  @Option(
      names = "--allow-actions",
      description =
          "Let the page resume, cancel, suspend and unsuspend workflows (default: read-only).")
  boolean allowActions;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new Errors.UsageException("--port must be 0 to 65535, got " + port);
    }
    PrintWriter out = spec.commandLine().getOut();
    WorkflowClient client = target.open();
    UiServer server;
    try {
      server =
          UiServer.builder(client)
              .bind(bind)
              .port(port)
              .allowActions(allowActions)
              // -n: list that namespace only, which a namespaced identity may.
              .namespaces(
                  target.isCluster() && target.clusterOptions.namespace != null
                      ? java.util.List.of(target.clusterOptions.namespace)
                      : java.util.List.of())
              .start();
    } catch (UncheckedIOException e) {
      client.close();
      throw new Errors.UsageException(e.getMessage() + " (another port: --port N, or 0)");
    }
    CountDownLatch done = stop != null ? stop : new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              client.close();
            },
            "cairn-ui-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println(server.url());
    out.flush();
    try {
      done.await();
    } finally {
      server.close();
      client.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the process is shutting down: the hook runs anyway
      }
    }
    return ExitCodes.OK;
  }
}
