package dev.cairn.operator.config;

import dev.cairn.core.task.RunnerJvm;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the operator is told at start, from environment variables ({@code CAIRN_STORE}) or the
 * equivalent flags ({@code --store=...}); flags win. See docs/operator.md for the table.
 *
 * @param store where checkpoints live: {@code s3://bucket/prefix} or {@code file:///path}
 * @param storeEndpoint S3 endpoint URL (empty for AWS itself)
 * @param storeSecret name of the Secret holding {@code AWS_ACCESS_KEY_ID} / {@code
 *     AWS_SECRET_ACCESS_KEY}; task pods get it through {@code envFrom}
 * @param namespaces namespaces to watch; empty means all
 * @param taskServiceAccount the ServiceAccount of task pods whose workflow names none
 * @param leaseIdentity this replica's name in the leader election Lease
 * @param leaseDuration how long a leader's lease lasts without renewal: the longest a failover
 *     waits
 * @param exitOnLostLease end the process when leadership is lost, so Kubernetes restarts it as a
 *     follower (never two replicas acting)
 * @param maxParallelPods task pods alive at once across all workflows
 * @param statusInterval shortest time between two status writes that only report progress
 * @param storeCredentials the store's keys from the operator's environment: copied into the store
 *     Secret of a namespace whose Workflows need one and that has none
 * @param pendingTimeout how long a task pod may stay unscheduled or unable to start its containers
 *     (Unschedulable, ImagePullBackOff, CreateContainerConfigError...) before its attempt fails
 *     with that reason
 * @param podGcStrategy when finished task pods are deleted, for workflows without {@code
 *     spec.podGC} (a {@link dev.cairn.api.v1alpha1.PodGC} strategy; default Never)
 * @param podGcDelay how long after its strategy allows it such a pod is deleted
 * @param podPolicy what a Workflow may ask of its pods through {@code spec.pod} ({@code
 *     CAIRN_POD_*})
 * @param requireNativeSidecars refuse to start on an API server older than Kubernetes 1.29 (else
 *     only warn)
 * @param recordKey seals commit records ({@code CAIRN_RECORD_KEY}): only the operator writes
 *     commits a run uses
 * @param storeSecretPerNamespace each namespace brings its own store Secret (keys limited to its
 *     own prefix): the operator never copies its own keys into a namespace ({@code
 *     CAIRN_STORE_CREDENTIALS=per-namespace}; default {@code shared})
 * @param terminatingTimeout how long past its deletion deadline (deletionTimestamp: the request
 *     plus its grace period) a deleted task pod that holds its task's next attempt may remain
 *     before the operator deletes it with a grace period of 0 ({@code CAIRN_TERMINATING_TIMEOUT},
 *     default 2m): only a kubelet that no longer answers (a lost node) leaves a pod that long
 */
public record OperatorConfig(
    String store,
    String storeEndpoint,
    String storeRegion,
    String storeSecret,
    StoreCredentials storeCredentials,
    String defaultTaskImage,
    String runnerImage,
    String taskServiceAccount,
    Set<String> namespaces,
    int maxParallelPods,
    double clientQps,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    String leaseIdentity,
    Duration leaseDuration,
    boolean exitOnLostLease,
    int httpPort,
    Duration statusInterval,
    Duration pendingTimeout,
    long runAsUser,
    int reconcileThreads,
    String podGcStrategy,
    Duration podGcDelay,
    dev.cairn.operator.pods.PodPolicy podPolicy,
    boolean requireNativeSidecars,
    RecordKey recordKey,
    boolean storeSecretPerNamespace,
    Duration terminatingTimeout) {

  /** The runner jar in the runner image; how pods start it: {@link RunnerJvm}. */
  public static final String RUNNER_JAR = RunnerJvm.JAR;

  /** Reads {@code CAIRN_*} variables, then {@code --name=value} flags over them. */
  public static OperatorConfig from(Map<String, String> env, String[] args) {
    Map<String, String> values = new LinkedHashMap<>(env);
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      String name = arg.substring(2, arg.indexOf('='));
      values.put(
          "CAIRN_" + name.toUpperCase().replace('-', '_'), arg.substring(arg.indexOf('=') + 1));
    }
    String store = values.get("CAIRN_STORE");
    if (store == null || store.isBlank()) {
      throw new IllegalArgumentException(
          "CAIRN_STORE (or --store) is required, e.g. s3://bucket/cairn");
    }
    return new OperatorConfig(
        store,
        values.getOrDefault("CAIRN_STORE_ENDPOINT", values.getOrDefault("AWS_ENDPOINT_URL", "")),
        values.getOrDefault("CAIRN_STORE_REGION", values.getOrDefault("AWS_REGION", "us-east-1")),
        values.getOrDefault("CAIRN_STORE_SECRET", ""),
        StoreCredentials.from(values),
        values.getOrDefault("CAIRN_DEFAULT_TASK_IMAGE", "busybox:1.36"),
        values.getOrDefault("CAIRN_RUNNER_IMAGE", "cairn-task-runner:0.1.0"),
        values.getOrDefault("CAIRN_TASK_SERVICE_ACCOUNT", ""),
        namespaces(values.getOrDefault("CAIRN_NAMESPACES", "")),
        Integer.parseInt(values.getOrDefault("CAIRN_MAX_PARALLEL_PODS", "200")),
        Double.parseDouble(values.getOrDefault("CAIRN_CLIENT_QPS", "50")),
        Boolean.parseBoolean(values.getOrDefault("CAIRN_LEADER_ELECTION", "true")),
        values.getOrDefault("CAIRN_LEASE_NAME", "cairn-operator"),
        values.getOrDefault("CAIRN_LEASE_NAMESPACE", values.getOrDefault("POD_NAMESPACE", "")),
        // Each replica must hold the lease under its own name: the pod's, when it is given.
        values.getOrDefault(
            "CAIRN_LEASE_IDENTITY",
            values.getOrDefault(
                "POD_NAME",
                values.getOrDefault("HOSTNAME", java.util.UUID.randomUUID().toString()))),
        Duration.parse("PT" + values.getOrDefault("CAIRN_LEASE_DURATION", "15S").toUpperCase()),
        Boolean.parseBoolean(values.getOrDefault("CAIRN_EXIT_ON_LOST_LEASE", "true")),
        Integer.parseInt(values.getOrDefault("CAIRN_HTTP_PORT", "8080")),
        Duration.parse("PT" + values.getOrDefault("CAIRN_STATUS_INTERVAL", "2S").toUpperCase()),
        Duration.parse(
            "PT"
                + values
                    .getOrDefault(
                        "CAIRN_PENDING_TIMEOUT",
                        values.getOrDefault("CAIRN_IMAGE_PULL_GRACE", "5M"))
                    .toUpperCase()),
        Long.parseLong(values.getOrDefault("CAIRN_RUN_AS_USER", "1000")),
        Integer.parseInt(values.getOrDefault("CAIRN_RECONCILE_THREADS", "10")),
        dev.cairn.operator.pods.PodCollector.strategy(
            values.getOrDefault("CAIRN_POD_GC_STRATEGY", dev.cairn.api.v1alpha1.PodGC.NEVER)),
        dev.cairn.operator.pods.PodCollector.delay(
            values.getOrDefault("CAIRN_POD_GC_DELETE_DELAY", "0s")),
        dev.cairn.operator.pods.PodPolicy.from(values),
        Boolean.parseBoolean(values.getOrDefault("CAIRN_REQUIRE_NATIVE_SIDECARS", "true")),
        RecordKey.from(values),
        storeCredentialsMode(values.getOrDefault("CAIRN_STORE_CREDENTIALS", "shared")),
        Duration.parse(
            "PT" + values.getOrDefault("CAIRN_TERMINATING_TIMEOUT", "2M").toUpperCase()));
  }

  private static boolean storeCredentialsMode(String mode) {
    return switch (mode.strip()) {
      case "shared", "" -> false;
      case "per-namespace" -> true;
      default ->
          throw new IllegalArgumentException(
              "CAIRN_STORE_CREDENTIALS must be shared or per-namespace, not " + mode);
    };
  }

  private static Set<String> namespaces(String list) {
    Set<String> set = new TreeSet<>();
    Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(set::add);
    return set;
  }

  /** Variables only, no flags. */
  public static OperatorConfig from(Map<String, String> env) {
    return from(env, new String[0]);
  }

  public List<String> namespaceList() {
    return List.copyOf(namespaces);
  }
}
