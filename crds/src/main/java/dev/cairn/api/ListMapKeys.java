package dev.cairn.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A build step after the CRD generator (which has no annotation for it): marks a list property as a
 * map keyed by one field ({@code x-kubernetes-list-type: map}), so the API server refuses two items
 * with the same key at admission, at no CEL cost, and server-side apply merges the list by key.
 * Cairn uses it for {@code spec.tasks}, keyed by {@code name}: task names are unique.
 *
 * <p>{@code java dev.cairn.api.ListMapKeys CRD_YAML PROPERTY_PATH KEY}, the path as {@code
 * spec.tasks}
 */
public final class ListMapKeys {
  private ListMapKeys() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Files.writeString(file, mark(text, args[1], args[2]), StandardCharsets.UTF_8);
  }

  /**
   * {@code yaml} (a CRD as the generator writes it: two-space indents, sorted keys) with the
   * property at {@code path} under each version's {@code openAPIV3Schema} marked as a map list
   * keyed by {@code key}. Unchanged if already marked; an error if the property is missing.
   */
  static String mark(String yaml, String path, String key) {
    List<String> lines = new ArrayList<>(yaml.lines().toList());
    List<String> wanted = new ArrayList<>(List.of("openAPIV3Schema"));
    for (String part : path.split("\\.")) {
      wanted.add("properties");
      wanted.add(part);
    }
    List<String> stack = new ArrayList<>();
    List<Integer> indents = new ArrayList<>();
    int marked = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String trimmed = line.trim();
      if (trimmed.isEmpty() || !trimmed.replaceFirst("^- ", "").matches("^[\\w$\"-]+:.*")) {
        continue;
      }
      int indent = indent(line) + (trimmed.startsWith("- ") ? 2 : 0);
      String name = trimmed.replaceFirst("^- ", "");
      name = name.substring(0, name.indexOf(':')).replace("\"", "");
      while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
        indents.remove(indents.size() - 1);
        stack.remove(stack.size() - 1);
      }
      stack.add(name);
      indents.add(indent);
      if (!endsWith(stack, wanted)) {
        continue;
      }
      int childIndent = indent + 2;
      int end = i + 1;
      int typeLine = -1;
      boolean already = false;
      while (end < lines.size()
          && (lines.get(end).isBlank() || indent(lines.get(end)) >= childIndent)) {
        String child = lines.get(end);
        if (indent(child) == childIndent) {
          already |= child.trim().startsWith("x-kubernetes-list-type:");
          if (child.trim().equals("type: \"array\"")) {
            typeLine = end;
          }
        }
        end++;
      }
      if (typeLine < 0) {
        throw new IllegalArgumentException(path + " is not an array in the CRD");
      }
      if (!already) {
        String pad = " ".repeat(childIndent);
        lines.addAll(
            typeLine + 1,
            List.of(
                pad + "x-kubernetes-list-map-keys:",
                pad + "- \"" + key + "\"",
                pad + "x-kubernetes-list-type: \"map\""));
      }
      marked++;
    }
    if (marked == 0) {
      throw new IllegalArgumentException(path + " not found in the CRD");
    }
    return String.join("\n", lines) + (yaml.endsWith("\n") ? "\n" : "");
  }

  private static boolean endsWith(List<String> stack, List<String> suffix) {
    if (stack.size() < suffix.size()) {
      return false;
    }
    return stack.subList(stack.size() - suffix.size(), stack.size()).equals(suffix);
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }
}
