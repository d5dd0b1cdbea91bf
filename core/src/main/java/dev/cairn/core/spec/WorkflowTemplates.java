package dev.cairn.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.core.json.Digests;
import dev.cairn.core.json.Json;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Workflow that names a WorkflowTemplate ({@code spec.workflowTemplateRef}) runs the template's
 * tasks, defaults, output and pod settings with its own inputs and run controls. This class merges
 * the two, the same way for the local engine and the operator; where the template's spec comes from
 * (a file, the API server, a snapshot in the store) is the caller's business.
 */
public final class WorkflowTemplates {
  /**
   * Set on the resolved Workflow (in memory only): the digest of the template spec it runs, which
   * the run's status reports.
   */
  public static final String DIGEST_ANNOTATION = "cairn.dev/template-digest";

  private WorkflowTemplates() {}

  /** The Workflow's template name, if it refers to one. */
  public static Optional<String> ref(Workflow workflow) {
    WorkflowSpec spec = workflow.getSpec();
    return spec == null || spec.workflowTemplateRef == null
        ? Optional.empty()
        : Optional.ofNullable(spec.workflowTemplateRef.name);
  }

  /**
   * The template's identity: a digest of the parts of its spec a run takes (tasks, defaults,
   * output, pod, inputs), in canonical JSON; 16 hex digits, as spec digests.
   */
  public static String digest(WorkflowSpec template) {
    return Digests.sha256Hex(Json.canonical(taken(template))).substring(0, 16);
  }

  /** The template spec as a JSON tree (for a snapshot), without the controls a run never takes. */
  public static ObjectNode taken(WorkflowSpec template) {
    ObjectNode tree = Json.MAPPER.valueToTree(template);
    tree.retain(
        "tasks", "defaults", "output", "pod", "inputs", "parallelism", "activeDeadlineSeconds");
    return tree;
  }

  /**
   * {@code workflow} with the spec it runs: the template's, with the Workflow's inputs over the
   * declared defaults and the Workflow's controls (suspend, cancel, resume, rerun,
   * retentionPolicy). Metadata and status are the Workflow's, plus {@link #DIGEST_ANNOTATION}.
   *
   * @throws InvalidWorkflowException listing every problem: the Workflow sets what the template
   *     owns, an input the template does not declare, a required input unset, a template that
   *     refers to another template
   */
  public static Workflow resolve(Workflow workflow, String templateName, WorkflowSpec template) {
    WorkflowSpec own = workflow.getSpec();
    String quoted = "WorkflowTemplate \"" + templateName + "\"";
    List<Problem> problems = new ArrayList<>();
    if (template.workflowTemplateRef != null) {
      problems.add(
          new Problem(
              quoted + " spec.workflowTemplateRef", "a template cannot refer to another template"));
    }
    String owned =
        "set by "
            + quoted
            + "; a Workflow with workflowTemplateRef sets only inputs"
            + " and run controls";
    if (own.tasks != null && !own.tasks.isEmpty()) {
      problems.add(new Problem("spec.tasks", owned));
    }
    if (own.defaults != null) {
      problems.add(new Problem("spec.defaults", owned));
    }
    if (own.output != null) {
      problems.add(new Problem("spec.output", owned));
    }
    if (own.pod != null) {
      problems.add(new Problem("spec.pod", owned));
    }
    Map<String, JsonNode> declared = template.inputs == null ? Map.of() : template.inputs;
    Map<String, JsonNode> inputs = new LinkedHashMap<>(declared);
    if (own.inputs != null) {
      for (Map.Entry<String, JsonNode> e : own.inputs.entrySet()) {
        if (!declared.containsKey(e.getKey())) {
          problems.add(
              new Problem(
                  "spec.inputs." + e.getKey(),
                  quoted
                      + " declares no input \""
                      + e.getKey()
                      + "\""
                      + (declared.isEmpty()
                          ? " (it declares none)"
                          : " (it declares: " + String.join(", ", declared.keySet()) + ")")));
        } else {
          inputs.put(e.getKey(), e.getValue());
        }
      }
    }
    for (Map.Entry<String, JsonNode> e : inputs.entrySet()) {
      if (e.getValue() == null || e.getValue().isNull()) {
        problems.add(
            new Problem(
                "spec.inputs." + e.getKey(),
                "required by " + quoted + " (it has no default): set it in the Workflow"));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidWorkflowException(problems);
    }
    WorkflowSpec spec = Json.MAPPER.convertValue(taken(template), WorkflowSpec.class);
    spec.inputs = inputs;
    spec.suspend = own.suspend;
    spec.cancel = own.cancel;
    spec.resume = own.resume;
    spec.rerun = own.rerun;
    spec.retentionPolicy = own.retentionPolicy;
    // Run limits: the template's, unless the Workflow sets its own.
    if (own.parallelism != null) {
      spec.parallelism = own.parallelism;
    }
    if (own.activeDeadlineSeconds != null) {
      spec.activeDeadlineSeconds = own.activeDeadlineSeconds;
    }
    Workflow resolved = new Workflow();
    resolved.setMetadata(
        new ObjectMetaBuilder(workflow.getMetadata())
            .addToAnnotations(DIGEST_ANNOTATION, digest(template))
            .build());
    resolved.setSpec(spec);
    resolved.setStatus(workflow.getStatus());
    return resolved;
  }

  /**
   * Reads a WorkflowTemplate manifest ({@code kind: WorkflowTemplate}) as strictly as a Workflow
   * manifest, and returns it with its name and spec.
   */
  public static dev.cairn.api.v1alpha1.WorkflowTemplate parse(java.nio.file.Path file) {
    String source = file.toString();
    JsonNode tree;
    try {
      tree = Json.YAML.readTree(java.nio.file.Files.readString(file));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InvalidWorkflowException(new Problem(source, "no such file"));
    } catch (java.io.IOException e) {
      throw new InvalidWorkflowException(new Problem(source, "invalid YAML: " + e.getMessage()));
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidWorkflowException(new Problem(source, "expected a WorkflowTemplate object"));
    }
    JsonNode kind = tree.get("kind");
    if (kind == null || !"WorkflowTemplate".equals(kind.asText())) {
      throw new InvalidWorkflowException(
          new Problem(
              source + " kind",
              "expected WorkflowTemplate, got " + (kind == null ? "none" : kind.asText())));
    }
    ObjectNode asWorkflow = ((ObjectNode) tree).deepCopy();
    // Parsed as a Workflow (the same strict rules for the spec), then taken as a template.
    asWorkflow.remove("kind");
    Workflow parsed = WorkflowParser.parse(Json.text(asWorkflow), source);
    dev.cairn.api.v1alpha1.WorkflowTemplate template =
        new dev.cairn.api.v1alpha1.WorkflowTemplate();
    template.setMetadata(parsed.getMetadata());
    template.setSpec(parsed.getSpec());
    return template;
  }

  /** The template digest a resolved Workflow runs, if it was resolved from a template. */
  public static Optional<String> digestOf(Workflow workflow) {
    Map<String, String> annotations = workflow.getMetadata().getAnnotations();
    return annotations == null
        ? Optional.empty()
        : Optional.ofNullable(annotations.get(DIGEST_ANNOTATION));
  }
}
