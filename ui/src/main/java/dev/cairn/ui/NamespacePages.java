package dev.cairn.ui;

import dev.cairn.client.ListFilter;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowPage;
import java.util.List;

/**
 * Listings limited to some namespaces (the operator's watched ones, {@code cairn ui -n NS}), for
 * identities that may not list every namespace: one namespace after the other, one request per
 * page. The continue token is the namespace's index and the client's own token, {@code
 * INDEX:TOKEN}.
 */
final class NamespacePages {
  private final WorkflowClient client;
  private final List<String> namespaces;

  NamespacePages(WorkflowClient client, List<String> namespaces) {
    this.client = client;
    this.namespaces = List.copyOf(namespaces);
  }

  WorkflowPage page(ListFilter filter, int limit, String token) {
    if (namespaces.isEmpty() || filter.namespace() != null) {
      return client.page(filter, limit, token);
    }
    int index = 0;
    String inner = null;
    if (token != null) {
      int colon = token.indexOf(':');
      try {
        index = Integer.parseInt(token.substring(0, Math.max(0, colon)));
      } catch (NumberFormatException e) {
        index = -1;
      }
      if (colon < 0 || index < 0 || index >= namespaces.size()) {
        throw new ApiError(400, "continue token \"" + token + "\" is not one this listing gave");
      }
      inner = colon == token.length() - 1 ? null : token.substring(colon + 1);
    }
    ListFilter one =
        new ListFilter(
            namespaces.get(index), filter.phases(), filter.nameContains(), filter.labels());
    WorkflowPage page = client.page(one, limit, inner);
    String next;
    if (page.continueToken() != null) {
      next = index + ":" + page.continueToken();
    } else if (index + 1 < namespaces.size()) {
      next = (index + 1) + ":";
    } else {
      next = null;
    }
    return new WorkflowPage(page.items(), next);
  }
}
