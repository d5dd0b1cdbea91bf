package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.e2e.cluster.RealPlaneCluster;
import dev.cairn.e2e.plane.ApiServerMetrics;
import dev.cairn.e2e.plane.AuditLog;
import dev.cairn.e2e.plane.ControlPlane;
import dev.cairn.e2e.plane.PlaneClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every write the real API server received for one one-pod workflow, from every client (the
 * operator, the scheduler, the kubelet, the controller-manager), against the plane's background
 * writes (Lease renewals and the like) over an idle interval of the same length, which are
 * subtracted and reported apart. Counted twice by the API server itself: its {@code
 * apiserver_request_total} (every client at once) and its audit log (by client). Figures go to
 * {@code target/e2e/RealPlaneApiWritesTest/figures.txt} as {@code name: value unit}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealPlaneApiWritesTest {
  /**
   * Argo Workflows' writes per one-pod workflow, from the CNOE scalability tests: 180 writes/s at
   * 4.5 workflows/s.
   */
  private static final double ARGO_WRITES_PER_WORKFLOW = 180 / 4.5;

  /** After the pod is settled: the kubelet's and scheduler's last writes land in the window. */
  private static final Duration TAIL = Duration.ofSeconds(3);

  private static final String LEASES = "coordination.k8s.io/leases";

  private RealPlaneCluster cluster;
  private Path work;

  @BeforeAll
  void start() throws Exception {
    work = Path.of("target", "e2e", getClass().getSimpleName()).toAbsolutePath();
    cluster = new RealPlaneCluster(work);
    cluster.start();
    ControlPlane plane = cluster.plane();
    if (!plane.auditLog().auditsEveryWrite()) {
      // A plane started before its policy audited every client's writes: e2e/cluster/up writes
      // the current policy when there is none, and the API server reads it when it starts.
      Files.delete(plane.directory().resolve("audit-policy.yaml"));
      plane.restart("kube-apiserver");
      cluster.restartOperator();
    }
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void oneOnePodWorkflowsWritesCountedAtTheApiServer() throws Exception {
    ControlPlane plane = cluster.plane();
    assertThat(plane.auditLog().auditsEveryWrite()).as("the plane audits every write").isTrue();
    // What happens once, not per workflow, stays out: the task ServiceAccount and store Secret the
    // operator makes in a namespace's first run, the runner's class-data archive, a new plane's
    // own first writes.
    create("api-writes-first");
    await("the first workflow Succeeded")
        // Its pod also makes the runner's class-data archive, on a machine other builds share.
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> succeeded("api-writes-first"));
    Thread.sleep(5000);

    Instant from = Instant.now();
    Map<String, Long> before = metrics(plane);
    Workflow workflow = create("api-writes");
    String uid = workflow.getMetadata().getUid();
    // The plane's kubelet serves no logs: the operator's read of the pod's log fails, so it keeps
    // the pod unsettled (no label) until it can store the log; the window ends once it tried.
    await("the workflow Succeeded, its pod ended and the operator read its log")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                succeeded("api-writes")
                    && podEnded(uid)
                    && plane.auditLog().between(from, Instant.now()).stream()
                        .anyMatch(r -> r.action().equals("get pods/log")));
    Thread.sleep(TAIL.toMillis());
    Map<String, Long> after = metrics(plane);
    Instant to = Instant.now();
    Duration length = Duration.between(from, to);

    Instant idleFrom = Instant.now();
    Map<String, Long> idleBefore = metrics(plane);
    Thread.sleep(length.toMillis());
    Map<String, Long> idleAfter = metrics(plane);
    Instant idleTo = Instant.now();
    Thread.sleep(1000); // the audit log's last lines

    Map<String, Long> metricWrites = ApiServerMetrics.delta(before, after);
    Map<String, Long> metricIdle = ApiServerMetrics.delta(idleBefore, idleAfter);
    long metricNet = sum(metricWrites) - sum(metricIdle);

    PlaneClients clients = new PlaneClients(cluster.operatorNamespace());
    List<AuditLog.Request> window = plane.auditLog().between(from, to);
    List<AuditLog.Request> idle = plane.auditLog().between(idleFrom, idleTo);
    Map<String, Long> byClient = writesByClient(clients, window);
    Map<String, Long> idleByClient = writesByClient(clients, idle);
    List<AuditLog.Request> operator = operatorRequests(clients, window);
    // Less what it also asks while idle (none is expected: then the figure would say so).
    Map<String, Long> operatorCounts = AuditLog.counts(operator);
    AuditLog.counts(operatorRequests(clients, idle))
        .forEach((action, n) -> operatorCounts.merge(action, -n, Long::sum));
    operatorCounts.values().removeIf(n -> n == 0);
    long operatorTotal = sum(operatorCounts);
    long auditNet =
        byClient.values().stream().mapToLong(Long::longValue).sum()
            - idleByClient.values().stream().mapToLong(Long::longValue).sum();

    List<String> figures = new ArrayList<>();
    figures.add(figure("api-writes-per-1-pod-workflow-total", metricNet, "writes"));
    figures.add(figure("api-writes-per-1-pod-workflow-audited", auditNet, "writes"));
    for (String client :
        List.of(
            PlaneClients.USER,
            PlaneClients.OPERATOR,
            PlaneClients.SCHEDULER,
            PlaneClients.KUBELET,
            PlaneClients.CONTROLLER_MANAGER,
            PlaneClients.API_SERVER,
            PlaneClients.OTHER)) {
      long net = byClient.getOrDefault(client, 0L) - idleByClient.getOrDefault(client, 0L);
      figures.add(figure("api-writes-per-1-pod-workflow-" + client, net, "writes"));
    }
    figures.add(
        figure(
            "api-writes-background-per-s",
            sum(metricIdle) / (length.toMillis() / 1000.0),
            "writes/s"));
    figures.add(figure("api-writes-window-s", length.toMillis() / 1000.0, "s"));
    figures.add(figure("operator-api-requests-per-1-task-workflow", operatorTotal, "requests"));
    figures.add(figure("api-writes-per-1-pod-workflow-argo", ARGO_WRITES_PER_WORKFLOW, "writes"));
    String details =
        "# writes in the window (apiserver_request_total): "
            + metricWrites
            + "\n# writes in the idle window: "
            + metricIdle
            + "\n# audited writes in the window by client and request: "
            + byClientAndAction(clients, window)
            + "\n# audited writes in the idle window: "
            + byClientAndAction(clients, idle)
            + "\n# the operator's requests (no Lease, no watch): "
            + operatorCounts
            + "\n# answers to its log reads (the plane's kubelet serves no logs): "
            + operator.stream()
                .filter(r -> r.action().equals("get pods/log"))
                .map(AuditLog.Request::code)
                .toList()
            + "\n";
    Files.writeString(work.resolve("figures.txt"), String.join("\n", figures) + "\n" + details);
    System.out.println(String.join("\n", figures) + "\n" + details);

    // The operator's part is what the mock API server counts (ApiRequestBudgetTest): the pod's
    // create, its log's GET, the settled label's patch and the status writes, one when the run
    // ends within the status interval, else a Running status before the final one; but for the
    // label: with its log unread the pod must stay unsettled (a real kubelet's log would be read
    // and the label patched, one write more).
    long statusWrites =
        operatorCounts.entrySet().stream()
            .filter(e -> e.getKey().endsWith(" cairn.dev/workflows/status"))
            .mapToLong(Map.Entry::getValue)
            .sum();
    assertThat(operatorCounts)
        .as("the operator's requests for one one-task workflow")
        .containsEntry("create pods", 1L)
        .containsKey("get pods/log")
        .doesNotContainKey("patch pods")
        .containsOnlyKeys("create pods", "get pods/log", "patch cairn.dev/workflows/status");
    long logReads = operatorCounts.get("get pods/log");
    // One more than the final status for each status interval (2 s) the run outlasted.
    assertThat(statusWrites).as("status writes").isBetween(1L, 1 + length.toSeconds() / 2);
    assertThat(operatorTotal).isEqualTo(1 + logReads + statusWrites);
    assertThat(byClient.getOrDefault(PlaneClients.SCHEDULER, 0L))
        .as("the scheduler's binding")
        .isGreaterThanOrEqualTo(1);
    assertThat(byClient.getOrDefault(PlaneClients.KUBELET, 0L))
        .as("the kubelet's status writes")
        .isGreaterThanOrEqualTo(1);
    assertThat(byClient.getOrDefault(PlaneClients.USER, 0L)).as("the Workflow's create").isOne();
    // Both of the API server's counts agree, up to a background write at a window's edge.
    assertThat(metricNet)
        .as("apiserver_request_total against the audit log")
        .isCloseTo(auditNet, org.assertj.core.data.Offset.offset(2L));
    assertThat((double) metricNet)
        .as("every write for one one-pod workflow")
        .isBetween(1.0 + statusWrites, ARGO_WRITES_PER_WORKFLOW);
  }

  private Workflow create(String name) {
    return cluster
        .client()
        .resource(
            dev.cairn.core.spec.WorkflowParser.parse(
                """
                apiVersion: cairn.dev/v1alpha1
                kind: Workflow
                metadata: {name: %s, namespace: default}
                spec:
                  tasks:
                  - name: one
                    command: [sh, -c, 'echo 1 > "$CAIRN_OUTPUT"']
                """
                    .formatted(name),
                "e2e"))
        .create();
  }

  private boolean succeeded(String name) {
    Workflow w =
        cluster
            .client()
            .resources(Workflow.class)
            .inNamespace(cluster.namespace())
            .withName(name)
            .get();
    return w != null && w.getStatus() != null && "Succeeded".equals(w.getStatus().phase);
  }

  private boolean podEnded(String workflowUid) {
    return cluster
        .client()
        .pods()
        .inNamespace(cluster.namespace())
        .withLabel(TaskPods.WORKFLOW_UID, workflowUid)
        .list()
        .getItems()
        .stream()
        .anyMatch(p -> "Succeeded".equals(p.getStatus().getPhase()));
  }

  private static Map<String, Long> metrics(ControlPlane plane) {
    return ApiServerMetrics.writes(plane.kubectl("get", "--raw", "/metrics").orThrow().output());
  }

  /** The operator's requests but its Lease's renewals and its watches (background). */
  private static List<AuditLog.Request> operatorRequests(
      PlaneClients clients, List<AuditLog.Request> requests) {
    return requests.stream()
        .filter(r -> PlaneClients.OPERATOR.equals(clients.of(r)))
        .filter(r -> !r.action().endsWith(" " + LEASES) && !r.action().startsWith("watch "))
        .toList();
  }

  private static Map<String, Long> writesByClient(
      PlaneClients clients, List<AuditLog.Request> requests) {
    Map<String, Long> counts = new TreeMap<>();
    requests.stream()
        .filter(AuditLog.Request::write)
        .forEach(r -> counts.merge(clients.of(r), 1L, Long::sum));
    return counts;
  }

  private static Map<String, Long> byClientAndAction(
      PlaneClients clients, List<AuditLog.Request> requests) {
    Map<String, Long> counts = new TreeMap<>();
    requests.stream()
        .filter(AuditLog.Request::write)
        .forEach(r -> counts.merge(clients.of(r) + ": " + r.action(), 1L, Long::sum));
    return counts;
  }

  private static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private static String figure(String name, double value, String unit) {
    return String.format(Locale.ROOT, "%s: %.2f %s", name, value, unit);
  }
}
