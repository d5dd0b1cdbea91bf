package dev.cairn.operator.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's credentials as the operator received them (from its environment, never from flags),
 * to hand to task pods through a Secret in their namespace. Never printed.
 */
public record StoreCredentials(Map<String, String> variables) {
  private static final List<String> NAMES =
      List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");

  public static StoreCredentials from(Map<String, String> env) {
    Map<String, String> found = new LinkedHashMap<>();
    for (String name : NAMES) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        found.put(name, value);
      }
    }
    return new StoreCredentials(Map.copyOf(found));
  }

  public boolean present() {
    return variables.containsKey("AWS_ACCESS_KEY_ID")
        && variables.containsKey("AWS_SECRET_ACCESS_KEY");
  }

  @Override
  public String toString() {
    return "StoreCredentials" + variables.keySet();
  }
}
