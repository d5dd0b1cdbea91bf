package dev.cairn.client;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import java.util.Map;
import java.util.Set;

/**
 * Which workflows {@link WorkflowClient#list} and {@link WorkflowClient#page} return.
 *
 * @param namespace only this namespace; null for every namespace the client can see
 * @param phases only these phases; empty for all. Interrupted runs count as Running.
 * @param nameContains only names containing this text; null for all
 * @param labels only workflows carrying every one of these labels with these values; empty for all
 */
public record ListFilter(
    String namespace, Set<WorkflowPhase> phases, String nameContains, Map<String, String> labels) {
  public static final ListFilter ALL = new ListFilter(null, Set.of(), null, Map.of());

  public ListFilter {
    phases = phases == null ? Set.of() : Set.copyOf(phases);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** A filter without labels. */
  public ListFilter(String namespace, Set<WorkflowPhase> phases, String nameContains) {
    this(namespace, phases, nameContains, Map.of());
  }

  /** True when {@code actual} (a workflow's labels, null for none) carries every wanted label. */
  public boolean labelsMatch(Map<String, String> actual) {
    if (labels.isEmpty()) {
      return true;
    }
    Map<String, String> have = actual == null ? Map.of() : actual;
    return labels.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())));
  }
}
