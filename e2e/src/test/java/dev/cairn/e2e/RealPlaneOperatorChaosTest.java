package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.e2e.cluster.RealPlaneCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The chaos suite's cluster faults on the real plane, while many workflows run: at seeded random
 * moments 0.5 to 6 s apart, the operator's process SIGKILLed (each kill once the restarted operator
 * is up), or a running task pod deleted or evicted; and about one first attempt in eight OOM-killed
 * by the kubelet. Every task appends to a ledger outside Cairn (start and finish, with its
 * attempt); at the end the ledger is compared with the store. Opt-in, since it runs hundreds of
 * pods: {@code mvn -pl e2e -am verify -Dtest=RealPlaneOperatorChaosTest -Dcairn.chaos.kills=50
 * [-Dcairn.chaos.workflows=20] [-Dcairn.chaos.seed=N]}; figures in {@code
 * target/e2e/RealPlaneOperatorChaosTest/figures.txt} (docs/reliability.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealPlaneOperatorChaosTest {
  private static final int FAN = 8;
  private static final Duration TIMEOUT = Duration.ofMinutes(30);

  private RealPlaneCluster cluster;
  private Path work;

  @BeforeAll
  void start() throws Exception {
    Assumptions.assumeTrue(
        System.getProperty("cairn.chaos.kills") != null,
        "opt-in: -Dcairn.chaos.kills=N (hundreds of pods on this machine)");
    work = Path.of("target", "e2e", getClass().getSimpleName()).toAbsolutePath();
    cluster = new RealPlaneCluster(work);
    cluster.start();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.deleteWorkflows();
      cluster.close();
    }
  }

  /** A fan-out of FAN tasks (values 1..FAN) and their sum: 36 for FAN = 8. */
  private static String manifest(String name, Path ledger) {
    String log =
        "echo \\\"%s $CAIRN_WORKFLOW $CAIRN_TASK $CAIRN_ATTEMPT $$ $(date +%%s%%N)\\\" >> "
            + ledger;
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: "
                + name
                + ", namespace: default}\nspec:\n  output: total\n  parallelism: 3\n"
                // Pod faults cost retries: enough that none runs out.
                + "  defaults: {maxRetries: 10}\n  tasks:\n");
    List<String> refs = new ArrayList<>();
    for (int i = 1; i <= FAN; i++) {
      yaml.append("  - name: p").append(i).append('\n');
      yaml.append("    command: [sh, -c, \"")
          .append(log.formatted("start"))
          .append("; sleep 0.5; echo ")
          .append(i)
          .append(" > $CAIRN_OUTPUT; ")
          .append(log.formatted("finish"))
          .append("\"]\n");
      refs.add("{$task: p" + i + "}");
    }
    yaml.append("  - name: total\n    command: [sh, -c, \"")
        .append(log.formatted("start"))
        .append("; echo $(( $(tr -d '[] ' < $CAIRN_INPUT | tr , +) )) > $CAIRN_OUTPUT; ")
        .append(log.formatted("finish"))
        .append("\"]\n    args: [")
        .append(String.join(", ", refs))
        .append("]\n");
    return yaml.toString();
  }

  record Line(String kind, String workflow, String task, int attempt, long nanos) {}

  @Test
  void theOperatorKilledAtRandomMomentsLosesNothingAndRunsNoCommittedTaskAgain() throws Exception {
    int kills = Integer.getInteger("cairn.chaos.kills", 50);
    int workflows = Integer.getInteger("cairn.chaos.workflows", 20);
    long seed = Long.getLong("cairn.chaos.seed", 2026);
    Random random = new Random(seed);
    Path ledger = work.resolve("ledger.txt");
    Files.deleteIfExists(ledger);
    Files.createFile(ledger);
    ledger.toFile().setWritable(true, false);

    // OOM kills: about one first attempt in eight, chosen by the pod's name.
    java.util.concurrent.atomic.AtomicInteger oomKilled =
        new java.util.concurrent.atomic.AtomicInteger();
    cluster
        .kubelet()
        .tasks()
        .faults(
            pod -> {
              boolean oom =
                  "1".equals(pod.getMetadata().getLabels().get(dev.cairn.api.TaskPods.ATTEMPT))
                      && Math.floorMod(pod.getMetadata().getName().hashCode() ^ seed, 8) == 0;
              if (oom) {
                oomKilled.incrementAndGet();
              }
              return oom
                  ? dev.cairn.operator.sim.SimulatedKubelet.Fault.OOM_KILL
                  : dev.cairn.operator.sim.SimulatedKubelet.Fault.NONE;
            });
    int podsDeleted = 0;
    int podsEvicted = 0;
    List<String> names = new ArrayList<>();
    int killed = 0;
    List<Double> recoveries = new ArrayList<>();
    long started = System.nanoTime();
    int batch = 0;
    while (killed < kills || !allDone(names)) {
      if (allDone(names) && killed < kills) {
        // Every workflow ended before the kills did: the next batch.
        for (int i = 0; i < workflows; i++) {
          String name = "chaos-" + batch + "-" + i;
          names.add(name);
          cluster
              .client()
              .resource(dev.cairn.core.spec.WorkflowParser.parse(manifest(name, ledger), "chaos"))
              .create();
        }
        batch++;
      }
      if (killed >= kills) {
        Thread.sleep(1000);
        assertThat(System.nanoTime() - started).isLessThan(TIMEOUT.toNanos());
        continue;
      }
      Thread.sleep(500 + random.nextInt(5500));
      double pick = random.nextDouble();
      if (pick < 0.4) {
        // A running task pod deleted (a drain, a user) or evicted (the Eviction API).
        List<io.fabric8.kubernetes.api.model.Pod> running =
            cluster.client().pods().inNamespace("default").list().getItems().stream()
                .filter(p -> p.getMetadata().getLabels() != null)
                .filter(
                    p -> p.getMetadata().getLabels().containsKey(dev.cairn.api.TaskPods.WORKFLOW))
                .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
        if (!running.isEmpty()) {
          var victim = running.get(random.nextInt(running.size()));
          var named =
              cluster
                  .client()
                  .pods()
                  .inNamespace("default")
                  .withName(victim.getMetadata().getName());
          if (pick < 0.2) {
            named.delete();
            podsDeleted++;
          } else if (named.evict()) {
            podsEvicted++;
          }
        }
        continue;
      }
      Map<String, Long> pids = cluster.kubelet().operatorPids();
      if (pids.isEmpty()) {
        continue;
      }
      long pid = pids.values().iterator().next();
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      killed++;
      long killedAt = System.nanoTime();
      await("the operator restarted after kill " + killed)
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  !cluster.kubelet().operatorPids().isEmpty()
                      && !cluster.kubelet().operatorPids().containsValue(pid));
      recoveries.add((System.nanoTime() - killedAt) / 1e6);
      assertThat(System.nanoTime() - started).isLessThan(TIMEOUT.toNanos());
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    // The ledger against the store.
    Map<String, List<Line>> byTask = new HashMap<>();
    for (String raw : Files.readAllLines(ledger)) {
      String[] p = raw.trim().split(" ");
      if (p.length < 6) {
        continue;
      }
      Line line = new Line(p[0], p[1], p[2], Integer.parseInt(p[3]), Long.parseLong(p[5]));
      byTask.computeIfAbsent(line.workflow() + "/" + line.task(), k -> new ArrayList<>()).add(line);
    }
    CheckpointStore store = cluster.store().orElseThrow();
    int wrongOutputs = 0;
    int missingCommits = 0;
    int reexecutedCommitted = 0;
    int overlapping = 0;
    int executions = 0;
    int tasks = 0;
    List<String> violations = new ArrayList<>();
    for (String name : names) {
      Workflow w =
          cluster.client().resources(Workflow.class).inNamespace("default").withName(name).get();
      if (w == null
          || w.getStatus() == null
          || !"Succeeded".equals(w.getStatus().phase)
          || w.getStatus().output == null
          || w.getStatus().output.asInt() != 36) {
        wrongOutputs++;
        violations.add(
            name
                + ": "
                + (w == null || w.getStatus() == null
                    ? "no status"
                    : w.getStatus().phase + " " + w.getStatus().output));
      }
      Map<String, CommitRecord> commits = new HashMap<>();
      for (StoredTask t :
          new WorkflowCheckpoints(store, WorkflowId.parse("default/" + name))
              .loadTasks()
              .values()) {
        if (t.commit() != null) {
          commits.put(t.commit().task(), t.commit());
        }
      }
      for (int i = 0; i <= FAN; i++) {
        String task = i == FAN ? "total" : "p" + (i + 1);
        tasks++;
        CommitRecord commit = commits.get(task);
        List<Line> lines =
            byTask.getOrDefault(
                "default/" + name + "/" + task, byTask.getOrDefault(name + "/" + task, List.of()));
        List<Line> starts = lines.stream().filter(l -> l.kind().equals("start")).toList();
        executions += starts.size();
        if (commit == null) {
          missingCommits++;
          violations.add(name + "/" + task + ": no commit");
          continue;
        }
        for (Line s : starts) {
          if (s.attempt() > commit.attempt()) {
            reexecutedCommitted++;
            violations.add(
                name
                    + "/"
                    + task
                    + ": attempt "
                    + s.attempt()
                    + " started after attempt "
                    + commit.attempt()
                    + " was committed");
          }
        }
        // Two executions of one task at once: a start before the previous one's finish.
        List<Line> ordered = new ArrayList<>(lines);
        ordered.sort(java.util.Comparator.comparingLong(Line::nanos));
        int running = 0;
        for (Line l : ordered) {
          running += l.kind().equals("start") ? 1 : -1;
          if (running > 1) {
            overlapping++;
            violations.add(name + "/" + task + ": two executions at once");
            break;
          }
          running = Math.max(running, 0);
        }
      }
    }
    recoveries.sort(Double::compare);
    StringBuilder figures = new StringBuilder();
    figures.append(String.format(Locale.ROOT, "operator-chaos-seed: %d%n", seed));
    figures.append(String.format(Locale.ROOT, "operator-chaos-kills: %d SIGKILLs%n", killed));
    figures.append(
        String.format(
            Locale.ROOT,
            "operator-chaos-pod-faults: %d deleted, %d evicted, %d OOM-killed%n",
            podsDeleted,
            podsEvicted,
            oomKilled.get()));
    figures.append(
        String.format(
            Locale.ROOT,
            "operator-chaos-workflows: %d (%d batches of %d, %d tasks each)%n",
            names.size(),
            batch,
            workflows,
            FAN + 1));
    figures.append(
        String.format(
            Locale.ROOT, "operator-chaos-task-executions: %d for %d tasks%n", executions, tasks));
    figures.append(
        String.format(
            Locale.ROOT, "operator-chaos-reexecuted-in-flight: %d%n", executions - tasks));
    figures.append(
        String.format(
            Locale.ROOT, "operator-chaos-reexecuted-committed: %d%n", reexecutedCommitted));
    figures.append(
        String.format(Locale.ROOT, "operator-chaos-concurrent-executions: %d%n", overlapping));
    figures.append(String.format(Locale.ROOT, "operator-chaos-lost-results: %d%n", missingCommits));
    figures.append(
        String.format(Locale.ROOT, "operator-chaos-stuck-or-wrong-workflows: %d%n", wrongOutputs));
    if (!recoveries.isEmpty()) {
      figures.append(
          String.format(
              Locale.ROOT,
              "operator-chaos-restart-ms: median %.0f, max %.0f%n",
              recoveries.get(recoveries.size() / 2),
              recoveries.get(recoveries.size() - 1)));
    }
    figures.append(String.format(Locale.ROOT, "operator-chaos-seconds: %.0f%n", seconds));
    violations.forEach(v -> figures.append("# ").append(v).append('\n'));
    Files.writeString(work.resolve("figures.txt"), figures);
    System.err.println("[e2e] operator chaos:\n" + figures);

    assertThat(killed).isEqualTo(kills);
    assertThat(reexecutedCommitted).as(figures.toString()).isZero();
    assertThat(overlapping).as(figures.toString()).isZero();
    assertThat(missingCommits).as(figures.toString()).isZero();
    assertThat(wrongOutputs).as(figures.toString()).isZero();
  }

  private boolean allDone(List<String> names) {
    for (String name : names) {
      Workflow w =
          cluster.client().resources(Workflow.class).inNamespace("default").withName(name).get();
      String phase = w == null || w.getStatus() == null ? null : w.getStatus().phase;
      if (!"Succeeded".equals(phase) && !"Failed".equals(phase) && !"Canceled".equals(phase)) {
        return false;
      }
    }
    return true;
  }
}
