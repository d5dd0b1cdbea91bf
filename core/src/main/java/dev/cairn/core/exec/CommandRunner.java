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
            .resolve(String.valueOf(request.attempt()));
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
    int exit = process.waitFor();
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
