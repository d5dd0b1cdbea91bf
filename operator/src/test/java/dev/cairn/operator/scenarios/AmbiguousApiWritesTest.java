package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Writes to the API server that were applied while the operator saw a 504 Timeout, as a real API
 * server answers when etcd commits after the request's deadline: the operator cannot tell whether
 * its pod or its status exists. Whatever it does next, no task gets a second pod or runs twice, and
 * the workflow ends with its output.
 */
class AmbiguousApiWritesTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @AfterEach
  void serveAnswersAgain() {
    cluster.rules().loseAnswersOf(r -> false);
  }

  private static String manifest(String name) {
    return """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: %s}
        spec:
          output: c
          tasks:
          - name: a
            command: [sh, -c, 'echo a >> %s; echo 2 > "$CAIRN_OUTPUT"']
          - name: b
            command: [sh, -c, 'echo b >> %s; echo 3 > "$CAIRN_OUTPUT"']
          - name: c
            command: [sh, -c, 'echo c >> %s; echo $(( $(tr -d "[] " < "$CAIRN_INPUT" | tr , "*") )) > "$CAIRN_OUTPUT"']
            args: [{$task: a}, {$task: b}]
        """
        .formatted(name, runLog(name), runLog(name), runLog(name));
  }

  private static Predicate<RecordedRequest> writesOf(String workflow, String method, String path) {
    return r ->
        r.getMethod().equalsIgnoreCase(method)
            && r.getPath().replaceAll("\\?.*", "").matches(path)
            && r.getBody() != null
            && new String(r.getBody().getBytes(), StandardCharsets.UTF_8).contains(workflow);
  }

  private static void assertEachTaskRanOnceInOnePod(String name) throws Exception {
    Workflow done = cluster.awaitPhase(name, "Succeeded", WAIT);
    assertThat(done.getStatus().output.asInt()).isEqualTo(6);
    assertThat(runs(name)).as("task runs (a, b, c)").isEqualTo(3);
    Map<String, List<String>> podsByTask =
        podsOf(name).stream()
            .collect(
                Collectors.groupingBy(
                    (Pod p) -> p.getMetadata().getLabels().get(TaskPods.TASK),
                    Collectors.mapping(p -> p.getMetadata().getName(), Collectors.toList())));
    assertThat(podsByTask).hasSize(3).allSatisfy((task, pods) -> assertThat(pods).hasSize(1));
  }

  @Test
  void podCreatesAppliedWhileTheOperatorSawATimeoutMakeNoSecondPod() throws Exception {
    String name = "ambiguous-pods";
    int before = cluster.rules().lostAnswers();
    cluster.rules().loseAnswersOf(writesOf(name, "POST", "/api/v1/namespaces/[^/]+/pods"));
    cluster.apply(manifest(name));
    assertEachTaskRanOnceInOnePod(name);
    assertThat(cluster.rules().lostAnswers() - before).as("creates answered 504").isEqualTo(3);
  }

  @Test
  void statusWritesAppliedWhileTheOperatorSawATimeoutLoseNothing() throws Exception {
    String name = "ambiguous-status";
    int before = cluster.rules().lostAnswers();
    Predicate<RecordedRequest> status =
        r ->
            !r.getMethod().equalsIgnoreCase("GET")
                && r.getPath().replaceAll("\\?.*", "").endsWith("/workflows/" + name + "/status");
    // Every other status write of the workflow is applied and answered with a timeout.
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    cluster.rules().loseAnswersOf(r -> status.test(r) && n.incrementAndGet() % 2 == 1);
    cluster.apply(manifest(name));
    assertEachTaskRanOnceInOnePod(name);
    assertThat(cluster.rules().lostAnswers() - before)
        .as("status writes answered 504")
        .isPositive();
  }
}
