package dev.cairn.client;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import java.util.Set;

/**
 * Which workflows {@link WorkflowClient#list} returns.
 *
 * @param namespace only this namespace; null for every namespace the client can see
 * @param phases only these phases; empty for all. Interrupted runs count as Running.
 * @param nameContains only names containing this text; null for all
 */
public record ListFilter(String namespace, Set<WorkflowPhase> phases, String nameContains) {
  public static final ListFilter ALL = new ListFilter(null, Set.of(), null);

  public ListFilter {
    phases = phases == null ? Set.of() : Set.copyOf(phases);
  }
}
