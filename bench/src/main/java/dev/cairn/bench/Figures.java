package dev.cairn.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints each figure on a line of its own, {@code figure-name: value unit}, and keeps them all
 * (with samples and spread) for the JSON report.
 */
final class Figures {
  private final ArrayNode all = JsonNodeFactory.instance.arrayNode();

  /** A single measured value. */
  void add(String name, double value, String unit, String note) {
    print(name, value, unit);
    ObjectNode figure = all.addObject();
    figure.put("name", name).put("value", round(value)).put("unit", unit);
    if (note != null) {
      figure.put("note", note);
    }
  }

  /** The median of repeated samples, with their spread. */
  void addSamples(String name, List<Double> samples, String unit, String note) {
    List<Double> sorted = new ArrayList<>(samples);
    sorted.sort(Double::compare);
    double median =
        sorted.size() % 2 == 1
            ? sorted.get(sorted.size() / 2)
            : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    print(name, median, unit);
    ObjectNode figure = all.addObject();
    figure.put("name", name).put("value", round(median)).put("unit", unit);
    figure.put("min", round(sorted.get(0))).put("max", round(sorted.get(sorted.size() - 1)));
    ArrayNode raw = figure.putArray("samples");
    samples.forEach(s -> raw.add(round(s)));
    if (note != null) {
      figure.put("note", note);
    }
  }

  void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
    System.out.println("figures written to " + file);
  }

  private static void print(String name, double value, String unit) {
    System.out.println(name + ": " + format(value) + " " + unit);
    System.out.flush();
  }

  private static String format(double value) {
    if (Math.abs(value) >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
