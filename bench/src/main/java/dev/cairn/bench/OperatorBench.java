package dev.cairn.bench;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.planner.Action;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.operator.config.OperatorConfig;
import dev.cairn.operator.pods.TaskPodBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator on the simulated cluster: API requests per task by verb, commit-to-pod latency,
 * reconcile CPU as the DAG grows, status size, and heap per live workflow. Pods run in the
 * simulated kubelet with the runner emulated in-process, so the figures are the operator's.
 */
final class OperatorBench {
  static final List<String> VERBS =
      List.of("create", "get", "list", "watch", "patch", "update", "delete");
  private final Path work;
  private final Figures figures;
  private int runs;

  OperatorBench(Path work, Figures figures) {
    this.work = work;
    this.figures = figures;
  }

  private Path dir() throws java.io.IOException {
    return Files.createDirectories(work.resolve("operator-" + (++runs)));
  }

  /** Runs a fan-out once without reporting it: JIT and class loading out of the measured runs. */
  void warmUp(int tasks) throws Exception {
    try (SimulatedCluster cluster = new SimulatedCluster(dir(), true).startOperator(Map.of())) {
      apply(cluster, Shapes.fanOut("warmup", tasks - 2), Duration.ofMinutes(5));
    }
  }

  /**
   * A fan-out (source -> n - 2 leaves -> sum) from start to end: API requests per task by verb,
   * throughput, reconcile CPU per task and the largest status written.
   */
  void fanOut(int n) throws Exception {
    try (SimulatedCluster cluster = new SimulatedCluster(dir(), true).startOperator(Map.of())) {
      long start = System.nanoTime();
      Workflow done = apply(cluster, Shapes.fanOut("fanout", n - 2), Duration.ofMinutes(20));
      double seconds = (System.nanoTime() - start) / 1e9;
      int tasks = done.getStatus().taskCounts.succeeded;
      String shape = tasks + "-task fan-out";
      requests(cluster, tasks);
      figures.add(
          "operator-fanout-tasks-per-s",
          tasks / seconds,
          "tasks/s",
          shape
              + " on the simulated cluster, at most 200 pods at once (wall time: the mock API server and kubelet share the JVM)");
      Timer timer = cluster.reconcileCpu();
      figures.add("operator-fanout-reconciles", timer.count(), "reconciles", shape);
      figures.add(
          "operator-fanout-reconcile-cpu-per-task-us",
          timer.totalTime(TimeUnit.MICROSECONDS) / tasks,
          "us",
          "CPU of all reconciles / tasks: observing, committing, creating pods, status");
      status(cluster, "operator-fanout-status-max-bytes", shape);
    }
  }

  /**
   * A map of {@code n} elements (forEach leaf over an input list -> sum) on the simulated cluster,
   * one pod per element: its time from apply to Succeeded, and the largest status written, which
   * holds counts, never per-element state.
   */
  void map(int n) throws Exception {
    try (SimulatedCluster cluster = new SimulatedCluster(dir(), true).startOperator(Map.of())) {
      long start = System.nanoTime();
      apply(cluster, Shapes.mapOverInput("opmap", n), Duration.ofMinutes(30));
      double seconds = (System.nanoTime() - start) / 1e9;
      String name = n % 1000 == 0 ? (n / 1000) + "k" : String.valueOf(n);
      String shape =
          n + "-element map on the simulated cluster, one pod per element, at most 200 at once";
      figures.add("operator-map-" + name + "-elements-s", seconds, "s", shape);
      status(cluster, "operator-map-" + name + "-status-max-bytes", shape);
    }
  }

  /**
   * Reconcile CPU as the DAG grows, with what changes held constant: a workflow of n tasks whose n
   * - chain tasks are already committed (their finished pods exist, as they do until the workflow
   * is deleted), beside a chain of {@code chain} tasks that runs one pod at a time. Every reconcile
   * after the first (which restores the run) sees one pod change.
   */
  void reconcileScaling(int[] sizes, int chain) throws Exception {
    Map<Integer, Double> medians = new LinkedHashMap<>();
    for (int n : sizes) {
      String name = "steady-" + n;
      Workflow workflow = Shapes.doneAndChain(name, n - chain, chain);
      try (SimulatedCluster cluster = new SimulatedCluster(dir(), true)) {
        Workflow created = cluster.apply(workflow);
        commitAndFill(cluster, created, n - chain);
        cluster.startOperator(Map.of());
        Workflow done = cluster.awaitEnded(name, Duration.ofMinutes(10));
        if (!"Succeeded".equals(done.getStatus().phase)) {
          throw new IllegalStateException(
              name + " ended " + done.getStatus().phase + ": " + done.getStatus().message);
        }
        Timer timer = cluster.reconcileCpu();
        HistogramSnapshot snapshot = timer.takeSnapshot();
        double median = percentile(snapshot, 0.5);
        String shape =
            n + "-task workflow, " + (n - chain) + " committed, a " + chain + "-task chain running";
        figures.add(
            "operator-reconcile-cpu-median-us-" + n,
            median,
            "us",
            "CPU of the reconciling thread per reconcile, "
                + timer.count()
                + " reconciles; "
                + shape);
        figures.add("operator-reconcile-cpu-p90-us-" + n, percentile(snapshot, 0.9), "us", null);
        figures.add(
            "operator-restore-cpu-ms-" + n,
            timer.max(TimeUnit.MICROSECONDS) / 1000,
            "ms",
            "the first reconcile: compile the spec, load the store, adopt the pods");
        status(cluster, "operator-status-max-bytes-" + n, shape);
        medians.put(n, median);
      }
    }
    int smallest = sizes[0];
    int largest = sizes[sizes.length - 1];
    figures.add(
        "operator-reconcile-cpu-growth",
        medians.get(largest) / medians.get(smallest),
        "x",
        "median CPU per reconcile at "
            + largest
            + " tasks / at "
            + smallest
            + " tasks, one pod changing per reconcile (1 = independent of the DAG's size; "
            + (largest / smallest)
            + " = linear in it)");
  }

  /**
   * Commits the {@code d_i} tasks in the store and creates their finished pods, as a run would
   * have.
   */
  private void commitAndFill(SimulatedCluster cluster, Workflow workflow, int done) {
    WorkflowDefinition definition =
        WorkflowDefinition.compile(workflow, Map.of(), FunctionCatalog.ANY);
    WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(cluster.store, definition.id());
    TaskPodBuilder pods = new TaskPodBuilder(OperatorConfig.from(cluster.settings(Map.of())));
    Instant now = Instant.now();
    var client = cluster.cluster.client("bench-setup");
    for (int i = 0; i < done; i++) {
      TaskDef task = definition.dag().task("d_" + i);
      checkpoints.commit(
          new CommitRecord(
              task.id(),
              task.digest(),
              CommitRecord.Kind.VALUE,
              1,
              null,
              null,
              null,
              now,
              now,
              IntNode.valueOf(i)));
      Pod pod = pods.build(workflow, new Action.StartAttempt(task, 1, Map.of()), 0);
      pod.setStatus(new PodStatusBuilder().withPhase("Succeeded").build());
      client.pods().inNamespace(SimulatedCluster.NAMESPACE).resource(pod).create();
    }
    client.close();
  }

  private void status(SimulatedCluster cluster, String figure, String shape) {
    figures.add(
        figure,
        cluster.maxStatusBytes.get(),
        "bytes",
        "largest status written (serialized JSON) of " + cluster.statusWrites.get() + "; " + shape);
  }

  /**
   * The shape of the published Argo Workflows load tests: many workflows of one task (one pod)
   * each. Every request the operator makes is counted, per workflow, from its creation to its final
   * status: the finalizer, the pod, status writes, events.
   */
  void oneTaskWorkflows(int count) throws Exception {
    try (SimulatedCluster cluster = new SimulatedCluster(dir(), true).startOperator(Map.of())) {
      // The informers' initial lists and watches are per operator start, not per workflow.
      await(() -> cluster.operatorRequestsByVerb().containsKey("watch"), Duration.ofSeconds(30));
      Thread.sleep(500);
      cluster.cluster.resetCounts();
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        cluster.apply(single("single-" + i));
      }
      for (int i = 0; i < count; i++) {
        cluster.awaitEnded("single-" + i, Duration.ofMinutes(5));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, AtomicLong> byVerb = cluster.operatorRequestsByVerb();
      long all = 0;
      StringBuilder verbs = new StringBuilder();
      for (String verb : VERBS) {
        long n = byVerb.getOrDefault(verb, new AtomicLong()).get();
        all += n;
        if (n > 0) {
          verbs
              .append(verbs.length() == 0 ? "" : ", ")
              .append(verb)
              .append(' ')
              .append(String.format(java.util.Locale.ROOT, "%.2f", n / (double) count));
        }
      }
      figures.add(
          "operator-api-requests-per-1-task-workflow",
          all / (double) count,
          "requests",
          count
              + " workflows of one task each, per workflow: "
              + verbs
              + "; in all: "
              + cluster.cluster.requestsByKind(dev.cairn.operator.sim.TestCluster.OPERATOR_AGENT));
      figures.add(
          "operator-1-task-workflows-per-min",
          count / seconds * 60,
          "workflows/min",
          "simulated cluster, client rate limit off: bound by this machine, not comparable across machines");
    }
  }

  /**
   * Argo Workflows' published load test at its default client limits: {@code count} one-task
   * workflows created at once, with the operator's client limited to 20 requests a second (burst
   * 30), until every one has its final status. Bound by the limit, not by this machine, as long as
   * the simulated cluster keeps up: the requests per workflow decide it.
   */
  void oneTaskWorkflowsAtQps20(int count) throws Exception {
    try (SimulatedCluster cluster =
        new SimulatedCluster(dir(), true).startOperatorLimited(20, 30)) {
      await(() -> cluster.operatorRequestsByVerb().containsKey("watch"), Duration.ofSeconds(30));
      Thread.sleep(2000); // the bucket fills up again after the informers' start
      cluster.cluster.resetCounts();
      double loadBefore = loadAverage();
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        cluster.apply(single("drain-" + i));
      }
      for (int i = 0; i < count; i++) {
        cluster.awaitEnded("drain-" + i, Duration.ofMinutes(30));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long all =
          cluster.operatorRequestsByVerb().values().stream().mapToLong(AtomicLong::get).sum();
      String load =
          String.format(
              java.util.Locale.ROOT,
              "load average %.1f before, %.1f after",
              loadBefore,
              loadAverage());
      figures.add(
          "operator-1-task-workflows-per-min-qps20",
          count / seconds * 60,
          "workflows/min",
          count
              + " one-task workflows created at once, the operator's client at 20 requests/s (burst"
              + " 30), until the last final status; "
              + String.format(java.util.Locale.ROOT, "%.2f", all / (double) count)
              + " requests per workflow; "
              + load
              + "; in all: "
              + cluster.cluster.requestsByKind(dev.cairn.operator.sim.TestCluster.OPERATOR_AGENT));
      figures.add(
          "operator-1-task-drain-s-qps20",
          seconds,
          "s",
          "time to drain " + count + " one-task workflows created at once, same run; " + load);
    }
  }

  /** The system's load average over the last minute, or -1 where the JVM cannot tell. */
  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static Workflow single(String name) {
    return Shapes.chain(name, 1);
  }

  private static void await(java.util.function.BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout);
      }
      Thread.sleep(50);
    }
  }

  private void requests(SimulatedCluster cluster, int tasks) {
    Map<String, AtomicLong> byVerb = cluster.operatorRequestsByVerb();
    long all = 0;
    long writes = 0;
    for (String verb : VERBS) {
      long n = byVerb.getOrDefault(verb, new AtomicLong()).get();
      all += n;
      if (!List.of("get", "list", "watch").contains(verb)) {
        writes += n;
      }
      figures.add(
          "operator-api-" + verb + "-per-task",
          n / (double) tasks,
          "requests",
          n + " in all, " + tasks + "-task fan-out, counted at the mock API server");
    }
    figures.add(
        "operator-api-requests-per-task", all / (double) tasks, "requests", all + " in all");
    figures.add(
        "operator-api-writes-per-task", writes / (double) tasks, "requests", writes + " in all");
  }

  /**
   * {@code width} chains of {@code depth} tasks: for every task with upstream tasks, the time from
   * the last upstream commit (durable in the store) to its own pod's creation at the API server,
   * and from the upstream pod's Succeeded status to the same creation (what a user waits between
   * two tasks, observing the pod included).
   */
  void latency(int width, int depth) throws Exception {
    try (SimulatedCluster cluster = new SimulatedCluster(dir(), true).startOperator(Map.of())) {
      Workflow workflow = Shapes.chains("chains", width, depth);
      WorkflowDefinition definition =
          WorkflowDefinition.compile(workflow, Map.of(), FunctionCatalog.ANY);
      apply(cluster, workflow, Duration.ofMinutes(10));
      Map<String, Long> commits = new HashMap<>();
      cluster.store.commitTimes.forEach(
          (key, at) -> commits.put(MemoryStore.taskOfCommit(key), at));
      List<Double> fromCommit = new ArrayList<>();
      List<Double> fromPodDone = new ArrayList<>();
      for (TaskDef task : definition.dag().tasks()) {
        if (task.upstream().isEmpty()) {
          continue;
        }
        Long created = cluster.podCreated.get("chains/" + task.id());
        long committed =
            task.upstream().stream()
                .mapToLong(u -> commits.getOrDefault(u, Long.MAX_VALUE))
                .max()
                .orElseThrow();
        long succeeded =
            task.upstream().stream()
                .mapToLong(u -> cluster.podSucceeded.getOrDefault("chains/" + u, Long.MAX_VALUE))
                .max()
                .orElseThrow();
        if (created == null || committed == Long.MAX_VALUE || succeeded == Long.MAX_VALUE) {
          throw new IllegalStateException("no timing for task " + task.id());
        }
        fromCommit.add((created - committed) / 1e6);
        fromPodDone.add((created - succeeded) / 1e6);
      }
      String shape =
          width + " chains of " + depth + " tasks, " + fromCommit.size() + " dependent tasks";
      figures.addSamples(
          "operator-commit-to-dependent-pod-ms", fromCommit, "ms", shape + "; median");
      figures.add("operator-commit-to-dependent-pod-p90-ms", p(fromCommit, 0.9), "ms", null);
      figures.addSamples(
          "operator-pod-done-to-dependent-pod-ms",
          fromPodDone,
          "ms",
          "upstream pod Succeeded (kubelet's status write) -> dependent pod created; median");
      figures.add("operator-pod-done-to-dependent-pod-p90-ms", p(fromPodDone, 0.9), "ms", null);
    }
  }

  /**
   * Live heap with {@code workflows} live workflows of {@code tasks} tasks (source -> leaves ->
   * sum; each waits on its source pod, which stays Pending), minus the live heap once the operator
   * is stopped with the same objects in the mock API server: the operator's own heap.
   */
  void heap(int workflows, int tasks) throws Exception {
    try (SimulatedCluster cluster =
        new SimulatedCluster(dir(), false)
            .startOperator(Map.of("CAIRN_MAX_PARALLEL_PODS", String.valueOf(workflows)))) {
      long start = System.nanoTime();
      for (int i = 0; i < workflows; i++) {
        cluster.apply(Shapes.fanOut("live-" + i, tasks - 2));
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (cluster.podCreated.size() < workflows || cluster.statusWrites.get() < workflows) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "only " + cluster.podCreated.size() + " of " + workflows + " workflows started");
        }
        Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, long[]> before = histogram();
      long withOperator = liveHeap();
      cluster.cluster.stopOperator();
      cluster.meters.clear();
      Map<String, long[]> after = released();
      long without = liveHeap();
      if (Boolean.getBoolean("cairn.bench.histogram")) {
        printLargest(before, after, workflows, "workflow", 30);
      }
      double operator = Math.max(0, withOperator - without);
      String shape = workflows + " live workflows of " + tasks + " tasks";
      figures.add(
          "operator-heap-live-mb",
          operator / (1 << 20),
          "MiB",
          shape
              + ": live objects (class histogram after full GC) with the operator running minus after it stopped");
      figures.add(
          "operator-heap-per-live-workflow-kb",
          operator / workflows / 1024,
          "KiB",
          shape + " (includes the operator's fixed heap, spread over them)");
      figures.add(
          "operator-start-live-workflows-per-s",
          workflows / seconds,
          "workflows/s",
          "created through the API until each has its first pod and status");
    }
  }

  /**
   * The operator's heap with {@code pods} finished task pods in its namespace, as a run leaves
   * them: once unsettled (the informer caches every one, as before pods were settled), once settled
   * (verdict durable, log stored: left out of the informer). Pods are built by the operator's own
   * builder, with a finished status and the {@code managedFields} a real API server adds.
   */
  void finishedPods(int pods) throws Exception {
    for (boolean settled : new boolean[] {false, true}) {
      try (SimulatedCluster cluster = new SimulatedCluster(dir(), false)) {
        Workflow workflow = Shapes.fanOut("finished", pods - 2);
        workflow.getMetadata().setNamespace(SimulatedCluster.NAMESPACE);
        workflow.getMetadata().setUid("00000000-0000-0000-0000-000000000001");
        WorkflowDefinition definition =
            WorkflowDefinition.compile(workflow, Map.of(), FunctionCatalog.ANY);
        TaskPodBuilder builder =
            new TaskPodBuilder(OperatorConfig.from(cluster.settings(Map.of())));
        var client = cluster.cluster.client("bench-setup");
        int made = 0;
        for (TaskDef task : definition.dag().tasks()) {
          if (made++ == pods) {
            break;
          }
          Pod pod = builder.build(workflow, new Action.StartAttempt(task, 1, Map.of()), 1);
          if (settled) {
            pod.getMetadata().getLabels().put(dev.cairn.api.TaskPods.SETTLED, "true");
          }
          finish(pod);
          client.pods().inNamespace(SimulatedCluster.NAMESPACE).resource(pod).create();
        }
        client.close();
        long baseline = liveHeap();
        Map<String, long[]> base = histogramIfAsked();
        cluster.startOperator(Map.of());
        long withOperator = steadyHeap();
        Map<String, long[]> held = histogramIfAsked();
        cluster.cluster.stopOperator();
        cluster.meters.clear();
        long without = liveHeap();
        if (held != null) {
          printLargest(held, base, pods, "pod", 30);
        }
        double operator = Math.max(0, withOperator - Math.min(without, baseline));
        figures.add(
            settled
                ? "operator-heap-finished-pods-settled-mb"
                : "operator-heap-finished-pods-unsettled-mb",
            operator / (1 << 20),
            "MiB",
            pods
                + " finished task pods in the namespace, "
                + (settled
                    ? "settled (left out of the informer): the operator as it runs now"
                    : "not settled (all in the informer, managedFields dropped): as before settling")
                + "; live objects with the operator running minus after it stopped");
      }
    }
  }

  /** A finished pod's status and the managedFields a real API server records for its writers. */
  private static void finish(Pod pod) {
    List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses = new ArrayList<>();
    for (var c : pod.getSpec().getContainers()) {
      statuses.add(terminated(c.getName(), c.getImage()));
    }
    List<io.fabric8.kubernetes.api.model.ContainerStatus> inits = new ArrayList<>();
    for (var c : pod.getSpec().getInitContainers()) {
      inits.add(terminated(c.getName(), c.getImage()));
    }
    String now = Instant.now().toString();
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Succeeded")
            .withHostIP("10.0.0.12")
            .withPodIP("10.244.1.37")
            .withStartTime(now)
            .addNewCondition()
            .withType("Ready")
            .withStatus("False")
            .withReason("PodCompleted")
            .withLastTransitionTime(now)
            .endCondition()
            .addNewCondition()
            .withType("Initialized")
            .withStatus("True")
            .withReason("PodCompleted")
            .withLastTransitionTime(now)
            .endCondition()
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("True")
            .withLastTransitionTime(now)
            .endCondition()
            .withContainerStatuses(statuses)
            .withInitContainerStatuses(inits)
            .build());
    var json = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();
    pod.getMetadata()
        .setManagedFields(
            List.of(
                managed("cairn-operator", "Update", null, fields(json.valueToTree(pod.getSpec()))),
                managed("kubelet", "Update", "status", fields(json.valueToTree(pod.getStatus())))));
  }

  private static io.fabric8.kubernetes.api.model.ContainerStatus terminated(
      String name, String image) {
    return new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
        .withName(name)
        .withImage(image)
        .withImageID(image + "@sha256:" + "a".repeat(64))
        .withContainerID("containerd://" + "b".repeat(64))
        .withReady(false)
        .withRestartCount(0)
        .withNewState()
        .withNewTerminated()
        .withExitCode(0)
        .withReason("Completed")
        .withStartedAt(Instant.now().toString())
        .withFinishedAt(Instant.now().toString())
        .withContainerID("containerd://" + "b".repeat(64))
        .endTerminated()
        .endState()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.ManagedFieldsEntry managed(
      String manager, String operation, String subresource, Object fields) {
    var entry = new io.fabric8.kubernetes.api.model.ManagedFieldsEntry();
    entry.setManager(manager);
    entry.setOperation(operation);
    entry.setSubresource(subresource);
    entry.setApiVersion("v1");
    entry.setFieldsType("FieldsV1");
    entry.setTime(Instant.now().toString());
    entry.setFieldsV1(new io.fabric8.kubernetes.api.model.FieldsV1());
    entry.getFieldsV1().setAdditionalProperty("f:spec", fields);
    return entry;
  }

  /** The API server's field set of a tree: {@code f:name} per field, {@code k:{...}} per item. */
  private static Object fields(com.fasterxml.jackson.databind.JsonNode node) {
    Map<String, Object> set = new LinkedHashMap<>();
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> set.put("f:" + e.getKey(), fields(e.getValue())));
    } else if (node.isArray()) {
      int i = 0;
      for (var item : node) {
        String key =
            item.has("name") ? "k:{\"name\":\"" + item.get("name").asText() + "\"}" : "v:" + i;
        set.put(key, fields(item));
        i++;
      }
    }
    return set;
  }

  private static Workflow apply(SimulatedCluster cluster, Workflow workflow, Duration timeout) {
    cluster.apply(workflow);
    Workflow done = cluster.awaitEnded(workflow.getMetadata().getName(), timeout);
    if (!"Succeeded".equals(done.getStatus().phase)) {
      throw new IllegalStateException(
          workflow.getMetadata().getName()
              + " ended "
              + done.getStatus().phase
              + ": "
              + done.getStatus().message);
    }
    return done;
  }

  /**
   * Bytes of live objects: the total of a class histogram, which the JVM takes after a full GC
   * (more exact than the used heap after System.gc(), which may keep some garbage).
   */
  private static long liveHeap() throws Exception {
    Thread.sleep(1000);
    String histogram =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    java.util.regex.Matcher total =
        java.util.regex.Pattern.compile("Total\\s+\\d+\\s+(\\d+)").matcher(histogram);
    if (!total.find()) {
      throw new IllegalStateException("no total in the class histogram");
    }
    return Long.parseLong(total.group(1));
  }

  /**
   * Live bytes once the operator has taken in what it was sent (the mock API server also replays
   * every pod on the watch that follows the list) and its idle HTTP connections have closed
   * (BenchMain): measured every 2 seconds, past the keep-alive, until two measurements differ by
   * less than 1%.
   */
  private static long steadyHeap() throws Exception {
    Thread.sleep(BenchMain.KEEPALIVE_S * 1000L);
    long last = liveHeap();
    for (int i = 0; i < 60; i++) {
      Thread.sleep(1000);
      long now = liveHeap();
      if (Math.abs(now - last) < last / 100) {
        return now;
      }
      last = now;
    }
    throw new IllegalStateException("the operator's heap did not settle in 2 minutes");
  }

  /**
   * The class histogram once the stopped operator's Workflows are gone from the heap (the benchmark
   * itself holds none). An operator just stopped sometimes still holds its informer's cache for a
   * while: measured then, the heap without it counted every cached Workflow as not the operator's.
   */
  private static Map<String, long[]> released() throws Exception {
    String workflow = dev.cairn.api.v1alpha1.Workflow.class.getName();
    Map<String, long[]> classes = histogram();
    for (int i = 0; i < 120 && classes.getOrDefault(workflow, new long[2])[0] > 0; i++) {
      Thread.sleep(1000);
      classes = histogram();
    }
    long left = classes.getOrDefault(workflow, new long[2])[0];
    if (left > 0) {
      System.out.println("# warning: " + left + " Workflows still held 2 minutes after the stop");
    }
    return classes;
  }

  /** The class histogram with {@code -Dcairn.bench.histogram=true}, else null. */
  private static Map<String, long[]> histogramIfAsked() throws Exception {
    return Boolean.getBoolean("cairn.bench.histogram") ? histogram() : null;
  }

  /** Class name -> {instances, bytes} of live objects (after a full GC). */
  private static Map<String, long[]> histogram() throws Exception {
    String text =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    Map<String, long[]> classes = new HashMap<>();
    java.util.regex.Matcher row =
        java.util.regex.Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)")
            .matcher(text);
    while (row.find()) {
      classes.put(
          row.group(3), new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))});
    }
    return classes;
  }

  /**
   * Prints the classes whose live bytes grew most between {@code after} and {@code before}, per
   * workflow: what the operator holds for each ({@code -Dcairn.bench.histogram=true}).
   */
  private static void printLargest(
      Map<String, long[]> with, Map<String, long[]> without, int workflows, String per, int top) {
    List<Map.Entry<String, long[]>> rows = new ArrayList<>();
    with.forEach(
        (name, counts) -> {
          long[] base = without.getOrDefault(name, new long[2]);
          rows.add(Map.entry(name, new long[] {counts[0] - base[0], counts[1] - base[1]}));
        });
    rows.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
    System.out.println(
        "# live objects held by the operator, per " + per + ": instances, bytes, class");
    for (Map.Entry<String, long[]> row : rows.subList(0, Math.min(top, rows.size()))) {
      System.out.printf(
          java.util.Locale.ROOT,
          "#   %8.1f %9.0f %s%n",
          row.getValue()[0] / (double) workflows,
          row.getValue()[1] / (double) workflows,
          row.getKey());
    }
  }

  private static double percentile(HistogramSnapshot snapshot, double p) {
    for (ValueAtPercentile v : snapshot.percentileValues()) {
      if (Math.abs(v.percentile() - p) < 1e-9) {
        return v.value(TimeUnit.MICROSECONDS);
      }
    }
    return Double.NaN;
  }

  private static double p(List<Double> samples, double q) {
    List<Double> sorted = new ArrayList<>(samples);
    sorted.sort(Double::compare);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }
}
