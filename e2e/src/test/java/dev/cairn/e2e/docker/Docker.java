package dev.cairn.e2e.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The docker command line, for the few things the suite needs: build, run, inspect, remove. */
public final class Docker {
  /** The JRE base image .ci/setup builds from Debian packages (no registry is needed). */
  public static final String BASE_IMAGE =
      System.getenv().getOrDefault("CAIRN_BASE_IMAGE", "local/cairn-jre:17");

  /** A plain Debian image .ci/setup builds: the stand-in for public command images. */
  public static final String DEBIAN_IMAGE =
      System.getenv().getOrDefault("CAIRN_DEBIAN_IMAGE", "local/debian:bookworm");

  public record Result(int exit, String out) {
    public Result orThrow(String what) {
      if (exit != 0) {
        throw new IllegalStateException(what + " failed (exit " + exit + "): " + out);
      }
      return this;
    }
  }

  private Docker() {}

  /** Why containers cannot run here, or empty when they can. */
  public static Optional<String> unavailable() {
    Result version;
    try {
      version = run(List.of("info", "--format", "{{.ServerVersion}}"), 30);
    } catch (RuntimeException e) {
      return Optional.of("no docker command (" + e.getMessage() + "); .ci/setup installs one");
    }
    if (version.exit() != 0) {
      return Optional.of(
          "no Docker engine answers (" + version.out().strip() + "); .ci/setup starts one");
    }
    if (!imageExists(BASE_IMAGE)) {
      return Optional.of(
          "base image " + BASE_IMAGE + " is missing; .ci/setup builds it from Debian packages");
    }
    if (!imageExists(DEBIAN_IMAGE)) {
      return Optional.of("image " + DEBIAN_IMAGE + " is missing; .ci/setup builds it");
    }
    return Optional.empty();
  }

  public static boolean imageExists(String image) {
    return run(List.of("image", "inspect", "--format", "{{.Id}}", image), 30).exit() == 0;
  }

  /** Builds a target of the repository's Dockerfile on the local base image. */
  public static void build(Path context, String target, String tag) {
    run(
            List.of(
                "build",
                "--quiet",
                "--network",
                "host",
                "--build-arg",
                "BASE_IMAGE=" + BASE_IMAGE,
                "--target",
                target,
                "-t",
                tag,
                context.toString()),
            600)
        .orThrow("docker build --target " + target);
  }

  public static Result run(List<String> args, long timeoutSeconds) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // The legacy builder needs no buildx plugin, which a distribution's engine may lack.
    builder.environment().put("DOCKER_BUILDKIT", "0");
    try {
      Process process = builder.start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(124, "timed out: " + String.join(" ", command));
      }
      return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
