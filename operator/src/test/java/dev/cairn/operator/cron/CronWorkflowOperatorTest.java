package dev.cairn.operator.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.CronWorkflow;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import dev.cairn.operator.sim.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CronWorkflow controller on the mock API server, alone (no Workflow controller: a test plays
 * the runs' phases), with a clock the test moves. The controller looks again every 100 ms, so a
 * moved clock is seen at once.
 */
class CronWorkflowOperatorTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private TestCluster cluster;
  private KubernetesClient client;
  private MutableClock clock;
  private final List<Operator> operators = new ArrayList<>();
  private final List<KubernetesClient> clients = new ArrayList<>();

  /** The first minute boundary of a 5-minute schedule after the CronWorkflow is created. */
  private Instant first;

  @BeforeEach
  void setUp() {
    cluster = new TestCluster(null, null);
    client = cluster.client();
    createCrd("/META-INF/fabric8/cronworkflows.cairn.dev-v1.yml");
    // The API server stamps creationTimestamp with the real time: the test clock starts there,
    // and the CronWorkflow must be created before the first scheduled time the tests expect. Near
    // a 5-minute boundary, wait until it has passed.
    Instant now = Instant.now();
    if (Duration.between(now, nextFiveMinutes(now)).compareTo(Duration.ofSeconds(10)) < 0) {
      try {
        Thread.sleep(Duration.between(now, nextFiveMinutes(now)).toMillis() + 100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      now = Instant.now();
    }
    clock = new MutableClock(now);
    first = nextFiveMinutes(now);
  }

  private static Instant nextFiveMinutes(Instant now) {
    Instant t = now.truncatedTo(ChronoUnit.HOURS);
    while (!t.isAfter(now)) {
      t = t.plus(Duration.ofMinutes(5));
    }
    return t;
  }

  @AfterEach
  void tearDown() {
    operators.forEach(Operator::stop);
    clients.forEach(KubernetesClient::close);
    cluster.close();
  }

  private void createCrd(String resource) {
    try (InputStream in = CronWorkflow.class.getResourceAsStream(resource)) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(
              client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
          .create();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts a cron controller (one more each call: a restart, or a second replica). */
  private void startOperator() {
    KubernetesClient own = cluster.client("cron-operator-" + operators.size());
    clients.add(own);
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(own)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false));
    CronWorkflows.register(operator, own, Set.of(), clock, Duration.ofMillis(100));
    operator.start();
    operators.add(operator);
  }

  private void stopOperators() {
    operators.forEach(Operator::stop);
    operators.clear();
  }

  private CronWorkflow apply(String name, String specYaml) {
    String yaml =
        "apiVersion: cairn.dev/v1alpha1\nkind: CronWorkflow\nmetadata:\n  name: "
            + name
            + "\n  namespace: default\nspec:\n"
            + specYaml.indent(2)
            + "  workflowSpec:\n"
            + "    tasks:\n"
            + "      - name: hello\n"
            + "        command: [echo, hi]\n";
    return client
        .resource(client.getKubernetesSerialization().unmarshal(yaml, CronWorkflow.class))
        .create();
  }

  private CronWorkflow cron(String name) {
    return client.resources(CronWorkflow.class).inNamespace("default").withName(name).get();
  }

  private List<Workflow> runs() {
    List<Workflow> runs =
        new ArrayList<>(client.resources(Workflow.class).inNamespace("default").list().getItems());
    runs.sort(Comparator.comparing(w -> w.getMetadata().getName()));
    return runs;
  }

  private List<String> runNames() {
    return runs().stream().map(w -> w.getMetadata().getName()).toList();
  }

  private CronWorkflow awaitCron(String name, Predicate<CronWorkflow> condition) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> cron(name), c -> c != null && c.getStatus() != null && condition.test(c));
  }

  private List<String> awaitRuns(int count) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(this::runNames, names -> names.size() == count);
  }

  /** Waits for {@code millis}, then checks that {@code names} still are the runs: nothing more. */
  private void assertStaysAt(List<String> names, long millis) throws InterruptedException {
    Thread.sleep(millis);
    assertThat(runNames()).containsExactlyInAnyOrderElementsOf(names);
  }

  private void finish(String run, String phase) {
    Workflow w = client.resources(Workflow.class).inNamespace("default").withName(run).get();
    w.setStatus(new WorkflowStatus());
    w.getStatus().phase = phase;
    client.resource(w).updateStatus();
  }

  private static String run(String cron, Instant t) {
    return CronRuns.name(cron, t);
  }

  @Test
  void startsOneOwnedRunAtTheScheduledTimeAndRecordsTheStatus() throws Exception {
    CronWorkflow cron = apply("tick", "schedule: \"*/5 * * * *\"");
    startOperator();
    CronWorkflow waiting = awaitCron("tick", c -> c.getStatus().nextScheduleTime != null);
    assertThat(waiting.getStatus().nextScheduleTime).isEqualTo(first.toString());
    assertThat(runs()).isEmpty();

    clock.set(first.plusSeconds(2));
    awaitRuns(1);
    Workflow run = runs().get(0);
    assertThat(run.getMetadata().getName())
        .isEqualTo("tick-" + first.getEpochSecond() / 60)
        .isEqualTo(run("tick", first));
    assertThat(run.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("CronWorkflow");
              assertThat(o.getName()).isEqualTo("tick");
              assertThat(o.getUid()).isEqualTo(cron.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
    assertThat(run.getSpec().tasks)
        .singleElement()
        .satisfies(t -> assertThat(t.name).isEqualTo("hello"));
    assertThat(run.getMetadata().getAnnotations())
        .containsEntry(CronRuns.SCHEDULED_TIME, first.toString());
    CronWorkflow status =
        awaitCron("tick", c -> first.toString().equals(c.getStatus().lastScheduleTime));
    assertThat(status.getStatus().active).containsExactly(run.getMetadata().getName());
    assertThat(status.getStatus().activeCount).isEqualTo(1);
    assertThat(status.getStatus().nextScheduleTime)
        .isEqualTo(first.plus(Duration.ofMinutes(5)).toString());
    assertThat(status.getStatus().conditions)
        .singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
    assertStaysAt(List.of(run.getMetadata().getName()), 400);
  }

  @Test
  void forbidHoldsTheNextRunUntilTheActiveOneFinishes() throws Exception {
    apply("forbid", "schedule: \"*/5 * * * *\"\nconcurrencyPolicy: Forbid");
    startOperator();
    clock.set(first);
    awaitRuns(1);
    Instant second = first.plus(Duration.ofMinutes(5));
    clock.set(second.plusSeconds(30));
    CronWorkflow held =
        awaitCron(
            "forbid",
            c -> c.getStatus().message != null && c.getStatus().message.contains("Forbid"));
    assertThat(held.getStatus().message).contains(run("forbid", first));
    assertStaysAt(List.of(run("forbid", first)), 300);

    finish(run("forbid", first), "Succeeded");
    awaitRuns(2);
    assertThat(runNames()).contains(run("forbid", second));
    awaitCron("forbid", c -> c.getStatus().message == null);
  }

  @Test
  void forbidSkipsAHeldRunOnceItsStartingDeadlineHasPassed() throws Exception {
    apply(
        "late",
        "schedule: \"*/5 * * * *\"\nconcurrencyPolicy: Forbid\nstartingDeadlineSeconds: 60");
    startOperator();
    clock.set(first);
    awaitRuns(1);
    clock.set(first.plus(Duration.ofMinutes(5)).plusSeconds(61));
    awaitCron("late", c -> c.getStatus().message != null);
    finish(run("late", first), "Succeeded");
    CronWorkflow missed =
        awaitCron(
            "late",
            c -> c.getStatus().message != null && c.getStatus().message.startsWith("missed"));
    assertThat(missed.getStatus().message).contains("61s late, startingDeadlineSeconds is 60");
    assertStaysAt(List.of(run("late", first)), 300);
  }

  @Test
  void replaceCancelsTheActiveRunAndStartsTheNewOne() {
    apply("replace", "schedule: \"*/5 * * * *\"\nconcurrencyPolicy: Replace");
    startOperator();
    clock.set(first);
    awaitRuns(1);
    Instant second = first.plus(Duration.ofMinutes(5));
    clock.set(second);
    awaitRuns(2);
    Workflow old =
        client
            .resources(Workflow.class)
            .inNamespace("default")
            .withName(run("replace", first))
            .get();
    assertThat(old.getSpec().cancel).isTrue();
    Workflow fresh =
        client
            .resources(Workflow.class)
            .inNamespace("default")
            .withName(run("replace", second))
            .get();
    assertThat(fresh.getSpec().cancel).isNull();
  }

  @Test
  void allowLetsRunsOverlap() {
    apply("allow", "schedule: \"*/5 * * * *\"");
    startOperator();
    clock.set(first);
    awaitRuns(1);
    clock.set(first.plus(Duration.ofMinutes(5)));
    awaitRuns(2);
    CronWorkflow cron =
        awaitCron("allow", c -> Integer.valueOf(2).equals(c.getStatus().activeCount));
    assertThat(cron.getStatus().active)
        .containsExactly(run("allow", first), run("allow", first.plus(Duration.ofMinutes(5))));
    assertThat(runs()).allSatisfy(w -> assertThat(w.getSpec().cancel).isNull());
  }

  @Test
  void runsMissedWhileTheOperatorWasDownStartOnlyTheLastWithinTheDeadline() throws Exception {
    apply("missed", "schedule: \"*/5 * * * *\"\nstartingDeadlineSeconds: 120");
    // Down for three scheduled times; back 100 s after the last one.
    Instant third = first.plus(Duration.ofMinutes(10));
    clock.set(third.plusSeconds(100));
    startOperator();
    awaitRuns(1);
    assertThat(runNames()).containsExactly(run("missed", third));
    awaitCron("missed", c -> third.toString().equals(c.getStatus().lastScheduleTime));
    assertStaysAt(List.of(run("missed", third)), 300);
  }

  @Test
  void runsMissedOutsideTheDeadlineDoNotStartAndTheStatusSaysWhy() throws Exception {
    apply("toolate", "schedule: \"*/5 * * * *\"\nstartingDeadlineSeconds: 120");
    Instant third = first.plus(Duration.ofMinutes(10));
    clock.set(third.plusSeconds(121));
    startOperator();
    CronWorkflow cron =
        awaitCron(
            "toolate",
            c -> c.getStatus().message != null && c.getStatus().message.startsWith("missed"));
    assertThat(cron.getStatus().message)
        .isEqualTo("missed the run of " + third + ": 121s late, startingDeadlineSeconds is 120");
    assertThat(cron.getStatus().lastScheduleTime).isNull();
    assertThat(cron.getStatus().nextScheduleTime)
        .isEqualTo(third.plus(Duration.ofMinutes(5)).toString());
    assertStaysAt(List.of(), 300);
    // The next time runs as usual.
    clock.set(third.plus(Duration.ofMinutes(5)));
    awaitRuns(1);
  }

  @Test
  void finishedRunsBeyondTheHistoryLimitsAreDeletedOldestFirst() {
    apply(
        "history",
        "schedule: \"*/5 * * * *\"\nsuccessfulRunsHistoryLimit: 2\nfailedRunsHistoryLimit: 1");
    startOperator();
    List<String> names = new ArrayList<>();
    String[] phases = {"Succeeded", "Failed", "Succeeded", "Canceled", "Succeeded"};
    for (int i = 0; i < phases.length; i++) {
      Instant t = first.plus(Duration.ofMinutes(5L * i));
      clock.set(t);
      String name = run("history", t);
      await().atMost(WAIT).until(() -> runNames().contains(name));
      finish(name, phases[i]);
      names.add(name);
    }
    // Kept: the two newest Succeeded (2, 4) and the newest Failed or Canceled (3).
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(runNames())
                    .containsExactlyInAnyOrder(names.get(2), names.get(3), names.get(4)));
    CronWorkflow cron =
        awaitCron("history", c -> Integer.valueOf(0).equals(c.getStatus().activeCount));
    assertThat(cron.getStatus().lastScheduleTime)
        .isEqualTo(first.plus(Duration.ofMinutes(20)).toString());
  }

  @Test
  void aRestartOrASecondReplicaNeverStartsAScheduledTimeTwice() throws Exception {
    apply("once", "schedule: \"*/5 * * * *\"");
    clock.set(first.plusSeconds(10));
    // Two controllers at once (a leader change mid-reconcile): one run.
    startOperator();
    startOperator();
    awaitRuns(1);
    awaitCron("once", c -> first.toString().equals(c.getStatus().lastScheduleTime));
    stopOperators();
    // A status write lost: the run itself tells the restarted controller what was scheduled.
    CronWorkflow cron = cron("once");
    cron.getStatus().lastScheduleTime = null;
    cron.getStatus().active = List.of();
    client.resource(cron).updateStatus();
    startOperator();
    CronWorkflow after =
        awaitCron("once", c -> first.toString().equals(c.getStatus().lastScheduleTime));
    assertThat(after.getStatus().active).containsExactly(run("once", first));
    assertStaysAt(List.of(run("once", first)), 300);
  }

  @Test
  void suspendStartsNothingUntilLifted() throws Exception {
    apply("paused", "schedule: \"*/5 * * * *\"\nsuspend: true\nstartingDeadlineSeconds: 600");
    startOperator();
    clock.set(first.plusSeconds(5));
    CronWorkflow cron = awaitCron("paused", c -> "suspended".equals(c.getStatus().message));
    assertThat(cron.getStatus().nextScheduleTime).isNull();
    assertStaysAt(List.of(), 300);
    client
        .resources(CronWorkflow.class)
        .inNamespace("default")
        .withName("paused")
        .edit(
            c -> {
              c.getSpec().suspend = false;
              return c;
            });
    awaitRuns(1);
    assertThat(runNames()).containsExactly(run("paused", first));
  }

  @Test
  void theDocumentedExampleStartsItsRunAtItsSchedule() throws Exception {
    Path example = Path.of("../examples/cron-and-templates/cron.yaml");
    CronWorkflow cron =
        client
            .getKubernetesSerialization()
            .unmarshal(Files.readString(example), CronWorkflow.class);
    cron.getMetadata().setNamespace("default");
    client.resource(cron).create();
    startOperator();
    CronWorkflow waiting =
        awaitCron("double-every-15m", c -> c.getStatus().nextScheduleTime != null);
    Instant next = Instant.parse(waiting.getStatus().nextScheduleTime);
    assertThat(next.getEpochSecond() % (15 * 60)).isZero();
    clock.set(next.plusSeconds(299));
    awaitRuns(1);
    Workflow run = runs().get(0);
    assertThat(run.getMetadata().getName()).isEqualTo(run("double-every-15m", next));
    assertThat(run.getMetadata().getLabels())
        .containsEntry(CronRuns.OWNER_NAME_LABEL, "double-every-15m");
    assertThat(run.getSpec().tasks.get(0).function)
        .isEqualTo("dev.cairn.examples.Arithmetic#twice");
  }

  @Test
  void aNameTooLongForItsRunsIsAReadyFalseCondition() throws Exception {
    String name = "n".repeat(250);
    apply(name, "schedule: \"* * * * *\"");
    startOperator();
    clock.set(first);
    CronWorkflow cron =
        awaitCron(
            name, c -> c.getStatus().conditions != null && !c.getStatus().conditions.isEmpty());
    assertThat(cron.getStatus().conditions.get(0).getReason()).isEqualTo("InvalidName");
    assertThat(cron.getStatus().message)
        .startsWith("metadata.name: runs are named NAME-<unix minutes>: ")
        .contains("is not a valid workflow name");
    assertStaysAt(List.of(), 200);
  }

  @Test
  void anInvalidScheduleIsAReadyFalseConditionNamingTheField() throws Exception {
    apply("broken", "schedule: \"61 * * * *\"");
    startOperator();
    CronWorkflow cron =
        awaitCron(
            "broken", c -> c.getStatus().conditions != null && !c.getStatus().conditions.isEmpty());
    Condition ready = cron.getStatus().conditions.get(0);
    assertThat(ready.getType()).isEqualTo("Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("InvalidSchedule");
    assertThat(ready.getMessage()).isEqualTo("schedule: minute: 61 is outside 0-59");
    assertThat(cron.getStatus().message).isEqualTo(ready.getMessage());
    assertStaysAt(List.of(), 200);
  }
}
