package dev.cairn.bench;

import dev.cairn.core.store.s3.S3TestServer;
import dev.cairn.runner.TrivialAttempt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The task runner as a pod runs it: a trivial attempt is two JVMs of the real runner jar (the
 * sidecar, which fetches before main and uploads after it, and main) against S3Proxy, with the JVM
 * options of the pods' runner containers and the image's class-data archive. The measurement is the
 * task runner's own ({@link TrivialAttempt}, also used by its StartupTimeTest).
 */
final class RunnerBench {
  private final Path work;
  private final Figures figures;

  RunnerBench(Path work, Figures figures) {
    this.work = work;
    this.figures = figures;
  }

  void trivialAttempt(int repeats) throws Exception {
    try (S3TestServer server = S3TestServer.start()) {
      TrivialAttempt attempt =
          new TrivialAttempt(server, Files.createDirectories(work.resolve("runner")));
      // The first attempt warms S3Proxy and the page cache of the jar and archive: not a sample.
      attempt.run(0);
      List<Double> total = new ArrayList<>();
      List<Double> fetch = new ArrayList<>();
      List<Double> run = new ArrayList<>();
      List<Double> upload = new ArrayList<>();
      List<Double> fetchWithInput = new ArrayList<>();
      for (int i = 1; i <= repeats; i++) {
        TrivialAttempt.Times times = attempt.run(i);
        total.add((double) times.totalMs());
        fetch.add((double) times.fetchMs());
        run.add((double) times.runMs());
        upload.add((double) times.uploadMs());
        fetchWithInput.add((double) attempt.fetchWithInput(i));
      }
      String note =
          "fetch (the sidecar's JVM until ready) + run (main's JVM) + upload (the sidecar after"
              + " SIGTERM), with the pods' options and a class-data archive made as the image build"
              + " makes it, against S3Proxy";
      figures.addSamples("runner-trivial-attempt-ms", total, "ms", note + "; median of " + repeats);
      figures.addSamples("runner-fetch-ms", fetch, "ms", null);
      figures.addSamples("runner-run-ms", run, "ms", null);
      figures.addSamples("runner-upload-ms", upload, "ms", null);
      figures.addSamples(
          "runner-fetch-with-input-ms",
          fetchWithInput,
          "ms",
          "the sidecar until ready for a task with one stored upstream input (its value read, its"
              + " commit looked up for artifacts); the trivial attempt's task has literal arguments"
              + " only");
    }
  }
}
