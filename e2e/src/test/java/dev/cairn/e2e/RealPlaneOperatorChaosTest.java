package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.bench.chaos.ChaosWorkload;
import dev.cairn.bench.chaos.Commits;
import dev.cairn.bench.chaos.Ledger;
import dev.cairn.e2e.chaos.ChaosShape;
import dev.cairn.e2e.chaos.ClusterLedgerCheck;
import dev.cairn.e2e.chaos.FaultMix;
import dev.cairn.e2e.chaos.FaultMix.Fault;
import dev.cairn.e2e.chaos.NodeLosses;
import dev.cairn.e2e.chaos.OperatorReplicas;
import dev.cairn.e2e.chaos.ResettingProxy;
import dev.cairn.e2e.chaos.StalePods;
import dev.cairn.e2e.chaos.StoreChargedAttempts;
import dev.cairn.e2e.chaos.StoreProgress;
import dev.cairn.e2e.cluster.RealPlaneCluster;
import dev.cairn.e2e.plane.ControlPlane;
import dev.cairn.operator.sim.SimulatedKubelet;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The chaos suite's cluster faults on the real plane, while many workflows run. At seeded random
 * moments 0.5 to 6 s apart, one fault of a seeded mix ({@link FaultMix}): the operator's process
 * SIGKILLed (the leader's, with two replicas), the leader's pod deleted so that the standby takes
 * over, a running task pod deleted or evicted, kube-apiserver or etcd killed and restarted, a stale
 * copy of a committed task's pod created again, the store (S3Proxy) stopped for a while, S3 writes
 * and operator requests to the API server made ambiguous (applied, the answer lost) or dropped; and
 * about one first attempt in eight OOM-killed by the kubelet. Every task appends to a ledger
 * outside Cairn (start and end, with its attempt); at the end the ledger is compared with the
 * store, task by task ({@link ClusterLedgerCheck}).
 *
 * <p>Opt-in, since it runs hundreds of pods: {@code -Dcairn.chaos.kills=N} (operator kills and
 * failovers: the run goes on until there were N); {@code -Dcairn.chaos.tasks=100} for the issue's
 * workload (the chaos suite's 97 tasks with a map and a continuation; default 9: a fan-out of 8 and
 * its sum); {@code -Dcairn.chaos.concurrent=20} workflows at once, each ended one replaced while
 * kills remain (default 10); {@code -Dcairn.chaos.replicas=2}; {@code -Dcairn.chaos.mix=...};
 * {@code -Dcairn.chaos.seed=N}; {@code -Dcairn.chaos.parallelism=3} pods of one workflow at once;
 * {@code -Dcairn.chaos.outage=60} seconds of a store outage; {@code -Dcairn.chaos.writes=3} S3
 * writes or API requests broken by one write fault; {@code -Dcairn.chaos.apiBytes=1024,4096} the
 * smallest request an API fault breaks, in turn; {@code -Dcairn.chaos.timeout=30} minutes. Figures
 * in {@code target/e2e/RealPlaneOperatorChaosTest/figures.txt} (docs/reliability.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealPlaneOperatorChaosTest {
  private static final String NAMESPACE = "default";

  private final int replicas = Integer.getInteger("cairn.chaos.replicas", 1);
  private final int outageSeconds = Integer.getInteger("cairn.chaos.outage", 60);
  private final int writesPerFault = Integer.getInteger("cairn.chaos.writes", 3);

  /**
   * Reads of at least this many bytes are what an API fault breaks, each fault the next size of the
   * list: requests with a body (pod creates, status patches, Lease renewals) rather than GETs,
   * pings and acknowledgements; the larger size picks pod creates.
   */
  private final int[] apiRequestBytes =
      java.util.Arrays.stream(System.getProperty("cairn.chaos.apiBytes", "1024,4096").split(","))
          .mapToInt(b -> Integer.parseInt(b.trim()))
          .toArray();

  private int apiFaults;

  private RealPlaneCluster cluster;
  private Path work;

  /** The spare Nodes the mix loses, when it has {@code node-lost}. */
  private NodeLosses nodes;

  /** Between the operator's pods and kube-apiserver, when the mix has API faults. */
  private ResettingProxy apiProxy;

  @BeforeAll
  void start() throws Exception {
    Assumptions.assumeTrue(
        System.getProperty("cairn.chaos.kills") != null,
        "opt-in: -Dcairn.chaos.kills=N (hundreds of pods on this machine)");
    work = Path.of("target", "e2e", getClass().getSimpleName()).toAbsolutePath();
    cluster =
        new RealPlaneCluster(work) {
          @Override
          protected List<String> installValues() {
            List<String> values = new ArrayList<>(super.installValues());
            values.addAll(List.of("--set", "replicaCount=" + replicas));
            // The operator's replicas stay on the plane's Node: the Nodes the mix loses run task
            // pods only (their kubelets run no operator).
            values.addAll(
                List.of("--set", "nodeSelector.kubernetes\\.io/hostname=" + plane().node()));
            if (mix().has(Fault.NODE_LOST)) {
              // The chart's default is 2m: a lost node's evicted pods need not hold their tasks'
              // retries that long here (RealPlaneNodeLostTest does the same).
              values.addAll(List.of("--set", "operator.terminatingTimeout=5s"));
            }
            return values;
          }
        };
    FaultMix mix = mix();
    if (mix.has(Fault.API_AMBIGUOUS) || mix.has(Fault.API_DROPPED)) {
      // The apiserver's certificate names 127.0.0.1, so TLS holds through the proxy's port.
      java.net.URI server = java.net.URI.create(ControlPlane.get().server());
      apiProxy = ResettingProxy.start(server.getHost(), server.getPort());
      cluster.routeOperatorsTo("https://127.0.0.1:" + apiProxy.port());
    }
    cluster.start();
  }

  private FaultMix mix() {
    return FaultMix.parse(
        System.getProperty(
            "cairn.chaos.mix",
            replicas > 1
                ? "kill=0.3,failover=0.3,delete=0.1,evict=0.1,apiserver=0.1,etcd=0.1"
                : "kill=0.6,delete=0.2,evict=0.2"));
  }

  @AfterAll
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
    if (cluster != null) {
      cluster.deleteWorkflows();
      cluster.close();
    }
    if (apiProxy != null) {
      apiProxy.close();
    }
  }

  @Test
  void faultsAtRandomMomentsLoseNothingAndRunNoCommittedTaskAgain() throws Exception {
    int kills = Integer.getInteger("cairn.chaos.kills", 50);
    int concurrent =
        Integer.getInteger(
            "cairn.chaos.concurrent", Integer.getInteger("cairn.chaos.workflows", 10));
    int taskCount = Integer.getInteger("cairn.chaos.tasks", 9);
    int parallelism = Integer.getInteger("cairn.chaos.parallelism", 3);
    long seed = Long.getLong("cairn.chaos.seed", 2026);
    Duration timeout = Duration.ofMinutes(Integer.getInteger("cairn.chaos.timeout", 30));
    FaultMix mix = mix();
    assertThat(replicas > 1 || !mix.has(Fault.FAILOVER))
        .as("a failover needs -Dcairn.chaos.replicas=2")
        .isTrue();
    Random random = new Random(seed);
    System.err.printf(
        Locale.ROOT,
        "[e2e] cluster chaos: seed %d, mix %s, %d kills, %d at once, %d tasks, %d replicas%n",
        seed,
        mix,
        kills,
        concurrent,
        taskCount,
        replicas);
    Path ledgerFile = work.resolve("ledger.txt");
    Files.deleteIfExists(ledgerFile);
    Files.createFile(ledgerFile);
    ledgerFile.toFile().setWritable(true, false);
    // Pod faults cost retries: enough that none runs out.
    var settings = new ChaosWorkload.Cluster(ledgerFile, 10, parallelism);
    ChaosShape shape =
        taskCount >= 50
            ? ChaosShape.full(work.resolve("workload"), settings)
            : ChaosShape.small(work.resolve("workload"), settings, taskCount - 1);

    // OOM kills: about one first attempt in eight, chosen by the pod's name.
    AtomicInteger oomKilled = new AtomicInteger();
    cluster
        .kubelet()
        .tasks()
        .faults(
            pod -> {
              boolean oom =
                  "1".equals(pod.getMetadata().getLabels().get(TaskPods.ATTEMPT))
                      && Math.floorMod(pod.getMetadata().getName().hashCode() ^ seed, 8) == 0;
              if (oom) {
                oomKilled.incrementAndGet();
              }
              return oom ? SimulatedKubelet.Fault.OOM_KILL : SimulatedKubelet.Fault.NONE;
            });
    OperatorReplicas operator = new OperatorReplicas(cluster, replicas);
    StalePods stale = new StalePods(cluster.client(), NAMESPACE);
    if (mix.has(Fault.NODE_LOST)) {
      nodes = new NodeLosses(cluster.kubelet(), cluster.client(), NAMESPACE).start();
    }
    Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
    Map<Fault, List<Double>> millis = new EnumMap<>(Fault.class);
    List<String> names = new ArrayList<>();
    List<String> active = new ArrayList<>();
    StoreProgress progress =
        new StoreProgress(
            cluster.store().orElseThrow(), () -> !active.stream().allMatch(this::ended));
    int killed = 0;
    long started = System.nanoTime();
    Instant runStarted = Instant.now();
    while (killed < kills) {
      active.removeIf(this::ended);
      while (active.size() < concurrent) {
        submit(shape, names, active);
      }
      Thread.sleep(500 + random.nextInt(5500));
      if (mix.has(Fault.STALE_POD)) {
        stale.save();
      }
      Fault fault = mix.draw(random);
      Double ms =
          switch (fault) {
            case KILL -> operator.killLeader();
            case FAILOVER -> operator.failover();
            case DELETE, EVICT -> podFault(fault, random) ? 0.0 : null;
            case APISERVER -> restart("kube-apiserver");
            case ETCD -> restart("etcd");
            case STALE_POD -> stale.deliver(random, this::committed) ? 0.0 : null;
            case STORE_OUTAGE -> storeOutage(progress, () -> submit(shape, names, active));
            case S3_AMBIGUOUS, S3_DROPPED -> s3Writes(fault, progress);
            case API_AMBIGUOUS, API_DROPPED -> apiRequests(fault, progress);
            case NODE_LOST -> nodes.lose(random);
          };
      if (ms == null) {
        continue; // nothing to hit at that moment (no running pod, no saved copy)
      }
      counts.merge(fault, 1, Integer::sum);
      if (!ms.isNaN()) { // NaN: every workflow ended before anything could be timed
        millis.computeIfAbsent(fault, f -> new ArrayList<>()).add(ms);
      }
      if (fault == Fault.KILL || fault == Fault.FAILOVER) {
        killed++;
      }
      if (System.nanoTime() - started > timeout.toNanos()) {
        break; // out of time: the figures are still counted, and the kills fall short
      }
    }
    // Past the timeout the workflows still running count as stuck: the figures are printed all
    // the same, since a run of an hour that prints nothing tells nothing of what went wrong.
    while (!names.stream().allMatch(this::ended)
        && System.nanoTime() - started < timeout.toNanos()) {
      Thread.sleep(1000);
    }
    // Late stale copies: workflows that ended, each handed an old pod of its own.
    if (mix.has(Fault.STALE_POD)) {
      for (int i = 0; i < 3 && stale.deliver(random, this::committed); i++) {
        counts.merge(Fault.STALE_POD, 1, Integer::sum);
      }
    }
    StalePods.Outcome staleOutcome = mix.has(Fault.STALE_POD) ? stale.awaitSettled() : null;
    double seconds = (System.nanoTime() - started) / 1e9;

    // The ledger against the store, every task of every workflow.
    Ledger ledger = new Ledger(ledgerFile);
    List<Ledger.Entry> entries = ledger.read();
    Map<String, List<Ledger.Entry>> byWorkflow = new HashMap<>();
    for (Ledger.Entry e : entries) {
      String wf = e.workflow().contains("/") ? e.workflow() : NAMESPACE + "/" + e.workflow();
      byWorkflow.computeIfAbsent(wf, k -> new ArrayList<>()).add(e);
    }
    var store = cluster.store().orElseThrow();
    int wrongWorkflows = 0;
    int executions = 0;
    int retries = 0;
    int inFlight = 0;
    int duplicates = 0;
    int lost = 0;
    int wrongValues = 0;
    int withoutExecution = 0;
    int committedAgain = 0;
    int attemptTwice = 0;
    int damaged = 0;
    List<String> storeCharged = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    for (String name : names) {
      Workflow w =
          cluster.client().resources(Workflow.class).inNamespace(NAMESPACE).withName(name).get();
      boolean succeeded =
          w != null
              && w.getStatus() != null
              && "Succeeded".equals(w.getStatus().phase)
              && w.getStatus().output != null
              && w.getStatus().output.asLong() == shape.expectedOutput();
      if (!succeeded) {
        wrongWorkflows++;
        violations.add(
            name
                + ": "
                + (w == null || w.getStatus() == null
                    ? "no status"
                    : w.getStatus().phase
                        + " "
                        + w.getStatus().output
                        + " "
                        + w.getStatus().message));
      }
      String id = NAMESPACE + "/" + name;
      var v =
          ClusterLedgerCheck.check(
              shape, byWorkflow.getOrDefault(id, List.of()), Commits.read(store, id), succeeded);
      executions += v.executions();
      retries += v.retries();
      inFlight += v.reexecutedInFlight();
      duplicates += v.duplicateCommits();
      lost += v.lostResults();
      wrongValues += v.wrongValues();
      withoutExecution += v.commitsWithoutExecution();
      committedAgain += v.reexecutedCommitted();
      attemptTwice += v.attemptRunTwice();
      damaged += v.damaged();
      v.violations().forEach(x -> violations.add(name + ": " + x));
      new dev.cairn.core.store.WorkflowCheckpoints(store, dev.cairn.core.spec.WorkflowId.parse(id))
          .loadTasks().values().stream()
              .map(List::of)
              .map(StoreChargedAttempts::of)
              .flatMap(List::stream)
              .forEach(x -> storeCharged.add(name + ": " + x));
    }
    storeCharged.forEach(x -> violations.add("charged to the store: " + x));
    int tasks = names.size() * shape.executedTasks().size();
    Instant runEnded = Instant.now();

    StringBuilder figures = new StringBuilder();
    java.util.function.BiConsumer<String, Object> figure =
        (k, val) ->
            figures.append("cluster-chaos-").append(k).append(": ").append(val).append('\n');
    figure.accept("seed", seed);
    figure.accept("mix", mix);
    figure.accept(
        "workflows",
        names.size()
            + " ("
            + concurrent
            + " at once, "
            + shape.committedTasks().size()
            + " task ids each, "
            + shape.executedTasks().size()
            + " of them commands)");
    figure.accept("operator-replicas", replicas);
    figure.accept("kills", killed + " (SIGKILLs of the leader's process and failovers)");
    for (Fault f : Fault.values()) {
      List<Double> ms = millis.getOrDefault(f, List.of());
      String timing =
          switch (f) {
            case KILL -> "restart";
            case FAILOVER -> "takeover";
            case APISERVER, ETCD -> "back";
            case NODE_LOST -> "its pods gone";
            default -> "next commit";
          };
      boolean timed = f != Fault.DELETE && f != Fault.EVICT && f != Fault.STALE_POD;
      figure.accept(
          "faults-" + f.name().toLowerCase(Locale.ROOT).replace('_', '-'),
          counts.getOrDefault(f, 0)
              + (timed && !ms.isEmpty() ? ", " + timing + " ms " + spread(ms) : ""));
    }
    figure.accept("faults-oom-killed", oomKilled.get() + " first attempts");
    if (nodes != null) {
      figure.accept(
          "node-lost-pods",
          nodes.podsLost()
              + " task pods running on the lost nodes ("
              + nodes.partitions()
              + " of the losses partitions, the others power)");
    }
    if (mix.has(Fault.STORE_OUTAGE)) {
      figure.accept("store-outage-seconds", outageSeconds + " each");
    }
    if (mix.has(Fault.S3_AMBIGUOUS) || mix.has(Fault.S3_DROPPED)) {
      figure.accept(
          "s3-writes-broken", cluster.s3().writeFaultsInjected() + " (answers lost or dropped)");
    }
    if (apiProxy != null) {
      var cut = apiProxy.injected();
      figure.accept(
          "api-requests-broken",
          cut.size()
              + " ("
              + cut.stream().filter(c -> c.how() == ResettingProxy.Reset.AFTER_FORWARDING).count()
              + " after forwarding, "
              + cut.stream().filter(ResettingProxy.Injected::answerSwallowed).count()
              + " with bytes back from the server first; bytes sent: "
              + cut.stream().map(ResettingProxy.Injected::bytes).toList()
              + ")");
      apiFigures(cut, runStarted, runEnded).forEach(figure);
    }
    if (mix.has(Fault.STORE_OUTAGE)) {
      figure.accept(
          "store-unavailable-events",
          cluster.client().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                  .filter(e -> "StoreUnavailable".equals(e.getReason()))
                  // Events outlive their workflows: an earlier run's are not this run's.
                  .filter(
                      e ->
                          e.getLastTimestamp() != null
                              && !Instant.parse(e.getLastTimestamp()).isBefore(runStarted))
                  .count()
              + " (the operator's StoreUnavailable Events, one per workflow and outage)");
    }
    figure.accept("task-executions", executions + " for " + tasks + " command tasks");
    figure.accept(
        "retried-failures", retries + " (planned: " + names.size() * shape.designedRetries() + ")");
    figure.accept("store-charged-retries", storeCharged.size());
    figure.accept("reexecuted-in-flight", inFlight + " (a pod fault ended the execution)");
    figure.accept("duplicate-commits", duplicates);
    figure.accept("lost-results", lost);
    figure.accept("wrong-values", wrongValues);
    figure.accept("commits-without-execution", withoutExecution);
    figure.accept("reexecuted-committed", committedAgain);
    figure.accept("attempt-run-twice", attemptTwice);
    figure.accept("damaged-commits", damaged);
    figure.accept("stuck-or-wrong-workflows", wrongWorkflows);
    figure.accept("ledger-torn-lines", ledger.malformed());
    if (staleOutcome != null) {
      figure.accept("stale-pods", staleOutcome);
    }
    figure.accept("seconds", String.format(Locale.ROOT, "%.0f", seconds));
    violations.forEach(x -> figures.append("# ").append(x).append('\n'));
    Files.writeString(work.resolve("figures.txt"), figures);
    System.err.println("[e2e] cluster chaos:\n" + figures);

    assertThat(killed).isEqualTo(kills);
    String all = figures.toString();
    assertThat(duplicates).as(all).isZero();
    assertThat(lost).as(all).isZero();
    assertThat(wrongValues).as(all).isZero();
    assertThat(withoutExecution).as(all).isZero();
    assertThat(committedAgain).as(all).isZero();
    assertThat(attemptTwice).as(all).isZero();
    assertThat(damaged).as(all).isZero();
    assertThat(wrongWorkflows).as(all).isZero();
    assertThat(ledger.malformed()).as(all).isZero();
    assertThat(storeCharged).as(all).isEmpty();
    if (staleOutcome != null) {
      assertThat(staleOutcome.ranOrLive()).as(all).isZero();
    }
  }

  /** Creates the next workflow of the run. */
  private void submit(ChaosShape shape, List<String> names, List<String> active) {
    String name = "chaos-" + names.size();
    cluster
        .client()
        .resource(dev.cairn.core.spec.WorkflowParser.parse(shape.manifest(name), "chaos"))
        .inNamespace(NAMESPACE)
        .create();
    names.add(name);
    active.add(name);
  }

  /**
   * What the API faults hit, read from the plane's audit log: for each request cut after it was
   * forwarded, the operator's last write received before the reset (the likeliest one cut; several
   * may be in flight), and the pod creates the API server refused as already done (409): creates
   * that a reset made ambiguous, sent again by the client and found applied.
   */
  private Map<String, Object> apiFigures(
      List<ResettingProxy.Injected> cut, Instant from, Instant to) {
    String operator = "system:serviceaccount:" + cluster.operatorNamespace() + ":cairn";
    List<dev.cairn.e2e.plane.AuditLog.Request> writes =
        cluster.plane().auditLog().requests(operator, from).stream()
            .filter(dev.cairn.e2e.plane.AuditLog.Request::write)
            .filter(r -> r.received().isBefore(to))
            .toList();
    Map<String, Long> hit = new java.util.TreeMap<>();
    for (ResettingProxy.Injected c : cut) {
      if (c.how() != ResettingProxy.Reset.AFTER_FORWARDING) {
        continue;
      }
      writes.stream()
          .filter(r -> !r.received().isAfter(c.at()))
          .filter(r -> r.received().isAfter(c.at().minusMillis(ResettingProxy.ANSWER_WAIT_MS)))
          .max(java.util.Comparator.comparing(dev.cairn.e2e.plane.AuditLog.Request::received))
          .ifPresent(r -> hit.merge(r.action() + " " + r.code(), 1L, Long::sum));
    }
    Map<String, Object> figures = new java.util.LinkedHashMap<>();
    figures.put("api-ambiguous-last-write-before-reset", hit);
    figures.put(
        "api-creates-found-applied",
        writes.stream().filter(r -> r.action().equals("create pods") && r.code() == 409).count()
            + " pod creates answered 409 AlreadyExists");
    return figures;
  }

  /**
   * S3Proxy stopped, dropping requests in flight, and started again on its port with its data after
   * the outage; the other faults wait meanwhile. Returns the milliseconds from the restart to the
   * next commit: the operator and the task pods proceeding again.
   */
  private Double storeOutage(StoreProgress progress, Runnable submit) throws InterruptedException {
    cluster.s3().stop();
    // One more workflow, submitted while the store is away: the operator must wait to start it.
    submit.run();
    Thread.sleep(outageSeconds * 1000L);
    cluster.s3().restart();
    long back = System.nanoTime();
    int before;
    while ((before = progress.commits()) < 0) {
      Thread.sleep(100); // the test's own client waits for the server too
    }
    Double ms = progress.millisUntilCommitBeyond(before, Duration.ofMinutes(5));
    return ms != null && ms.isNaN() ? ms : (System.nanoTime() - back) / 1e6;
  }

  /**
   * The next S3 writes (of the operator and the task pods alike) applied with their answer lost, or
   * dropped after they were sent; the milliseconds from the last one to the next commit, or null
   * when no write came within a minute.
   */
  private Double s3Writes(Fault fault, StoreProgress progress) throws InterruptedException {
    var s3 = cluster.s3();
    int before = s3.writeFaultsInjected();
    if (fault == Fault.S3_AMBIGUOUS) {
      s3.loseAnswersOfNextWrites(writesPerFault, key -> true);
    } else {
      s3.dropNextWrites(writesPerFault, key -> true);
    }
    return afterInjections(
        s3::writeFaultsInjected,
        before,
        () -> {
          s3.loseAnswersOfNextWrites(0, key -> false);
          s3.dropNextWrites(0, key -> false);
        },
        progress);
  }

  /** The operator's next requests with a body cut after or before they reach kube-apiserver. */
  private Double apiRequests(Fault fault, StoreProgress progress) throws InterruptedException {
    int before = apiProxy.injected().size();
    apiProxy.resetNext(
        writesPerFault,
        fault == Fault.API_AMBIGUOUS
            ? ResettingProxy.Reset.AFTER_FORWARDING
            : ResettingProxy.Reset.BEFORE_FORWARDING,
        // In turn: any request with a body, then only large ones (pod creates are about 6 KB).
        apiRequestBytes[apiFaults++ % apiRequestBytes.length]);
    return afterInjections(() -> apiProxy.injected().size(), before, apiProxy::disarm, progress);
  }

  /**
   * Waits up to a minute for the armed faults to hit, disarms what is left, then measures the
   * milliseconds until the next commit (5 min at most: a run that stalls shows as stuck at the
   * end); null when nothing was hit.
   */
  private Double afterInjections(
      java.util.function.IntSupplier injected, int before, Runnable disarm, StoreProgress progress)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    for (int i = 1;
        injected.getAsInt() < before + writesPerFault && System.nanoTime() < deadline;
        i++) {
      if (i % 40 == 0 && !progress.running()) {
        break; // no workflow left to write anything
      }
      Thread.sleep(50);
    }
    disarm.run(); // what was not hit by now is not counted as hit later
    Thread.sleep(ResettingProxy.ANSWER_WAIT_MS + 200); // a reset awaiting its answer is recorded
    if (injected.getAsInt() == before) {
      return null;
    }
    long start = System.nanoTime();
    Double ms = progress.millisUntilCommitBeyond(progress.commits(), Duration.ofMinutes(5));
    return ms != null ? ms : (System.nanoTime() - start) / 1e6;
  }

  /** A running task pod deleted or evicted; false when none was running. */
  private boolean podFault(Fault fault, Random random) {
    List<Pod> running =
        cluster
            .client()
            .pods()
            .inNamespace(NAMESPACE)
            .withLabel(TaskPods.WORKFLOW)
            .list()
            .getItems()
            .stream()
            .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .toList();
    if (running.isEmpty()) {
      return false;
    }
    Pod victim = running.get(random.nextInt(running.size()));
    var named =
        cluster.client().pods().inNamespace(NAMESPACE).withName(victim.getMetadata().getName());
    if (fault == Fault.DELETE) {
      return !named.delete().isEmpty();
    }
    return named.evict();
  }

  /** Whether the task of a saved pod of {@code workflow} has committed. */
  private boolean committed(String workflow, Pod pod) {
    var annotations = pod.getMetadata().getAnnotations();
    try {
      return new dev.cairn.core.store.WorkflowCheckpoints(
              cluster.store().orElseThrow(),
              dev.cairn.core.spec.WorkflowId.parse(NAMESPACE + "/" + workflow))
          .readCommit(annotations.get(TaskPods.TASK_ID), annotations.get(TaskPods.DIGEST))
          .isPresent();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Kills a component of the plane and starts it again; the milliseconds until it answers. */
  private double restart(String component) throws Exception {
    long t = System.nanoTime();
    cluster.plane().restart(component);
    return (System.nanoTime() - t) / 1e6;
  }

  private boolean ended(String name) {
    try {
      Workflow w =
          cluster.client().resources(Workflow.class).inNamespace(NAMESPACE).withName(name).get();
      String phase = w == null || w.getStatus() == null ? null : w.getStatus().phase;
      return "Succeeded".equals(phase) || "Failed".equals(phase) || "Canceled".equals(phase);
    } catch (RuntimeException e) {
      return false; // the API server is away (a restart): not ended as far as we know
    }
  }

  private static String spread(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return String.format(
        Locale.ROOT,
        "median %.0f, max %.0f (each: %s)",
        sorted.get(sorted.size() / 2),
        sorted.get(sorted.size() - 1),
        values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
  }
}
