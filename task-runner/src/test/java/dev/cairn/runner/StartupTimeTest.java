package dev.cairn.runner;

import dev.cairn.core.store.s3.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wall time of a trivial attempt as a pod runs it: two JVMs (the sidecar, which fetches before
 * main and uploads after it, and main) against S3, with the pods' JVM options. Figures go to the
 * test output and to target/startup-times.txt; nothing is asserted about them. With {@code
 * -Dcairn.benchmark=true} it compares JVM settings (JIT tiers, class-data sharing, collector), five
 * runs each: {@code mvn -pl task-runner test -Dtest=StartupTimeTest -Dcairn.benchmark=true}.
 */
class StartupTimeTest {
  @TempDir Path temp;

  @Test
  void measuresATrivialAttemptAsAPodRunsIt() throws Exception {
    boolean compare = Boolean.getBoolean("cairn.benchmark");
    try (S3TestServer server = S3TestServer.start()) {
      TrivialAttempt attempt = new TrivialAttempt(server, temp);
      String archive = attempt.archive().toString();
      Map<String, List<String>> settings = new LinkedHashMap<>();
      settings.put("pods' options (RunnerJvm)", attempt.podOptions());
      if (compare) {
        settings.put("no options (JDK CDS only)", List.of());
        settings.put("-Xshare:off (no CDS at all)", List.of("-Xshare:off"));
        settings.put("AppCDS only", List.of("-XX:SharedArchiveFile=" + archive));
        settings.put(
            "AppCDS + TieredStopAtLevel=1",
            List.of("-XX:SharedArchiveFile=" + archive, "-XX:TieredStopAtLevel=1"));
        settings.put(
            "AppCDS + UseSerialGC",
            List.of("-XX:SharedArchiveFile=" + archive, "-XX:+UseSerialGC"));
      }
      int runs = compare ? 5 : 1;
      StringBuilder report = new StringBuilder();
      report.append(
          String.format(
              "%-30s %8s %8s %8s %8s %10s%n",
              "JVM options (median of " + runs + ")",
              "fetch",
              "run",
              "upload",
              "total",
              "best total"));
      // Round robin, one attempt of each setting per round: a machine whose load drifts during
      // the run then weighs on every setting alike.
      Map<String, List<long[]>> samplesBySetting = new LinkedHashMap<>();
      int n = 0;
      for (int i = 0; i < runs; i++) {
        for (Map.Entry<String, List<String>> setting : settings.entrySet()) {
          samplesBySetting
              .computeIfAbsent(setting.getKey(), k -> new ArrayList<>())
              .add(trivialAttempt(attempt, setting.getValue(), ++n));
        }
      }
      for (Map.Entry<String, List<String>> setting : settings.entrySet()) {
        List<long[]> samples = samplesBySetting.get(setting.getKey());
        long[] median = new long[4];
        for (int phase = 0; phase < 4; phase++) {
          final int p = phase;
          median[p] = samples.stream().mapToLong(s -> s[p]).sorted().toArray()[runs / 2];
        }
        long best = samples.stream().mapToLong(x -> x[3]).min().orElseThrow();
        report.append(
            String.format(
                "%-30s %8d %8d %8d %8d %10d%n",
                setting.getKey(), median[0], median[1], median[2], median[3], best));
      }
      System.out.println(
          "Trivial attempt, wall time per pod phase (sidecar until ready, main, upload after SIGTERM):\n"
              + report);
      Files.writeString(
          RunnerProcess.JAR.resolveSibling("startup-times.txt"),
          report,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING);
    }
  }

  /** fetch, run, upload of a one-argument function; returns the ms of each phase and the total. */
  private static long[] trivialAttempt(TrivialAttempt attempt, List<String> jvm, int n)
      throws Exception {
    TrivialAttempt.Times times = attempt.run(jvm, n);
    return new long[] {times.fetchMs(), times.runMs(), times.uploadMs(), times.totalMs()};
  }
}
