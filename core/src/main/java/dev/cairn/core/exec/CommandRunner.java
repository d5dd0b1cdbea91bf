package dev.cairn.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.ValueLimits;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.task.TaskEnvironment;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a command task as a subprocess under the task contract: {@code CAIRN_INPUT} holds the
 * arguments, {@code CAIRN_OUTPUT} receives the output, exit 0 is success and any other exit an
 * application error whose message is the tail of stderr. A process killed by a signal crashed.
 */
final class CommandRunner {
  private static final int STDERR_TAIL = 2048;

  /**
   * The store's credentials stay with the engine: a task that printed or returned them would put
   * them into a commit or a stored error message.
   */
  static final java.util.Set<String> ENGINE_SECRETS =
      java.util.Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");

  /** Written beside a running command: a later session finds and ends it if its engine died. */
  static final String PID_FILE = "pid";

  private final Path workRoot;

  CommandRunner(Path workRoot) {
    this.workRoot = workRoot;
  }

  AttemptResult run(AttemptRequest request, Instant start, Consumer<Process> started)
      throws IOException, InterruptedException {
    Path dir =
        workRoot
            .resolve(request.workflow().namespace())
            .resolve(request.workflow().name())
            .resolve(StoreLayout.taskDirectory(request.task().id()))
            .resolve("s" + request.session() + "-a" + request.attempt());
    Path artifacts = Files.createDirectories(dir.resolve("artifacts"));
    Path artifactsIn = Files.createDirectories(dir.resolve("artifacts-in"));
    if (request.files() != null) {
      request.files().fetchUpstream(artifactsIn);
    }
    Path input = dir.resolve("input.json");
    Path output = dir.resolve("output.json");
    Path log = dir.resolve("stderr.log");
    Files.deleteIfExists(output);
    Files.write(input, Json.bytes(request.args()));

    ProcessBuilder builder = new ProcessBuilder(request.task().command()).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeAll(ENGINE_SECRETS);
    env.put(TaskEnvironment.INPUT, input.toString());
    env.put(TaskEnvironment.OUTPUT, output.toString());
    env.put(TaskEnvironment.ARTIFACTS, artifacts.toString());
    env.put(TaskEnvironment.ARTIFACTS_IN, artifactsIn.toString());
    env.put(TaskEnvironment.WORKFLOW, request.workflow().toString());
    env.put(TaskEnvironment.TASK, request.task().id());
    env.put(TaskEnvironment.ATTEMPT, String.valueOf(request.attempt()));
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()));
    builder.redirectError(log.toFile());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return AttemptResult.failed(
          request,
          false,
          new ErrorInfo(
              "CommandNotFound",
              "cannot start " + request.task().command().get(0) + ": " + e.getMessage()),
          null,
          start);
    }
    started.accept(process);
    Path pidFile = dir.resolve(PID_FILE);
    Files.writeString(pidFile, process.pid() + " " + process.info().startInstant().orElse(null));
    int exit;
    try {
      exit = process.waitFor();
    } finally {
      Files.deleteIfExists(pidFile);
    }
    if (exit != 0) {
      // 128+n is how a shell reports death by signal n: the process was killed, not failing.
      boolean killed = exit == 137 || exit == 143 || exit > 128 && exit < 160 && exit != 130;
      String tail = tail(log);
      return AttemptResult.failed(
          request,
          killed,
          new ErrorInfo(
              killed ? "Killed" : "ExitCode" + exit,
              tail.isBlank() ? "command exited with code " + exit : tail),
          exit,
          start);
    }
    if (!Files.exists(output)) {
      if (request.files() != null) {
        request.files().storeOwn(artifacts);
      }
      return AttemptResult.output(request, NullNode.getInstance(), start);
    }
    String tooLarge = ValueLimits.tooLarge(Files.size(output), "CAIRN_OUTPUT");
    if (tooLarge != null) {
      return AttemptResult.failed(
          request, false, new ErrorInfo("OutputTooLarge", tooLarge), 0, start);
    }
    byte[] bytes = Files.readAllBytes(output);
    JsonNode value;
    try {
      value = bytes.length == 0 ? NullNode.getInstance() : Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      return AttemptResult.failed(
          request,
          false,
          new ErrorInfo(
              "OutputNotJson",
              "CAIRN_OUTPUT is not JSON: "
                  + new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8)),
          0,
          start);
    }
    if (request.files() != null) {
      // Stored before the result is reported: a committed attempt always has its files.
      request.files().storeOwn(artifacts);
    }
    return AttemptResult.output(request, value, start);
  }

  /**
   * Ends every command an earlier session of {@code workflow} left running here: its engine died
   * (killed alone, without its process group), so nothing would ever collect its result. A pid is
   * trusted only with the start time recorded with it, so a reused pid is never killed.
   */
  void fenceOrphans(dev.cairn.core.spec.WorkflowId workflow) {
    Path dir = workRoot.resolve(workflow.namespace()).resolve(workflow.name());
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var files = Files.find(dir, 3, (p, a) -> p.getFileName().toString().equals(PID_FILE))) {
      for (Path pidFile : files.toList()) {
        String[] parts = Files.readString(pidFile).trim().split(" ");
        ProcessHandle.of(Long.parseLong(parts[0]))
            .filter(
                p -> p.info().startInstant().map(String::valueOf).orElse("null").equals(parts[1]))
            .ifPresent(
                orphan -> {
                  orphan.descendants().forEach(ProcessHandle::destroyForcibly);
                  orphan.destroyForcibly();
                });
        Files.deleteIfExists(pidFile);
      }
    } catch (IOException | RuntimeException e) {
      // Best effort: an orphan found later still cannot commit, its scratch space is its own.
      org.slf4j.LoggerFactory.getLogger(CommandRunner.class)
          .warn("could not look for orphaned commands of {}: {}", workflow, e.toString());
    }
  }

  private static String tail(Path log) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      long from = Math.max(0, length - STDERR_TAIL);
      byte[] bytes = new byte[(int) (length - from)];
      file.seek(from);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8).strip();
    }
  }
}
