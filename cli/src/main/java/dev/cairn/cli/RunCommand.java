package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.client.WorkflowClient;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.GeneratedNames;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.spec.WorkflowParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn run FILE}: runs a workflow here to completion and prints its output. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Run a workflow on this machine and print its output.",
      "Running an id that exists resumes it: committed tasks are reused, never re-run.",
      "Progress goes to stderr: a live line on a terminal, plain lines elsewhere.",
      "Exit codes: 0 succeeded, 1 failed, 2 invalid input, 3 store unreachable."
    })
final class RunCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin StoreOptions store;

  @Parameters(index = "0", paramLabel = "FILE", description = "Workflow manifest (YAML or JSON).")
  Path file;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "Workflow id (NAME or NAMESPACE/NAME); default: the manifest's metadata.")
  String id;

  @Option(
      names = "--classpath",
      paramLabel = "JARS",
      description = "Extra jars or directories with task functions, ':'-separated.")
  String classpath;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: plain).")
  OutputFormat format = OutputFormat.plain;

  @Option(
      names = "-p",
      paramLabel = "NAME=JSON",
      description = "Set a workflow input (repeatable); a bare word is a string.")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(
      names = "--gpus",
      paramLabel = "N",
      description = "GPUs this machine offers to tasks (default: $CAIRN_GPUS or 0).")
  Integer gpus;

  @Option(
      names = "--rerun",
      paramLabel = "TASK",
      description =
          "Run TASK again, with everything downstream of it, discarding their stored results"
              + " (repeatable).")
  List<String> rerun = new ArrayList<>();

  @Option(
      names = "--template",
      paramLabel = "FILE",
      description =
          "The WorkflowTemplate manifest a Workflow with spec.workflowTemplateRef runs; default:"
              + " NAME.yaml beside FILE, NAME being the template's name.")
  Path template;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log every attempt and commit to stderr.")
  boolean verbose;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Workflow workflow = LocalTemplates.resolve(WorkflowParser.parse(file), file, template);
    if (id != null) {
      WorkflowId parsed;
      try {
        parsed = WorkflowId.parse(id);
      } catch (InvalidWorkflowException e) {
        // The problem is in the flag, not in the file's metadata.
        throw new Errors.UsageException("--id \"" + id + "\": " + e.problems().get(0).message());
      }
      workflow.getMetadata().setNamespace(parsed.namespace());
      workflow.getMetadata().setName(parsed.name());
    }
    boolean generated = GeneratedNames.generated(workflow);
    // metadata.generateName: every run is a new one, under a name made as the API server would.
    workflow = GeneratedNames.named(workflow);
    String workflowId =
        (workflow.getMetadata().getNamespace() == null
                ? WorkflowId.DEFAULT_NAMESPACE
                : workflow.getMetadata().getNamespace())
            + "/"
            + workflow.getMetadata().getName();
    var err = spec.commandLine().getErr();
    if (generated) {
      err.println("workflow " + workflowId);
    }
    ProgressDisplay progress = new ProgressDisplay(err, Terminal.interactive());
    Workflow named = workflow;
    try (WorkflowClient client = store.client(classpath, gpus, progress)) {
      return Runs.runToEnd(
          client,
          workflowId,
          () -> client.start(named, new WorkflowClient.StartOptions(inputs(), rerun)),
          progress,
          format,
          file.toString(),
          spec.commandLine().getOut(),
          err);
    }
  }

  private Map<String, JsonNode> inputs() {
    Map<String, JsonNode> inputs = new LinkedHashMap<>();
    params.forEach(
        (name, text) -> {
          JsonNode value;
          try {
            value = Json.MAPPER.readTree(text);
          } catch (IOException e) {
            value = null;
          }
          // A bare word is a string: -p city=Paris means "Paris".
          inputs.put(name, value == null ? TextNode.valueOf(text) : value);
        });
    return inputs;
  }
}
