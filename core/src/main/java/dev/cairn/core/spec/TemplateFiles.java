package dev.cairn.core.spec;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * WorkflowTemplates kept as files, for runs without an API server (the CLI's {@code cairn run}, the
 * SDK's local target): template NAME is {@code NAME.yaml} (then {@code NAME.yml}) in a directory,
 * or a file given for it, whose {@code metadata.name} must be NAME.
 */
public final class TemplateFiles {
  private TemplateFiles() {}

  /** The file of template {@code name} in {@code dir}, if there is one. */
  public static Optional<Path> find(Path dir, String name) {
    for (String ext : new String[] {".yaml", ".yml"}) {
      Path candidate = dir.resolve(name + ext);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Reads template {@code name} from {@code file}.
   *
   * @throws InvalidWorkflowException the file is not a WorkflowTemplate manifest, or it names
   *     another template than {@code name}; {@code referrer} (the Workflow's file, or null) is
   *     named in the message
   */
  public static WorkflowTemplate read(Path file, String name, String referrer) {
    WorkflowTemplate template = WorkflowTemplates.parse(file);
    String declared = template.getMetadata() == null ? null : template.getMetadata().getName();
    if (!name.equals(declared)) {
      throw new InvalidWorkflowException(
          new Problem(
              file + " metadata.name",
              "is \""
                  + declared
                  + "\"; "
                  + (referrer == null ? "the workflow" : referrer)
                  + " refers to WorkflowTemplate \""
                  + name
                  + "\""));
    }
    return template;
  }

  /**
   * {@code workflow} with the spec of the template it names, read from {@code dir} ({@link
   * WorkflowTemplates#resolve}); {@code workflow} itself when it names none.
   *
   * @throws InvalidWorkflowException no such template in {@code dir}, or it does not fit
   */
  public static Workflow resolve(Workflow workflow, Path dir) {
    Optional<String> ref = WorkflowTemplates.ref(workflow);
    if (ref.isEmpty()) {
      return workflow;
    }
    String name = ref.get();
    Path file =
        find(dir, name)
            .orElseThrow(
                () ->
                    new InvalidWorkflowException(
                        new Problem(
                            "spec.workflowTemplateRef.name",
                            "WorkflowTemplate \""
                                + name
                                + "\" not found: no "
                                + dir.resolve(name + ".yaml"))));
    return WorkflowTemplates.resolve(workflow, name, read(file, name, null).getSpec());
  }
}
