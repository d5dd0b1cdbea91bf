package dev.cairn.core.dag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.api.v1alpha1.TaskDefaults;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.core.json.Digests;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.Problem;
import dev.cairn.core.spec.WorkflowId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workflow ready to run: its id, validated DAG, input values and the digest of what was run.
 * Continuations are expanded through {@link #expander()} with the same rules.
 */
public final class WorkflowDefinition {
  private final WorkflowId id;
  private final Workflow resource;
  private final Dag dag;
  private final Map<String, JsonNode> inputs;
  private final FunctionCatalog functions;
  private final String specDigest;
  private final RunLimits limits;

  private static final java.util.Set<String> RETENTION_POLICIES =
      java.util.Set.of("Retain", "Delete");

  private WorkflowDefinition(
      WorkflowId id,
      Workflow resource,
      Dag dag,
      Map<String, JsonNode> inputs,
      FunctionCatalog functions,
      String specDigest,
      RunLimits limits) {
    this.id = id;
    this.resource = resource;
    this.dag = dag;
    this.inputs = inputs;
    this.functions = functions;
    this.specDigest = specDigest;
    this.limits = limits;
  }

  /**
   * Validates and compiles {@code workflow}. {@code inputOverrides} replace input defaults (they
   * must name declared inputs).
   */
  public static WorkflowDefinition compile(
      Workflow workflow, Map<String, JsonNode> inputOverrides, FunctionCatalog catalog) {
    RecordingCatalog functions = new RecordingCatalog(catalog);
    // Every problem at once: a bad name is reported with the tasks' problems, not before them.
    List<Problem> problems = new ArrayList<>();
    String namespace = workflow.getMetadata().getNamespace();
    WorkflowId id = null;
    try {
      id =
          new WorkflowId(
              namespace == null ? WorkflowId.DEFAULT_NAMESPACE : namespace,
              workflow.getMetadata().getName());
    } catch (InvalidWorkflowException e) {
      problems.addAll(e.problems());
    }
    WorkflowSpec spec = workflow.getSpec();
    Map<String, JsonNode> inputs =
        new LinkedHashMap<>(spec.inputs == null ? Map.of() : spec.inputs);
    for (Map.Entry<String, JsonNode> override : inputOverrides.entrySet()) {
      if (!inputs.containsKey(override.getKey())) {
        problems.add(
            new Problem(
                "-p " + override.getKey(),
                "unknown input \"" + override.getKey() + "\"; declared: " + inputs.keySet()));
      } else {
        inputs.put(override.getKey(), override.getValue());
      }
    }
    Dag dag = null;
    try {
      dag =
          new DagBuilder("spec", "", "", inputs, functions)
              .build(spec.tasks, spec.defaults, spec.output);
    } catch (InvalidWorkflowException e) {
      problems.addAll(e.problems());
    }
    RunLimits limits = RunLimits.of(spec, problems);
    if (spec.retentionPolicy != null && !RETENTION_POLICIES.contains(spec.retentionPolicy)) {
      // The CRD refuses it at admission; a local run must not accept what a cluster refuses.
      problems.add(
          new Problem(
              "spec.retentionPolicy", "\"" + spec.retentionPolicy + "\" is not Retain or Delete"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidWorkflowException(problems);
    }
    ObjectNode material = JsonNodeFactory.instance.objectNode();
    dag.tasks().forEach(t -> material.put(t.id(), t.digest()));
    material.put("$output", dag.outputId());
    String specDigest = Digests.sha256Hex(Json.canonical(material)).substring(0, 16);
    return new WorkflowDefinition(id, workflow, dag, inputs, functions, specDigest, limits);
  }

  public WorkflowId id() {
    return id;
  }

  public Workflow resource() {
    return resource;
  }

  public Dag dag() {
    return dag;
  }

  public Map<String, JsonNode> inputs() {
    return inputs;
  }

  /**
   * The code identity of each function whose keys were computed so far ({@code Class#method/N} ->
   * identity), continuations included: stored with the run, so readers compute the same keys.
   */
  public Map<String, String> codeIdentities() {
    return functions instanceof RecordingCatalog r ? r.seen() : Map.of();
  }

  /** How many attempts may run at once and how long the run may take ({@link RunLimits}). */
  public RunLimits limits() {
    return limits;
  }

  /** Identifies the DAG as run: equal digests mean every task definition is unchanged. */
  public String specDigest() {
    return specDigest;
  }

  /**
   * Builds continuation sub-DAGs. Sub-tasks inherit the workflow's defaults and, unless they set
   * their own, the image of the task that returned them.
   */
  public ContinuationExpander expander() {
    // Captures what expansions need, not this definition: a runtime may keep the expander (in its
    // planner) for a long time without keeping the whole resource and its task list.
    TaskDefaults base = resource.getSpec().defaults;
    Map<String, JsonNode> inputs = this.inputs;
    FunctionCatalog functions = this.functions;
    return (parent, body) -> {
      String location = "task " + parent.id() + " continuation";
      ContinuationSpec spec;
      try {
        spec = Json.MAPPER.convertValue(body, ContinuationSpec.class);
      } catch (IllegalArgumentException e) {
        throw new InvalidWorkflowException(new Problem(location, e.getMessage()));
      }
      TaskDefaults defaults = new TaskDefaults();
      if (base != null) {
        defaults = Json.MAPPER.convertValue(base, TaskDefaults.class);
      }
      if (parent.image() != null) {
        defaults.image = parent.image();
      }
      return new DagBuilder(location, parent.childScope(), parent.digest(), inputs, functions)
          .build(spec.tasks, defaults, spec.output);
    };
  }
}
