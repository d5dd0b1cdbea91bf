package dev.cairn.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths of the built project that the suite runs: jars, examples, the chart. */
public final class Repository {
  public static final Path ROOT =
      Path.of(System.getProperty("cairn.repository", "..")).toAbsolutePath().normalize();

  private Repository() {}

  public static Path operatorJar() {
    return built("operator/target/cairn-operator.jar");
  }

  public static Path taskRunnerJar() {
    return built("task-runner/target/cairn-task-runner.jar");
  }

  public static Path examplesJar() {
    return built("examples/target/cairn-examples.jar");
  }

  /**
   * Copies the built jars (the operator's with its lib/) into {@code dir}, so that a rebuild during
   * a long run cannot change classes under running JVMs.
   */
  public static Snapshot snapshot(Path dir) {
    try {
      Files.createDirectories(dir.resolve("lib"));
      Path operator = Files.copy(operatorJar(), dir.resolve("cairn-operator.jar"));
      try (Stream<Path> libs = Files.list(operatorJar().resolveSibling("lib"))) {
        for (Path lib : libs.toList()) {
          Files.copy(lib, dir.resolve("lib").resolve(lib.getFileName()));
        }
      }
      Path runner = Files.copy(taskRunnerJar(), dir.resolve("task-runner.jar"));
      Path examples = Files.copy(examplesJar(), dir.resolve("cairn-examples.jar"));
      return new Snapshot(operator, runner, examples);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Jars copied for one run. */
  public record Snapshot(Path operatorJar, Path taskRunnerJar, Path examplesJar) {}

  public static Path chart() {
    return ROOT.resolve("helm/cairn");
  }

  public static Path example(String name) {
    return ROOT.resolve("examples").resolve(name + ".yaml");
  }

  public static List<Path> examples() {
    try (Stream<Path> files = Files.list(ROOT.resolve("examples"))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A jar made at package. A reactor run that stops before package ({@code mvn test}) has none:
   * there the suite is skipped with this message; in CI (which runs {@code mvn verify}, so the jars
   * are built first) a missing jar is an error.
   */
  private static Path built(String relative) {
    Path path = ROOT.resolve(relative);
    if (!Files.isRegularFile(path)) {
      String message =
          path
              + " is missing: the end-to-end suite runs packaged jars (mvn -B verify, or"
              + " mvn -B package -DskipTests first)";
      if (System.getenv("CI") == null) {
        throw new org.opentest4j.TestAbortedException(message);
      }
      throw new IllegalStateException(message);
    }
    return path;
  }
}
