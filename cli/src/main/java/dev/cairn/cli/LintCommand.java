package dev.cairn.cli;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.Problem;
import dev.cairn.core.task.ClassLoaderFunctionCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn lint FILE...}: the validation {@code cairn run} does before anything runs, offline:
 * no store, no cluster. Functions are checked against this program's classpath plus --classpath:
 * that they exist, take that many arguments, and that literal arguments bind to their parameters.
 */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Validate workflow files without running them: no store, no cluster.",
      "Checks the YAML, names (as Kubernetes requires them), references, cycles, options, and"
          + " for functions on the classpath their existence and argument types.",
      "Prints FILE: ok (N tasks), or every problem with its place.",
      "Exit codes: 0 all valid, 2 a file is invalid."
    })
final class LintCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description =
          "Workflow or WorkflowTemplate manifests (YAML or JSON); a Workflow with"
              + " workflowTemplateRef is checked with NAME.yaml beside it.")
  List<Path> files;

  @Option(
      names = "--classpath",
      paramLabel = "JARS",
      description = "Extra jars or directories with task functions, ':'-separated.")
  String classpath;

  @Override
  public Integer call() {
    ClassLoaderFunctionCatalog functions =
        new ClassLoaderFunctionCatalog(Functions.loader(classpath));
    PrintWriter out = spec.commandLine().getOut();
    boolean valid = true;
    for (Path file : files) {
      try {
        Workflow workflow = LocalTemplates.lintable(file);
        WorkflowDefinition definition =
            WorkflowDefinition.compile(
                dev.cairn.core.spec.GeneratedNames.forValidation(workflow),
                Map.of(),
                LocalTemplates.requiresInputs(workflow)
                    ? dev.cairn.core.dag.FunctionCatalog.ANY
                    : functions);
        int tasks = definition.dag().tasks().size();
        out.println(file + ": ok (" + tasks + (tasks == 1 ? " task)" : " tasks)"));
      } catch (InvalidWorkflowException e) {
        valid = false;
        for (Problem problem : e.problems()) {
          out.println(placed(file, problem));
        }
      }
    }
    out.flush();
    return valid ? ExitCodes.OK : ExitCodes.INVALID;
  }

  /** {@code FILE: location: message}, the file named once even where the parser named it. */
  private static String placed(Path file, Problem problem) {
    String text = problem.toString();
    return text.startsWith(file.toString()) ? text : file + ": " + text;
  }
}
