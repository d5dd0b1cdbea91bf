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
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main container of a function task: calls {@code Class#method} with the arguments in {@code
 * CAIRN_INPUT} through the engine's own binding ({@link JavaFunction}) and writes the result to
 * {@code CAIRN_OUTPUT}. Touches no store.
 */
@Command(
    name = "run",
    description = "Run a Java task function on CAIRN_INPUT, writing CAIRN_OUTPUT.")
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(
      names = "--function",
      required = true,
      description = "The function, fully.qualified.Class#method.")
  String function;

  @Option(
      names = "--classpath",
      defaultValue = "${env:CAIRN_CLASSPATH}",
      description =
          "Extra classpath for task functions (dirs, jars, dir/*), besides /opt/cairn/functions/*.jar."
              + " Default: $CAIRN_CLASSPATH.")
  String classpath;

  @Option(
      names = "--termination-log",
      defaultValue = "/dev/termination-log",
      description = "Where Kubernetes reads the failure message. Default: ${DEFAULT-VALUE}.")
  Path terminationLog;

  @Option(
      names = "--error-file",
      description = "Where the error JSON goes. Default: error.json beside CAIRN_OUTPUT.")
  Path errorFile;

  @Override
  public Integer call() throws IOException {
    PodEnvironment env = PodEnvironment.current();
    Path errors = errorFile != null ? errorFile : env.errorFile();
    Path output = env.output();
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
