package dev.cairn.ui.browser;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.client.WorkflowClient.RunHandle;
import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.client.local.LocalWorkflowClient;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.ui.UiServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** A real local store with its client, and the UI server over it on a free port. */
final class LocalUi implements AutoCloseable {
  final LocalWorkflowClient client;
  final UiServer server;

  LocalUi(Path dir) {
    this(dir, false);
  }

  LocalUi(Path dir, boolean actions) {
    client =
        LocalWorkflowClient.builder(new FileSystemCheckpointStore(dir.resolve("store")))
            .workDirectory(dir.resolve("work"))
            .classLoader(LocalUi.class.getClassLoader())
            .build();
    server = UiServer.builder(client).port(0).allowActions(actions).start();
  }

  RunHandle start(String yaml) {
    Workflow workflow = WorkflowParser.parse(yaml, "browser-test.yaml");
    return client.start(workflow, StartOptions.DEFAULT);
  }

  WorkflowStatus run(String yaml) throws InterruptedException {
    return start(yaml).await(Duration.ofSeconds(120));
  }

  /** The page of a workflow, as the front end routes it. */
  String page(String workflowId) {
    int slash = workflowId.indexOf('/');
    return url()
        + "#/workflows/"
        + workflowId.substring(0, slash)
        + "/"
        + workflowId.substring(slash + 1);
  }

  URI url() {
    return server.url();
  }

  @Override
  public void close() {
    server.close();
    client.close();
  }
}
