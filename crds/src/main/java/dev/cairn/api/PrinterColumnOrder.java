package dev.cairn.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A build step after the CRD generator: puts a CRD's printer columns in the order the resource
 * class declares its {@link AdditionalPrinterColumn} annotations (the generator sorts them by JSON
 * path, so {@code kubectl get} would show AGE first). Rewrites only the order of the column items,
 * so the file stays as the generator formats it.
 *
 * <p>{@code java dev.cairn.api.PrinterColumnOrder CRD_YAML RESOURCE_CLASS}
 */
public final class PrinterColumnOrder {
  private static final String KEY = "additionalPrinterColumns:";

  private PrinterColumnOrder() {}

  public static void main(String[] args) throws IOException, ClassNotFoundException {
    Path file = Path.of(args[0]);
    List<String> names = new ArrayList<>();
    for (AdditionalPrinterColumn column :
        Class.forName(args[1]).getAnnotationsByType(AdditionalPrinterColumn.class)) {
      names.add(column.name());
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Files.writeString(file, reorder(text, names), StandardCharsets.UTF_8);
  }

  /** {@code yaml} with the items of each additionalPrinterColumns list in {@code names}' order. */
  static String reorder(String yaml, List<String> names) {
    List<String> lines = new ArrayList<>(yaml.lines().toList());
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).trim().replaceFirst("^- ", "").equals(KEY)) {
        continue;
      }
      int start = i + 1;
      if (start >= lines.size()) {
        break;
      }
      int indent = indent(lines.get(start));
      List<List<String>> items = new ArrayList<>();
      int end = start;
      while (end < lines.size()) {
        String line = lines.get(end);
        int at = indent(line);
        if (at == indent && line.startsWith("- ", at)) {
          items.add(new ArrayList<>());
        } else if (at <= indent || items.isEmpty()) {
          break;
        }
        items.get(items.size() - 1).add(line);
        end++;
      }
      items.sort(
          Comparator.comparingInt(
              item -> {
                int index = names.indexOf(name(item));
                return index < 0 ? names.size() : index;
              }));
      List<String> sorted = new ArrayList<>();
      items.forEach(sorted::addAll);
      for (int k = 0; k < sorted.size(); k++) {
        lines.set(start + k, sorted.get(k));
      }
      i = end - 1;
    }
    return String.join("\n", lines) + (yaml.endsWith("\n") ? "\n" : "");
  }

  private static String name(List<String> item) {
    for (String line : item) {
      String field = line.trim().replaceFirst("^- ", "");
      if (field.startsWith("name:")) {
        return field.substring("name:".length()).trim().replaceAll("^[\"']|[\"']$", "");
      }
    }
    return "";
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }
}
