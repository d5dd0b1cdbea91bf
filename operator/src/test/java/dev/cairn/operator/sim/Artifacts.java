package dev.cairn.operator.sim;

import java.nio.file.Files;
import java.nio.file.Path;

/** The jars the simulated pods run: the task runner, and the examples' functions. */
public final class Artifacts {
  private Artifacts() {}

  public static Path runnerJar() {
    return require(Path.of("../task-runner/target/cairn-task-runner.jar"));
  }

  public static Path examplesJar() {
    return require(Path.of("../examples/target/cairn-examples.jar"));
  }

  /** The examples' jar when it is built, else nothing: only the examples test needs it. */
  public static String examplesClasspath() {
    Path jar = Path.of("../examples/target/cairn-examples.jar").toAbsolutePath().normalize();
    return Files.isRegularFile(jar) ? jar.toString() : "";
  }

  public static Path examples() {
    return Path.of("../examples").toAbsolutePath().normalize();
  }

  private static Path require(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    if (!Files.isRegularFile(absolute)) {
      throw new IllegalStateException(absolute + " is missing: build the reactor first (mvn -q install -DskipTests)");
    }
    return absolute;
  }
}
