package dev.cairn.client.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.ListFilter;
import dev.cairn.client.TaskDetail;
import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.client.WorkflowPage;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pages of the store's listing, label filters, and a task's attempts, through the client API. */
class PagingTest {
  @TempDir Path dir;
  LocalWorkflowClient client;

  @BeforeEach
  void open() {
    client =
        LocalWorkflowClient.builder(new FileSystemCheckpointStore(dir.resolve("store")))
            .workDirectory(dir.resolve("work"))
            .build();
  }

  @AfterEach
  void close() {
    client.close();
  }

  WorkflowStatus run(String namespace, String name, String team, boolean fail)
      throws InterruptedException {
    String yaml =
        "metadata: {name: "
            + name
            + ", namespace: "
            + namespace
            + ", labels: {team: "
            + team
            + "}}\nspec:\n  tasks:\n  - {name: t, command: [sh, -c, '"
            + (fail ? "exit 4" : "true")
            + "'], maxRetries: 1, retryExceptions: true, retryDelay: 0s}\n";
    return client
        .start(WorkflowParser.parse(yaml, name + ".yaml"), StartOptions.DEFAULT)
        .await(Duration.ofSeconds(60));
  }

  List<String> all(ListFilter filter, int limit) {
    List<String> ids = new ArrayList<>();
    String token = null;
    do {
      WorkflowPage page = client.page(filter, limit, token);
      assertThat(page.items().size()).isLessThanOrEqualTo(limit);
      page.items().forEach(s -> ids.add(s.id()));
      token = page.continueToken();
    } while (token != null);
    return ids;
  }

  @Test
  void pagesFollowTheListsOrderAndFiltersWithoutLosingAny() throws Exception {
    run("b", "x", "red", false);
    run("a", "z", "blue", true);
    run("a", "y", "red", false);
    run("a-b", "w", "red", false); // "a-b" sorts after "a" as a namespace, though "a-b/" < "a/"

    List<String> listed = client.list(ListFilter.ALL).stream().map(WorkflowStatus::id).toList();
    assertThat(listed).containsExactly("a/y", "a/z", "a-b/w", "b/x");
    for (int limit = 1; limit <= 5; limit++) {
      assertThat(all(ListFilter.ALL, limit)).as("limit " + limit).isEqualTo(listed);
    }
    ListFilter red = new ListFilter(null, Set.of(), null, Map.of("team", "red"));
    assertThat(all(red, 1)).containsExactly("a/y", "a-b/w", "b/x");
    assertThat(client.list(red))
        .extracting(WorkflowStatus::id)
        .containsExactly("a/y", "a-b/w", "b/x");
    ListFilter failed = new ListFilter(null, Set.of(WorkflowPhase.Failed), null);
    assertThat(all(failed, 2)).containsExactly("a/z");
    assertThat(all(new ListFilter("a", Set.of(), "y"), 10)).containsExactly("a/y");

    assertThatThrownBy(() -> client.page(ListFilter.ALL, 0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> client.page(ListFilter.ALL, 2, "garbage"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("garbage");
  }

  @Test
  void aTaskDetailHasEveryAttemptWithItsVerdictAndExitCode() throws Exception {
    assertThat(run("a", "f", "red", true).phase()).isEqualTo(WorkflowPhase.Failed);
    TaskDetail t = client.task("a/f", "t");
    assertThat(t.kind()).isEqualTo("COMMAND");
    assertThat(t.attempts())
        .extracting(TaskDetail.Attempt::verdict)
        .containsExactly("failed", "failed");
    assertThat(t.attempts()).extracting(TaskDetail.Attempt::exitCode).containsExactly(4, 4);
    assertThat(t.attempts()).extracting(TaskDetail.Attempt::number).containsExactly(1, 2);

    run("a", "g", "red", false);
    assertThat(client.task("a/g", "t").attempts())
        .singleElement()
        .satisfies(a -> assertThat(a.verdict()).isEqualTo("succeeded"));
    assertThat(client.details("a/g").outputTask()).isEqualTo("t");
    assertThat(client.details("a/g").labels()).containsEntry("team", "red");
    assertThatThrownBy(() -> client.task("a/g", "nope")).hasMessageContaining("nope");
  }
}
