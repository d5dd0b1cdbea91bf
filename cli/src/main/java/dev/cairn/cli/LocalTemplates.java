package dev.cairn.cli;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowTemplate;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.Problem;
import dev.cairn.core.spec.TemplateFiles;
import dev.cairn.core.spec.WorkflowTemplates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a local run finds the WorkflowTemplate its Workflow names: the {@code --template} file, or
 * else {@code NAME.yaml} (then {@code NAME.yml}) in the Workflow file's directory. The template is
 * read when the run starts; the run stores the resolved spec, as every run stores its spec.
 */
final class LocalTemplates {
  private LocalTemplates() {}

  static Workflow resolve(Workflow workflow, Path workflowFile, Path option) {
    Optional<String> ref = WorkflowTemplates.ref(workflow);
    if (ref.isEmpty()) {
      if (option != null) {
        throw new Errors.UsageException(
            "--template " + option + ": " + workflowFile + " has no spec.workflowTemplateRef");
      }
      return workflow;
    }
    String name = ref.get();
    Path file = option != null ? option : beside(workflowFile, name);
    WorkflowTemplate template = TemplateFiles.read(file, name, workflowFile.toString());
    return WorkflowTemplates.resolve(workflow, name, template.getSpec());
  }

  /**
   * What {@code cairn lint} checks for {@code file}: a Workflow (resolved with the template beside
   * it when it names one), or a WorkflowTemplate as a Workflow with its spec, its inputs without a
   * default given a placeholder.
   */
  private static final String REQUIRED = "<required input>";

  /** True for a linted template with an input that has no default (its type is unknown). */
  static boolean requiresInputs(Workflow lintable) {
    return lintable.getSpec().inputs != null
        && lintable.getSpec().inputs.values().stream()
            .anyMatch(v -> v != null && v.isTextual() && REQUIRED.equals(v.asText()));
  }

  static Workflow lintable(Path file) {
    if (isTemplate(file)) {
      WorkflowTemplate template = WorkflowTemplates.parse(file);
      Workflow workflow = new Workflow();
      workflow.setMetadata(template.getMetadata());
      workflow.setSpec(template.getSpec());
      if (template.getSpec().workflowTemplateRef != null) {
        throw new InvalidWorkflowException(
            new Problem("spec.workflowTemplateRef", "a template cannot refer to another template"));
      }
      // An input without a default gets a placeholder; lint then checks such a template without
      // argument types (see requiresInputs).
      template
          .getSpec()
          .inputs
          .replaceAll(
              (k, v) ->
                  v == null || v.isNull()
                      ? com.fasterxml.jackson.databind.node.TextNode.valueOf(REQUIRED)
                      : v);
      return workflow;
    }
    return resolve(dev.cairn.core.spec.WorkflowParser.parse(file), file, null);
  }

  private static boolean isTemplate(Path file) {
    try {
      String text = Files.readString(file);
      if (text.length() > dev.cairn.core.spec.WorkflowParser.MAX_CODE_POINTS) {
        return false; // the Workflow parser refuses it at once, naming the limit
      }
      var tree = dev.cairn.core.json.Json.YAML.readTree(text);
      return tree != null && "WorkflowTemplate".equals(tree.path("kind").asText());
    } catch (java.io.IOException | RuntimeException e) {
      // The Workflow parser reports what is wrong with the file.
      return false;
    }
  }

  private static Path beside(Path workflowFile, String name) {
    return TemplateFiles.find(workflowFile.toAbsolutePath().getParent(), name)
        .map(found -> workflowFile.resolveSibling(found.getFileName()))
        .orElseThrow(
            () ->
                new InvalidWorkflowException(
                    new Problem(
                        "spec.workflowTemplateRef.name",
                        "WorkflowTemplate \""
                            + name
                            + "\" not found: no "
                            + workflowFile.resolveSibling(name + ".yaml")
                            + " (give its file with --template FILE)")));
  }
}
