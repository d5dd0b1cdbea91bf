package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import dev.cairn.bench.chaos.HostileSpecs;
import dev.cairn.e2e.cluster.RealPlaneCluster;
import dev.cairn.e2e.plane.ControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The chaos suite's invalid manifests (bench {@link HostileSpecs}, seeded) through the real {@code
 * kubectl apply} against the real API server with the chart's CRD, and the operator behind it. Each
 * must be refused, at admission (the CRD's schema and CEL rules) with the API server's message, or
 * by the operator with its InvalidSpec condition; none may create a pod, crash or restart the
 * operator, or hang {@code kubectl}. The counts are printed and written to {@code
 * target/e2e/RealPlaneHostileManifestsTest/figures.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealPlaneHostileManifestsTest {
  /** Cases drawn (only the invalid ones are applied); {@code -Dcairn.fuzz.kubectl=N} for more. */
  private static final int DRAWN = Integer.getInteger("cairn.fuzz.kubectl", 160);

  private static final long SEED = 17;

  /** Larger manifests are the fuzzer's huge-argument cases: the in-process fuzzer covers them. */
  private static final int MAX_BYTES = 256 * 1024;

  /** kubectl's report of an object it applied. */
  private static final Pattern APPLIED =
      Pattern.compile("workflow\\.cairn\\.dev/(\\S+) (created|configured|unchanged)");

  /** kubectl's own refusals, before any request: its parser and its client-side checks. */
  private static final Pattern CLIENT_SIDE =
      Pattern.compile(
          "(?s)^error: (error parsing|error when retrieving current configuration|the namespace"
              + " from the provided object|error validating).*");

  private RealPlaneCluster cluster;
  private Path work;

  @BeforeAll
  void start() throws Exception {
    work = Path.of("target", "e2e", getClass().getSimpleName()).toAbsolutePath();
    cluster = new RealPlaneCluster(work);
    cluster.start();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.deleteWorkflows();
      cluster.close();
    }
  }

  enum Verdict {
    REJECTED_BY_KUBECTL,
    /**
     * kubectl decoded the manifest into a valid object (invalid UTF-8 becomes U+FFFD, the last of
     * duplicate keys wins): the API server never saw what made it invalid, so it may run.
     */
    NORMALIZED_BY_KUBECTL,
    REJECTED_AT_ADMISSION,
    REJECTED_AT_ADMISSION_UNNAMED,
    REJECTED_BY_OPERATOR,
    ACCEPTED_INVALID,
    KUBECTL_CRASHED,
    HUNG
  }

  @Test
  void invalidManifestsAreRefusedByTheApiServerOrTheOperatorAndCreateNoPod() throws Exception {
    ControlPlane plane = cluster.plane();
    Map<String, Long> operatorBefore = Map.copyOf(cluster.kubelet().operatorPids());
    Path dir = Files.createDirectories(work.resolve("cases"));
    Map<String, HostileSpecs.Case> accepted = new LinkedHashMap<>();
    Map<Verdict, List<String>> verdicts = new LinkedHashMap<>();
    int applied = 0;
    long started = System.nanoTime();
    for (int i = 3; i < 3 + DRAWN; i++) {
      HostileSpecs.Case c = HostileSpecs.generate(SEED, i, true);
      if (!c.mustReject() || c.content().length > MAX_BYTES) {
        continue;
      }
      applied++;
      Path file = dir.resolve("case-" + i + ".yaml");
      Files.write(file, c.content());
      long t0 = System.nanoTime();
      ControlPlane.Result result =
          plane.kubectl(
              "apply", "-n", cluster.namespace(), "--request-timeout=20s", "-f", file.toString());
      double seconds = (System.nanoTime() - t0) / 1e9;
      String label = i + " " + c.category() + " (" + c.description() + ")";
      if (seconds > 20) {
        verdicts.computeIfAbsent(Verdict.HUNG, k -> new ArrayList<>()).add(label);
      } else if (result.output().contains("panic:") || result.exit() > 1) {
        verdicts
            .computeIfAbsent(Verdict.KUBECTL_CRASHED, k -> new ArrayList<>())
            .add(label + ": " + result.output());
      } else if (result.exit() != 0 && CLIENT_SIDE.matcher(result.output().strip()).matches()) {
        verdicts
            .computeIfAbsent(Verdict.REJECTED_BY_KUBECTL, k -> new ArrayList<>())
            .add(label + ": " + firstLine(result.output()));
      } else if (result.exit() != 0) {
        boolean named =
            result
                .output()
                .matches(
                    "(?s).*(spec\\.|metadata\\.|line \\d+|apiVersion|kind|Invalid value|unknown field|Required value).*");
        verdicts
            .computeIfAbsent(
                named ? Verdict.REJECTED_AT_ADMISSION : Verdict.REJECTED_AT_ADMISSION_UNNAMED,
                k -> new ArrayList<>())
            .add(label + ": " + firstLine(result.output()));
      } else {
        Matcher name = APPLIED.matcher(result.output());
        assertThat(name.find())
            .as("kubectl's output for " + label + ": " + result.output())
            .isTrue();
        Workflow stored =
            cluster
                .client()
                .resources(Workflow.class)
                .inNamespace(cluster.namespace())
                .withName(name.group(1))
                .get();
        if (validAsStored(stored)) {
          verdicts
              .computeIfAbsent(Verdict.NORMALIZED_BY_KUBECTL, k -> new ArrayList<>())
              .add(label);
          cluster.client().resource(stored).delete();
        } else {
          accepted.put(name.group(1), c);
        }
      }
    }
    // What the API server took, the operator must refuse: Failed with InvalidSpec, no pod.
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Map<String, String> pending = new LinkedHashMap<>();
    accepted.forEach(
        (n, c) -> pending.put(n, c.index() + " " + c.category() + " (" + c.description() + ")"));
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      for (String n : List.copyOf(pending.keySet())) {
        Workflow w =
            cluster
                .client()
                .resources(Workflow.class)
                .inNamespace(cluster.namespace())
                .withName(n)
                .get();
        WorkflowStatus s = w == null ? null : w.getStatus();
        if (s == null || s.phase == null) {
          continue;
        }
        boolean invalid =
            s.conditions != null
                && s.conditions.stream().anyMatch(x -> "InvalidSpec".equals(x.getReason()));
        verdicts
            .computeIfAbsent(
                invalid ? Verdict.REJECTED_BY_OPERATOR : Verdict.ACCEPTED_INVALID,
                k -> new ArrayList<>())
            .add(pending.get(n) + ": " + s.phase + " " + s.message);
        pending.remove(n);
      }
      Thread.sleep(500);
    }
    pending.forEach(
        (n, label) ->
            verdicts
                .computeIfAbsent(Verdict.HUNG, k -> new ArrayList<>())
                .add(label + ": no status in 90 s"));
    long pods =
        cluster.client().pods().inNamespace(cluster.namespace()).list().getItems().stream()
            .filter(p -> p.getMetadata().getLabels() != null)
            .filter(p -> accepted.containsKey(p.getMetadata().getLabels().get(TaskPods.WORKFLOW)))
            .count();
    double seconds = (System.nanoTime() - started) / 1e9;

    StringBuilder figures = new StringBuilder();
    figures.append("fuzz-kubectl-seed: ").append(SEED).append('\n');
    figures
        .append("fuzz-kubectl-cases: ")
        .append(applied)
        .append(" invalid manifests (of ")
        .append(DRAWN)
        .append(" drawn)\n");
    for (Verdict v : Verdict.values()) {
      figures
          .append("fuzz-kubectl-")
          .append(v.name().toLowerCase().replace('_', '-'))
          .append(": ")
          .append(verdicts.getOrDefault(v, List.of()).size())
          .append('\n');
    }
    figures.append("fuzz-kubectl-pods-created: ").append(pods).append('\n');
    figures
        .append("fuzz-kubectl-seconds: ")
        .append(String.format(java.util.Locale.ROOT, "%.1f", seconds))
        .append('\n');
    verdicts.forEach(
        (v, list) -> {
          if (v != Verdict.REJECTED_AT_ADMISSION
              && v != Verdict.REJECTED_BY_OPERATOR
              && v != Verdict.REJECTED_BY_KUBECTL) {
            list.forEach(l -> figures.append("# ").append(v).append(": ").append(l).append('\n'));
          }
        });
    Files.writeString(work.resolve("figures.txt"), figures);
    System.err.println("[e2e] kubectl apply of hostile manifests:\n" + figures);

    assertThat(applied).as("invalid manifests applied").isGreaterThan(50);
    assertThat(pods).as("pods created for invalid manifests\n" + figures).isZero();
    assertThat(verdicts.getOrDefault(Verdict.ACCEPTED_INVALID, List.of()))
        .as(figures.toString())
        .isEmpty();
    assertThat(verdicts.getOrDefault(Verdict.REJECTED_AT_ADMISSION_UNNAMED, List.of()))
        .as(figures.toString())
        .isEmpty();
    assertThat(verdicts.getOrDefault(Verdict.KUBECTL_CRASHED, List.of()))
        .as(figures.toString())
        .isEmpty();
    assertThat(verdicts.getOrDefault(Verdict.HUNG, List.of())).as(figures.toString()).isEmpty();
    assertThat(cluster.kubelet().operatorPids())
        .as("the operator neither crashed nor restarted")
        .isEqualTo(operatorBefore);
  }

  /** The object as the API server stored it passes the operator's own validation. */
  private static boolean validAsStored(Workflow stored) {
    if (stored == null) {
      return false;
    }
    try {
      dev.cairn.core.dag.WorkflowDefinition.compile(
          stored, Map.of(), dev.cairn.core.dag.FunctionCatalog.ANY);
      return true;
    } catch (RuntimeException invalid) {
      return false;
    }
  }

  private static String firstLine(String text) {
    String line = text.strip().lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
