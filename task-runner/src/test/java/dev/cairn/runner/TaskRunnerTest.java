package dev.cairn.runner;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.UploadReport;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.UploadSeal;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.core.store.s3.S3CheckpointStore;
import dev.cairn.core.store.s3.S3Location;
import dev.cairn.core.store.s3.S3TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's modes as a pod runs them: each one a separate JVM started from the executable jar,
 * against a real S3 protocol server.
 */
class TaskRunnerTest {
  static final String STORE = "s3://cairn-runner/clusters/test";
  static final String NUMBERS_DIGEST = "aaaaaaaaaaaaaaaa";
  private static final AtomicInteger WORKFLOWS = new AtomicInteger();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static S3TestServer server;

  @TempDir Path temp;
  S3CheckpointStore store;
  WorkflowCheckpoints checkpoints;
  String numbers;

  @BeforeAll
  static void startServer() {
    server = S3TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /** An upstream task "numbers" committed with value [1,2,3] and one artifact. */
  @BeforeEach
  void seedUpstreamTask() {
    store = new S3CheckpointStore(S3Location.parse(STORE), server.options());
    checkpoints =
        new WorkflowCheckpoints(
            store, new WorkflowId("team", "demo-" + WORKFLOWS.incrementAndGet()));
    numbers = checkpoints.putValue(Json.tree("[1,2,3]".getBytes(UTF_8)));
    store.put(
        StoreLayout.artifacts(checkpoints.id(), "numbers", NUMBERS_DIGEST, 2) + "data/part-0.txt",
        "one\ntwo\n".getBytes(UTF_8));
    checkpoints.commit(
        new CommitRecord(
            "numbers", NUMBERS_DIGEST, CommitRecord.Kind.VALUE, 2, numbers, null, null, T0, T0));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  Pod pod(String name, String task, String digest, Object spec) throws IOException {
    return new Pod(temp.resolve(name), server, STORE, checkpoints.id(), task, digest, 1, spec);
  }

  /** {"args": [{"$task": "numbers"}, 10], ...}: what the operator passes for a task of numbers. */
  Map<String, Object> specOnNumbers(boolean withDigest) {
    Map<String, Object> spec =
        new java.util.LinkedHashMap<>(
            Map.of(
                "args", List.of(Map.of("$task", "numbers"), 10),
                "inputs", Map.of("numbers", Map.of("ref", "stored", "object", numbers))));
    if (withDigest) {
      spec.put("digests", Map.of("numbers", NUMBERS_DIGEST));
    }
    return spec;
  }

  @Test
  void aJavaFunctionAttemptRunsThroughFetchRunAndUpload() throws Exception {
    Pod pod = pod("sum", "sum", "bbbbbbbbbbbbbbbb", specOnNumbers(true));

    RunnerProcess.Result fetch = RunnerProcess.run(pod.env, "fetch");
    assertThat(fetch.exit()).as(fetch.stderr()).isZero();
    assertThat(Json.tree(Files.readAllBytes(pod.input())))
        .isEqualTo(Json.tree("[[1,2,3],10]".getBytes(UTF_8)));
    assertThat(pod.artifactsIn().resolve("numbers/data/part-0.txt")).hasContent("one\ntwo\n");
    assertThat(pod.artifacts()).isEmptyDirectory();

    RunnerProcess.Result run =
        RunnerProcess.run(
            pod.env,
            "run",
            "--function",
            TestFunctions.class.getName() + "#sum",
            "--classpath",
            RunnerProcess.TEST_CLASSES.toString(),
            "--termination-log",
            pod.terminationLog().toString());
    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(Json.tree(Files.readAllBytes(pod.output()))).isEqualTo(IntNode.valueOf(16));

    java.util.List<String> objectsBefore = store.list(StoreLayout.objects(checkpoints.id()));
    RunnerProcess.Result upload = RunnerProcess.run(pod.env, "upload", "--now");
    assertThat(upload.exit()).as(upload.stderr()).isZero();
    UploadReport result = checkpoints.readUpload("sum", "bbbbbbbbbbbbbbbb", 1).orElseThrow();
    assertThat(result.outputPresent()).isTrue();
    assertThat(result.outputError()).isNull();
    assertThat(result.session()).isEqualTo(2);
    assertThat(store.list(StoreLayout.objects(checkpoints.id())))
        .as("the upload container writes under its attempt's path only")
        .isEqualTo(objectsBefore);
    assertThat(store.exists(StoreLayout.output(checkpoints.id(), "sum", "bbbbbbbbbbbbbbbb", 1)))
        .isTrue();
    assertThat(committedValue("sum", "bbbbbbbbbbbbbbbb", 1, result)).isEqualTo(IntNode.valueOf(16));
    assertThat(result.object()).isEqualTo(checkpoints.putValue(IntNode.valueOf(16)));
    assertThat(checkpoints.readCommit("sum", "bbbbbbbbbbbbbbbb"))
        .as("the runner never commits")
        .isEmpty();
  }

  @Test
  void withTheCommittedAttemptGivenFetchReadsNoCommitRecord() throws Exception {
    // A commit planted over the operator's, naming attempt 1, whose files are planted too: a
    // fetch told the attempt by the operator never looks at it.
    store.put(
        StoreLayout.artifacts(checkpoints.id(), "numbers", NUMBERS_DIGEST, 1) + "data/part-0.txt",
        "planted\n".getBytes(UTF_8));
    store.put(
        StoreLayout.commit(checkpoints.id(), "numbers", NUMBERS_DIGEST),
        Json.bytes(
            new CommitRecord(
                "numbers",
                NUMBERS_DIGEST,
                CommitRecord.Kind.VALUE,
                1,
                numbers,
                null,
                null,
                T0,
                T0)));
    Map<String, Object> spec = specOnNumbers(true);
    spec.put("attempts", Map.of("numbers", 2));
    Pod pod = pod("told", "sum", "eeeeeeeeeeeeeeee", spec);

    RunnerProcess.Result fetch = RunnerProcess.run(pod.env, "fetch");

    assertThat(fetch.exit()).as(fetch.stderr()).isZero();
    assertThat(pod.artifactsIn().resolve("numbers/data/part-0.txt")).hasContent("one\ntwo\n");
  }

  @Test
  void aShellCommandAttemptPassesArtifactsDownstreamThroughTheUploadSidecar() throws Exception {
    Pod pod = pod("shell", "report", "cccccccccccccccc", specOnNumbers(true));
    assertThat(RunnerProcess.run(pod.env, "fetch").exit()).isZero();

    // The sidecar starts with the pod and waits; the kubelet sends SIGTERM once main has exited.
    Path logs = Files.createDirectories(temp.resolve("sidecar-logs"));
    Process sidecar = RunnerProcess.start(pod.env, List.of(), logs, "upload");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.readString(logs.resolve("stderr")).contains(UploadCommand.WAITING));
    int exit =
        RunnerProcess.command(
            pod.env,
            logs,
            "sh",
            "-c",
            "set -e; mkdir -p \"$CAIRN_ARTIFACTS/report\";"
                + " cp \"$CAIRN_ARTIFACTS_IN/numbers/data/part-0.txt\" \"$CAIRN_ARTIFACTS/report/copy.txt\";"
                + " echo done > \"$CAIRN_ARTIFACTS/status.txt\";"
                + " printf '{\"input\": %s}' \"$(cat \"$CAIRN_INPUT\")\" > \"$CAIRN_OUTPUT\"");
    assertThat(exit).isZero();
    sidecar.destroy();
    assertThat(sidecar.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(sidecar.exitValue()).as(Files.readString(logs.resolve("stderr"))).isZero();

    UploadReport result = checkpoints.readUpload("report", "cccccccccccccccc", 1).orElseThrow();
    assertThat(result.outputPresent()).isTrue();
    assertThat(committedValue("report", "cccccccccccccccc", 1, result))
        .isEqualTo(Json.tree("{\"input\":[[1,2,3],10]}".getBytes(UTF_8)));
    String artifacts = StoreLayout.artifacts(checkpoints.id(), "report", "cccccccccccccccc", 1);
    assertThat(store.list(artifacts))
        .containsExactly(artifacts + "report/copy.txt", artifacts + "status.txt");

    // The engine commits the attempt; a downstream task finds the files under its own pod.
    checkpoints.commit(
        new CommitRecord(
            "report",
            "cccccccccccccccc",
            CommitRecord.Kind.VALUE,
            1,
            result.object(),
            null,
            null,
            T0,
            T0));
    Pod downstream =
        pod(
            "downstream",
            "publish",
            "dddddddddddddddd",
            Map.of(
                "args", List.of(Map.of("$task", "report")),
                "inputs", Map.of("report", Map.of("ref", "stored", "object", result.object()))));
    RunnerProcess.Result fetch = RunnerProcess.run(downstream.env, "fetch");
    assertThat(fetch.exit()).as(fetch.stderr()).isZero();
    assertThat(downstream.artifactsIn().resolve("report/report/copy.txt")).hasContent("one\ntwo\n");
    assertThat(downstream.artifactsIn().resolve("report/status.txt")).hasContent("done\n");
  }

  @Test
  void withoutDigestsFetchTakesArtifactsFromTheCommitHoldingTheInputValue() throws Exception {
    // "config" was committed twice (its definition changed); its values are small, so inline.
    JsonNode oldValue = json("{\"mode\":\"old\"}");
    JsonNode newValue = json("{\"mode\":\"new\"}");
    for (String[] version :
        new String[][] {{"0ld0ld0ld0ld0ld0", "old"}, {"4e44e44e44e44e44", "new"}}) {
      store.put(
          StoreLayout.artifacts(checkpoints.id(), "config", version[0], 1) + "settings.txt",
          version[1].getBytes(UTF_8));
      checkpoints.commit(
          new CommitRecord(
              "config",
              version[0],
              CommitRecord.Kind.VALUE,
              1,
              null,
              null,
              null,
              T0,
              T0,
              version[1].equals("old") ? oldValue : newValue));
    }
    Pod pod =
        pod(
            "inline",
            "apply",
            "7777777777777777",
            Map.of(
                "args", List.of(Map.of("$task", "config")),
                "inputs", Map.of("config", Map.of("ref", "inline", "value", oldValue))));

    RunnerProcess.Result fetch = RunnerProcess.run(pod.env, "fetch");

    assertThat(fetch.exit()).as(fetch.stderr()).isZero();
    assertThat(Json.tree(Files.readAllBytes(pod.input()))).isEqualTo(json("[{\"mode\":\"old\"}]"));
    assertThat(pod.artifactsIn().resolve("config/settings.txt")).hasContent("old");
  }

  @Test
  void aThrowingFunctionIsAnApplicationErrorWithItsErrorRecorded() throws Exception {
    Pod pod = pod("fail", "load", "eeeeeeeeeeeeeeee", Map.of("args", List.of("team.orders")));
    assertThat(RunnerProcess.run(pod.env, "fetch").exit()).isZero();

    RunnerProcess.Result run =
        RunnerProcess.run(
            pod.env,
            "run",
            "--function",
            TestFunctions.class.getName() + "#fail",
            "--classpath",
            RunnerProcess.TEST_CLASSES.toString(),
            "--termination-log",
            pod.terminationLog().toString());

    assertThat(run.exit()).isEqualTo(ExitCodes.APPLICATION_ERROR);
    ErrorInfo expected = new ErrorInfo("java.lang.IllegalStateException", "no rows in team.orders");
    assertThat(Json.read(Files.readAllBytes(pod.error()), ErrorInfo.class)).isEqualTo(expected);
    assertThat(Json.read(Files.readAllBytes(pod.terminationLog()), ErrorInfo.class))
        .isEqualTo(expected);
    assertThat(pod.output()).doesNotExist();

    RunnerProcess.Result upload = RunnerProcess.run(pod.env, "upload", "--now");
    assertThat(upload.exit()).as(upload.stderr()).isZero();
    assertThat(checkpoints.readAttempt("load", "eeeeeeeeeeeeeeee", 1))
        .as("the operator decides the attempt, not the sidecar")
        .isEmpty();
    UploadReport report = checkpoints.readUpload("load", "eeeeeeeeeeeeeeee", 1).orElseThrow();
    assertThat(report.functionError()).isEqualTo(expected);
    assertThat(report.object()).isNull();
  }

  @Test
  void aFunctionMissingFromTheImageIsAnInfrastructureFailure() throws Exception {
    Pod pod = pod("missing", "load", "ffffffffffffffff", Map.of("args", List.of(1)));
    assertThat(RunnerProcess.run(pod.env, "fetch").exit()).isZero();

    RunnerProcess.Result run =
        RunnerProcess.run(
            pod.env,
            "run",
            "--function",
            "com.example.Nope#load",
            "--termination-log",
            pod.terminationLog().toString());

    assertThat(run.exit()).isEqualTo(ExitCodes.INFRASTRUCTURE);
    assertThat(Json.read(Files.readAllBytes(pod.error()), ErrorInfo.class).type())
        .isEqualTo("FunctionNotFound");
    assertThat(run.stderr()).contains("com.example.Nope is not on the classpath");
  }

  @Test
  void aFunctionReturningAContinuationIsReportedAsOne() throws Exception {
    Pod pod = pod("fan", "fan", "1111111111111111", Map.of("args", List.of(3)));
    assertThat(RunnerProcess.run(pod.env, "fetch").exit()).isZero();
    RunnerProcess.Result run =
        RunnerProcess.run(
            pod.env,
            "run",
            "--function",
            TestFunctions.class.getName() + "#fanOut",
            "--classpath",
            RunnerProcess.TEST_CLASSES.toString(),
            "--termination-log",
            pod.terminationLog().toString());
    assertThat(run.exit()).as(run.stderr()).isZero();

    assertThat(RunnerProcess.run(pod.env, "upload", "--now").exit()).isZero();

    UploadReport result = checkpoints.readUpload("fan", "1111111111111111", 1).orElseThrow();
    assertThat(result.object()).isNull();
    assertThat(result.continuation().get("output").asText()).isEqualTo("join");
    assertThat(result.continuation().get("tasks")).hasSize(2);
  }

  @Test
  void anOutputThatIsNotJsonIsReportedAsSuchAndNeverAsAVerdict() throws Exception {
    Pod pod = pod("garbage", "emit", "2222222222222222", Map.of("args", List.of()));
    Files.writeString(pod.output(), "rows: 12\n");

    assertThat(RunnerProcess.run(pod.env, "upload", "--now").exit()).isZero();

    UploadReport result = checkpoints.readUpload("emit", "2222222222222222", 1).orElseThrow();
    assertThat(result.outputError().type()).isEqualTo("OutputNotJson");
    assertThat(result.object()).isNull();
    assertThat(checkpoints.readAttempt("emit", "2222222222222222", 1)).isEmpty();
  }

  @Test
  void givenAnAttemptTokenTheReportIsSealedWithItAndWithNothingElse() throws Exception {
    Pod pod = pod("sealed", "emit", "4444444444444444", Map.of("args", List.of()));
    Files.writeString(pod.output(), "42");
    pod.env.put(PodEnvironment.ATTEMPT_TOKEN, "token-of-attempt-1");

    RunnerProcess.Result upload = RunnerProcess.run(pod.env, "upload", "--now");
    assertThat(upload.exit()).as(upload.stderr()).isZero();

    UploadReport report = checkpoints.readUpload("emit", "4444444444444444", 1).orElseThrow();
    assertThat(report.seal()).isNotBlank();
    assertThat(UploadSeal.verify(report, "token-of-attempt-1")).isTrue();
    assertThat(UploadSeal.verify(report, "token-of-attempt-2")).isFalse();
    assertThat(upload.stderr()).doesNotContain("token-of-attempt-1");
  }

  @Test
  void anAttemptWithoutOutputIsReportedWithoutOne() throws Exception {
    Pod pod = pod("silent", "notify", "3333333333333333", Map.of("args", List.of()));

    assertThat(RunnerProcess.run(pod.env, "upload", "--now").exit()).isZero();

    UploadReport result = checkpoints.readUpload("notify", "3333333333333333", 1).orElseThrow();
    assertThat(result.outputPresent()).isFalse();
    assertThat(result.object()).isNull();
  }

  @Test
  void anUnreachableStoreIsAnInfrastructureFailureAfterTheRetryLimit() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Pod pod = pod("outage", "sum", "4444444444444444", specOnNumbers(true));
    pod.env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + closed);
    pod.env.put("CAIRN_STORE_RETRY_LIMIT", "PT1S");

    RunnerProcess.Result fetch = RunnerProcess.run(pod.env, "fetch");
    Files.writeString(pod.output(), "1");
    RunnerProcess.Result upload = RunnerProcess.run(pod.env, "upload", "--now");

    assertThat(fetch.exit()).isEqualTo(ExitCodes.INFRASTRUCTURE);
    assertThat(fetch.stderr()).contains("store unreachable").contains("retrying");
    assertThat(upload.exit()).isEqualTo(ExitCodes.INFRASTRUCTURE);
    assertThat(pod.input()).doesNotExist();
  }

  @Test
  void aSourceTasksFetchReadsOnlyWhetherItsAttemptHasEnded() throws Exception {
    // Literal arguments only: no spec and no value is read; the store says whether it may run.
    Pod pod = pod("source", "sum", "7777777777777777", Map.of("args", List.of(List.of(1, 2), 3)));

    RunnerProcess.Result fetch = RunnerProcess.run(pod.env, "fetch");

    assertThat(fetch.exit()).as(fetch.stderr()).isZero();
    assertThat(json(Files.readString(pod.input()))).isEqualTo(json("[[1,2],3]"));
    assertThat(pod.artifacts()).isDirectory();
    assertThat(pod.artifactsIn()).isDirectory();
  }

  @Test
  void anOldCopyOfAPodWhoseTaskHasCommittedIsRefusedBeforeMain() throws Exception {
    // The pod of attempt 1 of a source task and of a task with upstream, created again after
    // their commit (a restored backup, a stale cache written back): neither runs again.
    for (String digest : List.of("5555555555555555", "6666666666666666")) {
      checkpoints.commit(
          new CommitRecord("sum", digest, CommitRecord.Kind.VALUE, 1, numbers, null, null, T0, T0));
    }
    Pod source = pod("stale", "sum", "5555555555555555", Map.of("args", List.of(1)));
    Pod downstream = pod("stale-down", "sum", "6666666666666666", specOnNumbers(true));
    for (Pod copy : List.of(source, downstream)) {
      RunnerProcess.Result fetch = RunnerProcess.run(copy.env, "fetch");
      assertThat(fetch.exit()).as(fetch.stderr()).isEqualTo(ExitCodes.INFRASTRUCTURE);
      assertThat(fetch.stderr())
          .contains(
              "stale pod: task \"sum\" has committed (attempt 1); attempt 1 does not run again");
      assertThat(copy.input()).doesNotExist();
    }
  }

  /**
   * How pods run it: the sidecar ({@code upload --fetch}) fetches, and only then writes the marker
   * its startup probe reads; a fetch that fails ends it (exit 3) without the marker, so main never
   * starts.
   */
  @Test
  void theSidecarFetchesBeforeItIsReadyAndUploadsOnSigterm() throws Exception {
    Pod pod = pod("sidecar", "sum", "8888888888888888", specOnNumbers(true));
    Path ready = pod.output().resolveSibling(UploadCommand.READY_MARKER);
    Process sidecar =
        RunnerProcess.start(
            pod.env,
            List.of(),
            Files.createDirectories(temp.resolve("sidecar-logs")),
            "upload",
            "--fetch");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!Files.exists(ready) && sidecar.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(ready).as("ready once fetched").exists();
    assertThat(Json.tree(Files.readAllBytes(pod.input())))
        .as("the inputs are in place when main may start")
        .isEqualTo(Json.tree("[[1,2,3],10]".getBytes(UTF_8)));
    assertThat(pod.artifactsIn().resolve("numbers/data/part-0.txt")).hasContent("one\ntwo\n");
    assertThat(sidecar.isAlive()).as("it waits for SIGTERM").isTrue();

    Files.writeString(pod.output(), "16");
    sidecar.destroy();
    assertThat(sidecar.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(sidecar.exitValue()).isZero();
    UploadReport report = checkpoints.readUpload("sum", "8888888888888888", 1).orElseThrow();
    assertThat(report.object()).isEqualTo(checkpoints.putValue(IntNode.valueOf(16)));

    // A stale copy: refused before it is ready, with the reason as its last words.
    checkpoints.commit(
        new CommitRecord(
            "sum", "9999999999999998", CommitRecord.Kind.VALUE, 1, numbers, null, null, T0, T0));
    Pod copy = pod("sidecar-stale", "sum", "9999999999999998", Map.of("args", List.of(1)));
    RunnerProcess.Result refused = RunnerProcess.run(copy.env, "upload", "--fetch");
    assertThat(refused.exit()).as(refused.stderr()).isEqualTo(ExitCodes.INFRASTRUCTURE);
    assertThat(refused.stderr()).contains("stale pod: task \"sum\" has committed (attempt 1)");
    assertThat(copy.output().resolveSibling(UploadCommand.READY_MARKER)).doesNotExist();
    assertThat(copy.input()).doesNotExist();
    assertThat(checkpoints.readUpload("sum", "9999999999999998", 1))
        .as("nothing uploaded")
        .isEmpty();
  }

  /**
   * A function's runner keeps its own log: both streams, in the order written, in the container's
   * output as before and in main.log, which the upload stores as the attempt's log.
   */
  @Test
  void aFunctionsOutputIsKeptAsItsLogAndStoredByTheUpload() throws Exception {
    Pod pod = pod("chatty", "chatty", "abababababababab", Map.of("args", List.of(4)));
    RunnerProcess.Result fetch = RunnerProcess.run(pod.env, "fetch");
    assertThat(fetch.exit()).as(fetch.stderr()).isZero();
    RunnerProcess.Result run =
        RunnerProcess.run(
            pod.env,
            "run",
            "--function",
            TestFunctions.class.getName() + "#chatty",
            "--classpath",
            RunnerProcess.TEST_CLASSES.toString(),
            "--termination-log",
            pod.terminationLog().toString());
    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(run.stdout()).as("the container's output as before").contains("line 0", "line 2");
    assertThat(run.stderr()).contains("line 1", "line 3");
    Path log = pod.output().resolveSibling("main.log");
    assertThat(Files.readString(log)).contains("line 0\nline 1\nline 2\nline 3\n");

    RunnerProcess.Result upload = RunnerProcess.run(pod.env, "upload", "--now");
    assertThat(upload.exit()).as(upload.stderr()).isZero();
    UploadReport report = checkpoints.readUpload("chatty", "abababababababab", 1).orElseThrow();
    assertThat(report.hasLog()).isTrue();
    assertThat(
            new String(
                store
                    .get(StoreLayout.log(checkpoints.id(), "chatty", "abababababababab", 1))
                    .orElseThrow(),
                UTF_8))
        .isEqualTo(Files.readString(log));

    // Without a main.log (a command task) the report says nothing of a log.
    Pod command = pod("no-log", "cmd", "cdcdcdcdcdcdcdcd", Map.of("args", List.of()));
    Files.createDirectories(command.output().getParent());
    Files.writeString(command.output(), "1");
    RunnerProcess.Result bare = RunnerProcess.run(command.env, "upload", "--now");
    assertThat(bare.exit()).as(bare.stderr()).isZero();
    assertThat(checkpoints.readUpload("cmd", "cdcdcdcdcdcdcdcd", 1).orElseThrow().hasLog())
        .isFalse();
    assertThat(store.exists(StoreLayout.log(checkpoints.id(), "cmd", "cdcdcdcdcdcdcdcd", 1)))
        .isFalse();
  }

  @Test
  void aReferenceWithoutItsInputOrWithoutAStoreIsAnInfrastructureFailure() throws Exception {
    Pod dangling =
        pod("dangling", "sum", "8888888888888888", Map.of("args", List.of(Map.of("$task", "x"))));
    RunnerProcess.Result fetch = RunnerProcess.run(dangling.env, "fetch");
    assertThat(fetch.exit()).isEqualTo(ExitCodes.INFRASTRUCTURE);
    assertThat(fetch.stderr()).contains("reference task \"x\"").contains("no input for it");
    assertThat(dangling.input()).doesNotExist();

    // A pod without a store is misconfigured, whatever its arguments.
    Pod storeless = pod("storeless", "sum", "9999999999999990", Map.of("args", List.of(1)));
    storeless.env.remove(PodEnvironment.STORE);
    RunnerProcess.Result noStore = RunnerProcess.run(storeless.env, "fetch");
    assertThat(noStore.exit()).isEqualTo(ExitCodes.INFRASTRUCTURE);
    assertThat(noStore.stderr()).contains("CAIRN_STORE is not set");
    assertThat(storeless.input()).doesNotExist();
  }

  @Test
  void aMissingInputIsAnInfrastructureFailure() throws Exception {
    String absent = "00".repeat(32);
    Pod pod =
        pod(
            "lost",
            "sum",
            "5555555555555555",
            Map.of(
                "args", List.of(Map.of("$task", "numbers")),
                "inputs", Map.of("numbers", Map.of("ref", "stored", "object", absent))));

    RunnerProcess.Result fetch = RunnerProcess.run(pod.env, "fetch");

    assertThat(fetch.exit()).isEqualTo(ExitCodes.INFRASTRUCTURE);
    assertThat(fetch.stderr()).contains("is missing");
  }

  @Test
  void aMisconfiguredContainerIsAnInfrastructureFailure() throws Exception {
    Pod pod = pod("bad", "sum", "6666666666666666", "{\"args\": 3}");

    RunnerProcess.Result fetch = RunnerProcess.run(pod.env, "fetch");
    assertThat(fetch.exit()).isEqualTo(ExitCodes.INFRASTRUCTURE);
    assertThat(fetch.stderr()).contains("no \"args\" array");
    assertThat(RunnerProcess.run(pod.env, "run").exit()).isEqualTo(ExitCodes.INFRASTRUCTURE);
    assertThat(RunnerProcess.run(pod.env).exit()).isEqualTo(ExitCodes.INFRASTRUCTURE);
    pod.env.remove("CAIRN_TASK");
    RunnerProcess.Result upload = RunnerProcess.run(pod.env, "upload", "--now");
    assertThat(upload.exit()).isEqualTo(ExitCodes.INFRASTRUCTURE);
    assertThat(upload.stderr()).contains("CAIRN_TASK is not set");
  }

  static JsonNode json(String text) {
    return Json.tree(text.getBytes(UTF_8));
  }

  /** The value an upload reported, once committed: the operator adopts it into objects/ first. */
  private JsonNode committedValue(String task, String digest, int attempt, UploadReport report) {
    checkpoints.adoptOutput(task, digest, attempt, report.object());
    return checkpoints.getValue(report.object());
  }
}
