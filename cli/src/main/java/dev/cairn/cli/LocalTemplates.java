package dev.cairn.cli;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowTemplate;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.Problem;
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
    WorkflowTemplate template = WorkflowTemplates.parse(file);
    String declared = template.getMetadata() == null ? null : template.getMetadata().getName();
    if (!name.equals(declared)) {
      throw new InvalidWorkflowException(
          new Problem(
              file + " metadata.name",
              "is \""
                  + declared
                  + "\"; "
                  + workflowFile
                  + " refers to WorkflowTemplate \""
                  + name
                  + "\""));
    }
    return WorkflowTemplates.resolve(workflow, name, template.getSpec());
  }

  private static Path beside(Path workflowFile, String name) {
    Path dir = workflowFile.toAbsolutePath().getParent();
    for (String ext : new String[] {".yaml", ".yml"}) {
      Path candidate = dir.resolve(name + ext);
      if (Files.isRegularFile(candidate)) {
        return workflowFile.resolveSibling(name + ext);
      }
    }
    throw new InvalidWorkflowException(
        new Problem(
            "spec.workflowTemplateRef.name",
            "WorkflowTemplate \""
                + name
                + "\" not found: no "
                + workflowFile.resolveSibling(name + ".yaml")
                + " (give its file with --template FILE)"));
  }
}
