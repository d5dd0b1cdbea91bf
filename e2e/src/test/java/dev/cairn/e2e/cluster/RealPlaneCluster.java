package dev.cairn.e2e.cluster;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.CheckpointStores;
import dev.cairn.core.store.s3.S3TestServer;
import dev.cairn.e2e.Repository;
import dev.cairn.e2e.plane.ControlPlane;
import dev.cairn.e2e.plane.PlaneKubelet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.awaitility.Awaitility;

/**
 * The real control plane of e2e/cluster (real API server, controller manager with its garbage
 * collector, scheduler), Cairn installed by the built helm from helm/cairn, S3Proxy as the store,
 * and {@link PlaneKubelet} running the pods bound to the plane's Node. The namespaces of the
 * operator and of the Workflows enforce the Restricted Pod Security profile.
 */
public class RealPlaneCluster extends RealCluster {
  public static final String RELEASE = "cairn";
  static final String BUCKET = "cairn";
  private final Path work;
  protected ControlPlane plane;
  protected S3TestServer s3;
  protected CheckpointStore store;
  protected PlaneKubelet kubelet;
  private String operatorApiServer;

  public RealPlaneCluster(Path work) {
    this.work = work;
  }

  @Override
  public String name() {
    return "real-plane";
  }

  @Override
  public void start() throws Exception {
    plane = ControlPlane.get();
    client = plane.admin();
    deleteRecursively(work);
    Files.createDirectories(work);
    var jars = Repository.snapshot(work.resolve("jars"));
    s3 = S3TestServer.start();
    s3.blobStore().createContainerInLocation(null, BUCKET);
    store = CheckpointStores.open("s3://" + BUCKET + "/e2e", s3.options());
    removeLeftovers();
    kubelet =
        new PlaneKubelet(
                plane,
                work.resolve("node"),
                jars.taskRunnerJar(),
                jars.examplesJar(),
                jars.operatorJar())
            .start();
    if (operatorApiServer != null) {
      kubelet.routeOperatorsTo(operatorApiServer);
    }
    if (client.namespaces().withName(operatorNamespace).get() == null) {
      plane.kubectl("create", "namespace", operatorNamespace).orThrow();
    }
    for (String ns : List.of(operatorNamespace, namespace())) {
      plane
          .kubectl(
              "label",
              "--overwrite",
              "namespace",
              ns,
              "pod-security.kubernetes.io/enforce=restricted")
          .orThrow();
    }
    install();
    awaitOperatorReady(Set.of());
    deleteWorkflows();
  }

  /**
   * A run that was interrupted leaves Workflows whose checkpoints died with its S3Proxy, and their
   * pods: both go, without their finalizer (no operator could honour it now).
   */
  private void removeLeftovers() {
    if (client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("workflows.cairn.dev")
            .get()
        == null) {
      return; // a new plane: the chart has never been installed
    }
    for (Workflow w : client.resources(Workflow.class).inNamespace(namespace()).list().getItems()) {
      client
          .resources(Workflow.class)
          .inNamespace(namespace())
          .withName(w.getMetadata().getName())
          .edit(
              x -> {
                x.getMetadata().setFinalizers(List.of());
                return x;
              });
    }
    client.resources(Workflow.class).inNamespace(namespace()).delete();
    client
        .pods()
        .inNamespace(namespace())
        .withLabel(TaskPods.MANAGED_BY, TaskPods.OPERATOR)
        .withGracePeriod(0)
        .delete();
  }

  /** Installs the chart, or upgrades a release that a previous run left. */
  protected void install() {
    removeWhatAnEarlierOperatorMade();
    List<String> args = new ArrayList<>(List.of("upgrade", "--install", RELEASE));
    args.add(Repository.chart().toString());
    args.addAll(List.of("--namespace", operatorNamespace));
    args.addAll(installValues());
    plane.helm(args.toArray(String[]::new)).orThrow();
  }

  /**
   * An operator of an earlier install that watched every namespace gave this one the task
   * ServiceAccount and store Secret; a release that lists its namespaces renders them itself, and
   * helm refuses to take over objects it did not make (docs/kubernetes.md says the same to users).
   */
  protected void removeWhatAnEarlierOperatorMade() {
    String label = TaskPods.MANAGED_BY;
    String value = TaskPods.OPERATOR;
    client.serviceAccounts().inNamespace(namespace()).withLabel(label, value).delete();
    client.secrets().inNamespace(namespace()).withLabel(label, value).delete();
  }

  /** Installs the chart again (after a test uninstalled it) and waits for its operator. */
  public void reinstall() {
    install();
    awaitOperatorReady(Set.of());
  }

  /** The chart's store values for S3Proxy, as `--set` arguments. */
  public List<String> storeValues() {
    return List.of(
        "--set", "store.uri=s3://" + BUCKET + "/e2e",
        "--set", "store.endpoint=" + s3.endpoint(),
        "--set", "store.accessKeyId=" + S3TestServer.ACCESS_KEY,
        "--set", "store.secretAccessKey=" + S3TestServer.SECRET_KEY);
  }

  public String operatorNamespace() {
    return operatorNamespace;
  }

  /** The chart's values for this plane: the operator image the kubelet recognises, the store. */
  protected List<String> installValues() {
    List<String> values = new ArrayList<>();
    values.addAll(
        List.of(
            "--set", "image.repository=cairn-operator",
            "--set", "image.tag=e2e",
            "--set", "runnerImage.repository=cairn-examples",
            "--set", "runnerImage.tag=e2e",
            "--set", "watchNamespaces={" + namespace() + "}",
            "--set", "operator.statusInterval=0.2s"));
    values.addAll(storeValues());
    return values;
  }

  /** Before {@link #start()}: the operator's pods reach the API server at {@code server}. */
  public RealPlaneCluster routeOperatorsTo(String server) {
    this.operatorApiServer = server;
    return this;
  }

  /** The store's server, which tests stop and start again and make lose or drop writes. */
  public S3TestServer s3() {
    return s3;
  }

  public ControlPlane plane() {
    return plane;
  }

  public PlaneKubelet kubelet() {
    return kubelet;
  }

  @Override
  public Optional<CheckpointStore> store() {
    return Optional.of(store);
  }

  /** Deletes every Workflow of the suite's namespace (the operator removes its finalizer). */
  public void deleteWorkflows() {
    client.resources(Workflow.class).inNamespace(namespace()).delete();
    Awaitility.await("no Workflow left in " + namespace())
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                client
                    .resources(Workflow.class)
                    .inNamespace(namespace())
                    .list()
                    .getItems()
                    .isEmpty());
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      if (plane != null && kubelet != null) {
        deleteWorkflows();
        plane.helm("uninstall", RELEASE, "--namespace", operatorNamespace, "--wait");
      }
    } finally {
      if (kubelet != null) {
        kubelet.close();
      }
      if (store != null) {
        store.close();
      }
      if (s3 != null) {
        s3.close();
      }
    }
    // The plane's admin client is shared by the JVM's tests: not closed here.
  }
}
