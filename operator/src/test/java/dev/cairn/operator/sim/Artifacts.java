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

  /**
   * What a task image built on the runner image adds for the examples: their jar, and the SDK's
   * with the client API it names (functions written with it return its types), when they are built.
   */
  public static String examplesClasspath() {
    return java.util.stream.Stream.of(
            Path.of("../examples/target/cairn-examples.jar"),
            Path.of("../sdk/target/cairn-sdk-0.1.0-SNAPSHOT.jar"),
            Path.of("../client/target/cairn-client-0.1.0-SNAPSHOT.jar"))
        .map(p -> p.toAbsolutePath().normalize())
        .filter(Files::isRegularFile)
        .map(Path::toString)
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  public static Path examples() {
    return Path.of("../examples").toAbsolutePath().normalize();
  }

  private static Path require(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    if (!Files.isRegularFile(absolute)) {
      throw new IllegalStateException(
          absolute + " is missing: build the reactor first (mvn -q install -DskipTests)");
    }
    return absolute;
  }
}
