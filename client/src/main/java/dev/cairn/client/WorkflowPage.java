package dev.cairn.client;

import java.util.List;

/**
 * One page of a listing ({@link WorkflowClient#page}).
 *
 * @param items the workflows of this page, in the listing's order
 * @param continueToken what to pass to get the next page; null on the last page
 */
public record WorkflowPage(List<WorkflowStatus> items, String continueToken) {
  public WorkflowPage {
    items = items == null ? List.of() : List.copyOf(items);
  }

  /**
   * The listing's order on ids {@code namespace/name}: by namespace, then by name, as {@link
   * WorkflowClient#list} sorts.
   */
  public static int compareIds(String a, String b) {
    int slashA = a.indexOf('/');
    int slashB = b.indexOf('/');
    String nsA = slashA < 0 ? "" : a.substring(0, slashA);
    String nsB = slashB < 0 ? "" : b.substring(0, slashB);
    int byNamespace = nsA.compareTo(nsB);
    return byNamespace != 0
        ? byNamespace
        : a.substring(slashA + 1).compareTo(b.substring(slashB + 1));
  }
}
