package dev.cairn.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A run of a WorkflowTemplate (a reusable spec with declared inputs, kept in Git or in a cluster):
 * the template's name, the inputs to run it with and the type of its output. Immutable: {@link
 * #with} returns a new one.
 *
 * <pre>{@code
 * Template<Integer> doubled = Cairn.template("doubler", Integer.class).with("n", 21);
 * int result = Cairn.local().withTemplates(Path.of("templates")).run(doubled, "double-21"); // 84
 * Cairn.on(KubernetesWorkflowClient.of(client, "default")).run(doubled, "double-21");      // 84
 * }</pre>
 *
 * On a cluster the run is a Workflow with {@code spec.workflowTemplateRef}: the operator reads the
 * template there and snapshots it when the run starts. Locally the template is read from the
 * target's directory ({@link Target#withTemplates}) when the run starts, as {@code cairn run} reads
 * it from beside the Workflow's file.
 */
public final class Template<T> {
  final String name;
  final Map<String, JsonNode> inputs;
  final Type valueType;

  Template(String name, Map<String, JsonNode> inputs, Type valueType) {
    this.name = Objects.requireNonNull(name, "name");
    this.inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    this.valueType = valueType;
  }

  /** This run with input {@code input} set to {@code value} (any value Jackson writes as JSON). */
  public Template<T> with(String input, Object value) {
    Map<String, JsonNode> next = new LinkedHashMap<>(inputs);
    next.put(Objects.requireNonNull(input, "input"), Json.MAPPER.valueToTree(value));
    return new Template<>(name, next, valueType);
  }

  /** This run with every entry of {@code values} set as an input. */
  public Template<T> with(Map<String, ?> values) {
    Template<T> out = this;
    for (Map.Entry<String, ?> e : values.entrySet()) {
      out = out.with(e.getKey(), e.getValue());
    }
    return out;
  }

  /** The WorkflowTemplate's name (in the Workflow's namespace on a cluster). */
  public String name() {
    return name;
  }

  /** The inputs set, over the template's declared defaults. */
  public Map<String, JsonNode> inputs() {
    return inputs;
  }

  @Override
  public String toString() {
    return "template " + name + " " + inputs;
  }
}
