package dev.cairn.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.task.ApplicationException;
import dev.cairn.core.task.FunctionNotFoundException;
import dev.cairn.core.task.JavaFunction;
import dev.cairn.core.task.TaskEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main container of a function task: calls {@code Class#method} with the arguments in {@code
 * CAIRN_INPUT} through the engine's own binding ({@link JavaFunction}) and writes the result to
 * {@code CAIRN_OUTPUT}. Touches no store: what it prints is also written to {@code main.log} beside
 * the output ({@link MainLog}), which the sidecar stores.
 */
final class RunCommand implements Main.Mode {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
  static final String FUNCTION = "--function";
  static final String CLASSPATH = "--classpath";
  static final String TERMINATION_LOG = "--termination-log";
  static final String ERROR_FILE = "--error-file";
  static final String CLASSPATH_VARIABLE = "CAIRN_CLASSPATH";

  /** The function, {@code fully.qualified.Class#method}. */
  private final String function;

  /** Extra classpath for functions (dirs, jars, dir/*), besides /opt/cairn/functions/*.jar. */
  private final String classpath;

  /** Where Kubernetes reads the failure message. */
  private final Path terminationLog;

  /** Where the error JSON goes; null: error.json beside CAIRN_OUTPUT. */
  private final Path errorFile;

  RunCommand(String function, String classpath, Path terminationLog, Path errorFile) {
    this.function = function;
    this.classpath = classpath;
    this.terminationLog = terminationLog;
    this.errorFile = errorFile;
  }

  static RunCommand parse(List<String> args) {
    Arguments parsed =
        Arguments.parse(
            "run", args, Set.of(FUNCTION, CLASSPATH, TERMINATION_LOG, ERROR_FILE), Set.of());
    String errorFile = parsed.value(ERROR_FILE, null);
    return new RunCommand(
        parsed.required(FUNCTION),
        parsed.value(CLASSPATH, PodEnvironment.current().get(CLASSPATH_VARIABLE)),
        Path.of(parsed.value(TERMINATION_LOG, "/dev/termination-log")),
        errorFile == null ? null : Path.of(errorFile));
  }

  @Override
  public int call() throws IOException {
    PodEnvironment env = PodEnvironment.current();
    Path errors = errorFile != null ? errorFile : env.errorFile();
    Path output = env.output();
    // Before any of the function's classes load: what it prints is kept for the sidecar to store.
    MainLog.capture(env.mainLog());
    JsonNode args = readInput(env.input());
    ClassLoader loader = FunctionClasspath.loader(classpath, RunCommand.class.getClassLoader());
    JavaFunction fn;
    try {
      fn = JavaFunction.resolve(function, args.size(), loader);
    } catch (FunctionNotFoundException e) {
      // The image lacks the function: not the task's fault, so a crash (exit 3), reported alike.
      ErrorReport.write(new ErrorInfo("FunctionNotFound", e.getMessage()), errors, terminationLog);
      throw new InfraFailure("function " + function + " cannot be called: " + e.getMessage(), e);
    }
    Thread.currentThread().setContextClassLoader(loader);
    JsonNode result;
    try {
      result = fn.invoke(args);
    } catch (ApplicationException e) {
      ErrorReport.write(e.error(), errors, terminationLog);
      LOG.info("function failed function={} error={}", function, e.error());
      return ExitCodes.APPLICATION_ERROR;
    }
    LocalFiles.writeAtomically(output, out -> Json.MAPPER.writeValue(out, result));
    LOG.debug("function returned function={} output={}", function, output);
    return ExitCodes.OK;
  }

  private static JsonNode readInput(Path input) {
    JsonNode args;
    try {
      args = Json.MAPPER.readTree(input.toFile());
    } catch (IOException e) {
      throw new InfraFailure(
          "cannot read " + TaskEnvironment.INPUT + " " + input + ": " + e.getMessage(), e);
    }
    if (args == null || !args.isArray()) {
      throw new InfraFailure(
          TaskEnvironment.INPUT + " " + input + " does not hold a JSON array of arguments");
    }
    return args;
  }
}
