package dev.cairn.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.task.RunnerJvm;
import dev.cairn.core.task.TaskEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pods' JVM options ({@link RunnerJvm}) with the runner image's class-data archive: the archive
 * that the warmup mode makes (as the image build does) fits the jar, and an archive that is missing
 * or made for another jar costs start-up time only, with no word of it in the container's output
 * (main's output is the task's log).
 */
class ClassDataSharingTest {
  @TempDir static Path temp;
  private static Path archive;

  @BeforeAll
  static void makeTheArchiveAsTheImageBuildDoes() throws Exception {
    archive = temp.resolve("task-runner.jsa");
    RunnerProcess.Result dump =
        RunnerProcess.run(Map.of(), RunnerJvm.archiveOptions(archive.toString()), "warmup");
    assertThat(dump.exit()).as(dump.stderr()).isZero();
    assertThat(archive).isNotEmptyFile();
  }

  @Test
  void theWarmupArchiveFitsTheJarItWasMadeFrom() throws Exception {
    // -Xshare:on: the JVM refuses to start unless it maps the archive (the image build checks so).
    List<String> options = new ArrayList<>(RunnerJvm.options(archive.toString()));
    options.add("-Xshare:on");
    Path pod = temp.resolve("fits");
    RunnerProcess.Result fetch = RunnerProcess.run(env(pod), options, "fetch", "--store", store());
    assertThat(fetch.exit()).as(fetch.stderr()).isZero();
    assertThat(pod.resolve("input.json")).hasContent("[[1,2],3]");
  }

  @Test
  void aMissingArchiveOnlyCostsStartupTime() throws Exception {
    Path pod = temp.resolve("missing");
    RunnerProcess.Result fetch =
        RunnerProcess.run(
            env(pod),
            RunnerJvm.options(temp.resolve("absent.jsa").toString()),
            "fetch",
            "--store",
            store());
    assertThat(fetch.exit()).as(fetch.stderr()).isZero();
    assertThat(pod.resolve("input.json")).hasContent("[[1,2],3]");
    assertThat(fetch.stdout() + fetch.stderr()).doesNotContainIgnoringCase("archive");
  }

  @Test
  void anArchiveMadeForAnotherJarIsIgnoredWithoutAWordInTheTasksLog() throws Exception {
    // Another jar (here a copy elsewhere, with another time stamp): the archive does not fit it.
    Path otherJar = temp.resolve("other/task-runner.jar");
    Files.createDirectories(otherJar.getParent());
    Files.copy(RunnerProcess.JAR, otherJar);
    Path pod = temp.resolve("stale");
    RunnerProcess.Result fetch =
        RunnerProcess.run(
            otherJar, env(pod), RunnerJvm.options(archive.toString()), "fetch", "--store", store());
    assertThat(fetch.exit()).as(fetch.stderr()).isZero();
    assertThat(pod.resolve("input.json")).hasContent("[[1,2],3]");
    assertThat(fetch.stdout() + fetch.stderr()).doesNotContainIgnoringCase("archive");
  }

  private static String store() {
    return temp.resolve("store").toString();
  }

  private static Map<String, String> env(Path pod) throws Exception {
    Files.createDirectories(pod);
    Map<String, String> env = new HashMap<>();
    env.put(TaskEnvironment.WORKFLOW, "cds/trivial");
    env.put(TaskEnvironment.TASK, "sum");
    env.put(PodEnvironment.DIGEST, "0123456789abcdef");
    env.put(TaskEnvironment.ATTEMPT, "1");
    env.put(PodEnvironment.SESSION, "1");
    env.put(PodEnvironment.ATTEMPT_SPEC, "{\"args\":[[1,2],3]}");
    env.put(TaskEnvironment.INPUT, pod.resolve("input.json").toString());
    env.put(TaskEnvironment.OUTPUT, pod.resolve("output.json").toString());
    env.put(TaskEnvironment.ARTIFACTS, pod.resolve("artifacts").toString());
    env.put(TaskEnvironment.ARTIFACTS_IN, pod.resolve("artifacts-in").toString());
    return env;
  }
}
