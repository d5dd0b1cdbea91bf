package dev.cairn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes test workflows. */
final class Workflows {
  static final String STEP = "dev.cairn.cli.testing.TestTasks#step";

  private Workflows() {}

  static Path write(Path dir, String name, String tasksYaml) throws IOException {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: "
            + name
            + "}\nspec:\n"
            + tasksYaml.indent(2));
    return file;
  }

  /** A chain s1 -> s2 -> ... -> sN of TestTasks#step; its output is N. */
  static Path chain(Path dir, String name, int length) throws IOException {
    StringBuilder tasks = new StringBuilder("tasks:\n");
    for (int i = 1; i <= length; i++) {
      tasks
          .append("- {name: s")
          .append(i)
          .append(", function: ")
          .append(STEP)
          .append(", args: [s")
          .append(i)
          .append(", ");
      tasks.append(i == 1 ? "0" : "{$task: s" + (i - 1) + "}").append("]}\n");
    }
    return write(dir, name, tasks.toString());
  }

  static List<String> log(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : new ArrayList<>();
  }
}
