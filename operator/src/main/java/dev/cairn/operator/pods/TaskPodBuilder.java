package dev.cairn.operator.pods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.PodSettings;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.dag.ResourceRequest;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.TaskKind;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.planner.Action;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.task.RunnerJvm;
import dev.cairn.core.task.TaskEnvironment;
import dev.cairn.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the pod of one attempt in the shape docs/pods.md defines: a native sidecar that fetches
 * the inputs before main starts and uploads the output after main ends, and the task's main
 * container. Pods follow the Restricted Pod Security profile.
 */
public final class TaskPodBuilder {
  /**
   * The init container that fetched inputs in pods of earlier releases (the sidecar fetches now):
   * the judge still reads it, for pods created before an upgrade.
   */
  public static final String FETCH = "cairn-fetch";

  /** The native sidecar: fetches, then uploads on SIGTERM (its name kept from earlier releases). */
  public static final String UPLOAD = "cairn-upload";

  static final long UPLOAD_GRACE_SECONDS = 600;

  /** Seconds the sidecar may take to fetch the inputs before the kubelet restarts it: 6 hours. */
  static final int STARTUP_PROBE_FAILURES = 6 * 3600;

  public static final String VOLUME = "cairn";
  public static final String MOUNT = "/cairn";
  public static final String ATTEMPT_SPEC = "CAIRN_ATTEMPT_SPEC";
  public static final String ATTEMPT_SPEC_OBJECT = "CAIRN_ATTEMPT_SPEC_OBJECT";

  /**
   * Attempt specs longer than this travel through the store, the pod naming them by digest: a
   * container's environment string may not exceed 128 KiB (Linux), a pod 1.5 MiB (etcd).
   */
  public static final int INLINE_SPEC_LIMIT = 8 * 1024;

  public static final String DIGEST = "CAIRN_DIGEST";
  public static final String SESSION = "CAIRN_SESSION";
  public static final String STORE = "CAIRN_STORE";

  private final OperatorConfig config;
  private final AttemptTokens tokens;

  public TaskPodBuilder(OperatorConfig config) {
    this.config = config;
    this.tokens = new AttemptTokens(config.recordKey());
  }

  /** The attempts' tokens: what upload containers seal their reports with. */
  public AttemptTokens tokens() {
    return tokens;
  }

  public Pod build(Workflow workflow, Action.StartAttempt start, int session) {
    return build(workflow, start, session, AttemptSpecRef.inline(attemptSpec(start)));
  }

  /**
   * Where the sidecar's fetch finds the attempt spec: in its environment, or (large ones) in the
   * store under a content address.
   */
  public record AttemptSpecRef(String inline, String object) {
    public static AttemptSpecRef inline(String json) {
      return new AttemptSpecRef(json, null);
    }

    public static AttemptSpecRef stored(String sha256) {
      return new AttemptSpecRef(null, sha256);
    }
  }

  public Pod build(Workflow workflow, Action.StartAttempt start, int session, AttemptSpecRef spec) {
    TaskDef task = start.task();
    String uid = workflow.getMetadata().getUid();
    String name =
        PodNames.pod(
            uid, workflow.getMetadata().getName(), task.id(), task.digest(), start.attempt());
    PodSettings settings =
        workflow.getSpec().pod == null ? new PodSettings() : workflow.getSpec().pod;

    List<EnvVar> common = commonEnv(workflow, start, session);
    List<EnvVar> storeEnv = new ArrayList<>(common);
    storeEnv.add(env(STORE, config.store()));
    if (!config.storeEndpoint().isBlank()) {
      storeEnv.add(env("AWS_ENDPOINT_URL", config.storeEndpoint()));
    }
    storeEnv.add(env("AWS_REGION", config.storeRegion()));
    List<EnvFromSource> secret =
        config.storeSecret().isBlank()
            ? List.of()
            : List.of(
                new EnvFromSourceBuilder().withNewSecretRef(config.storeSecret(), false).build());

    // One JVM fetches before main and uploads after it: the attempt spec, the store's credentials
    // and the attempt's token go to this container only, never to task code.
    List<EnvVar> uploadEnv = new ArrayList<>(storeEnv);
    uploadEnv.add(
        spec.object() != null
            ? env(ATTEMPT_SPEC_OBJECT, spec.object())
            : env(ATTEMPT_SPEC, spec.inline()));
    tokens
        .token(
            new WorkflowId(workflow.getMetadata().getNamespace(), workflow.getMetadata().getName()),
            task.id(),
            task.digest(),
            start.attempt())
        .ifPresent(token -> uploadEnv.add(env(AttemptTokens.VARIABLE, token)));
    Container upload =
        runner(UPLOAD, uploadEnv, secret, "upload", "--fetch")
            .withRestartPolicy("Always")
            // A failed fetch's reason (the runner's last lines) becomes the pod's message.
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            // Main starts only once the inputs are fetched and the sidecar handles SIGTERM (it
            // writes this marker then).
            .withNewStartupProbe()
            .withNewExec()
            .withCommand("cat", MOUNT + "/.upload-ready")
            .endExec()
            .withPeriodSeconds(1)
            // The fetch runs before the marker: a large download must not fail the probe. Store
            // outages are bounded by the runner's own retry limit, the attempt by its timeout.
            .withFailureThreshold(STARTUP_PROBE_FAILURES)
            .endStartupProbe()
            .build();

    List<EnvVar> mainEnv = new ArrayList<>(common);
    if (settings.env != null) {
      mainEnv.addAll(settings.env);
    }
    ContainerBuilder main =
        new ContainerBuilder()
            .withName(TaskPods.MAIN_CONTAINER)
            .withEnv(mainEnv)
            .withVolumeMounts(mount())
            .withSecurityContext(restricted())
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .withResources(resources(task.resources()));
    if (task.kind() == TaskKind.COMMAND) {
      main.withImage(task.image() != null ? task.image() : config.defaultTaskImage())
          .withCommand(task.command());
    } else {
      main.withImage(task.image() != null ? task.image() : config.runnerImage())
          .withCommand(RunnerJvm.command("run", "--function", task.function()));
    }

    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(TaskPods.MANAGED_BY, TaskPods.OPERATOR);
    labels.put(TaskPods.WORKFLOW, PodNames.labelValue(workflow.getMetadata().getName()));
    labels.put(TaskPods.WORKFLOW_UID, uid);
    labels.put(TaskPods.TASK, PodNames.labelValue(task.id()));
    labels.put(TaskPods.ATTEMPT, String.valueOf(start.attempt()));

    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(workflow.getMetadata().getNamespace())
            .withLabels(labels)
            .addToAnnotations(TaskPods.TASK_ID, task.id())
            .addToAnnotations(TaskPods.DIGEST, task.digest())
            .addToAnnotations(TaskPods.SESSION, String.valueOf(session))
            .addToAnnotations(TaskPods.SETTINGS, settingsHash(workflow, task))
            .addNewOwnerReference()
            .withApiVersion(Workflow.API_VERSION)
            .withKind("Workflow")
            .withName(workflow.getMetadata().getName())
            .withUid(uid)
            .withController(true)
            .endOwnerReference()
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            // The sidecar uploads after the main container exits: give large artifacts time.
            .withTerminationGracePeriodSeconds(UPLOAD_GRACE_SECONDS)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(config.runAsUser())
            .withRunAsGroup(config.runAsUser())
            .withFsGroup(config.runAsUser())
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .addNewVolume()
            .withName(VOLUME)
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .withInitContainers(upload)
            .withContainers(main.build())
            .withNodeSelector(settings.nodeSelector)
            .withTolerations(settings.tolerations)
            .withAffinity(settings.affinity)
            // The workflow's own account if it names one; else the chart's task account, which has
            // no API rights; in both cases a token is mounted only when the workflow asks.
            .withServiceAccountName(
                settings.serviceAccountName != null
                    ? settings.serviceAccountName
                    : config.taskServiceAccount().isBlank() ? null : config.taskServiceAccount())
            // Tasks get no API credentials unless the workflow names a service account for them
            // and the operator's pod policy lets its token be mounted.
            .withAutomountServiceAccountToken(
                config.podPolicy().mountsToken(settings.serviceAccountName))
            .withImagePullSecrets(settings.imagePullSecrets)
            .endSpec();
    if (task.timeout() != null) {
      pod.editSpec().withActiveDeadlineSeconds(Math.max(1, task.timeout().toSeconds())).endSpec();
    }
    return pod.build();
  }

  /**
   * A digest of how a task's pod is made apart from what the task computes (its resources, image,
   * timeout and the workflow's pod settings): a pod that has not started yet and was made with
   * other settings is replaced when the spec changes (the task's digest does not cover these).
   */
  public String settingsHash(Workflow workflow, TaskDef task) {
    ObjectNode settings = Json.MAPPER.createObjectNode();
    settings.put(
        "image",
        task.image() != null
            ? task.image()
            : task.kind() == TaskKind.COMMAND ? config.defaultTaskImage() : config.runnerImage());
    settings.set("resources", Json.MAPPER.valueToTree(resources(task.resources())));
    settings.put("timeout", task.timeout() == null ? null : task.timeout().toString());
    settings.set("pod", Json.MAPPER.valueToTree(workflow.getSpec().pod));
    return dev.cairn.core.json.Digests.sha256Hex(Json.canonical(settings)).substring(0, 16);
  }

  /** The JSON the sidecar's fetch resolves: the argument template and the inputs by reference. */
  public static String attemptSpec(Action.StartAttempt start) {
    return Json.text(attemptSpecTree(start));
  }

  /** The attempt spec as a JSON tree (a large one is stored as a value, not re-parsed). */
  public static ObjectNode attemptSpecTree(Action.StartAttempt start) {
    ObjectNode spec = Json.MAPPER.createObjectNode();
    spec.set("args", start.task().args());
    ObjectNode inputs = spec.putObject("inputs");
    for (Map.Entry<String, ValueRef> input : start.inputs().entrySet()) {
      // Written through the interface type so the "ref" discriminator is always present.
      try {
        inputs.set(
            input.getKey(),
            Json.MAPPER.readTree(
                Json.MAPPER.writerFor(ValueRef.class).writeValueAsBytes(input.getValue())));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return spec;
  }

  private List<EnvVar> commonEnv(Workflow workflow, Action.StartAttempt start, int session) {
    List<EnvVar> env = new ArrayList<>();
    env.add(
        env(
            TaskEnvironment.WORKFLOW,
            workflow.getMetadata().getNamespace() + "/" + workflow.getMetadata().getName()));
    env.add(env(TaskEnvironment.TASK, start.task().id()));
    env.add(env(DIGEST, start.task().digest()));
    env.add(env(TaskEnvironment.ATTEMPT, String.valueOf(start.attempt())));
    env.add(env(SESSION, String.valueOf(session)));
    env.add(env(TaskEnvironment.INPUT, MOUNT + "/input.json"));
    env.add(env(TaskEnvironment.OUTPUT, MOUNT + "/output.json"));
    env.add(env(TaskEnvironment.ARTIFACTS, MOUNT + "/artifacts"));
    env.add(env(TaskEnvironment.ARTIFACTS_IN, MOUNT + "/artifacts-in"));
    return env;
  }

  private ContainerBuilder runner(
      String name, List<EnvVar> env, List<EnvFromSource> from, String mode, String... args) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(config.runnerImage())
        .withCommand(RunnerJvm.command(mode, args))
        .withEnv(env)
        .withEnvFrom(from)
        .withVolumeMounts(mount())
        .withSecurityContext(restricted())
        .withResources(
            new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("50m"))
                .addToRequests("memory", new Quantity("128Mi"))
                .addToLimits("memory", new Quantity("256Mi"))
                .build());
  }

  private static io.fabric8.kubernetes.api.model.VolumeMount mount() {
    return new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
        .withName(VOLUME)
        .withMountPath(MOUNT)
        .build();
  }

  private static SecurityContext restricted() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /**
   * Requests what the task asks for; memory is also the limit (so the pod is OOMKilled rather than
   * the node), GPUs and extended resources are limits as Kubernetes requires.
   */
  static ResourceRequirements resources(ResourceRequest request) {
    ResourceRequirementsBuilder r = new ResourceRequirementsBuilder();
    if (request.cpu() != null) {
      r.addToRequests("cpu", new Quantity(request.cpu()));
    }
    if (request.memory() != null) {
      r.addToRequests("memory", new Quantity(request.memory()));
      r.addToLimits("memory", new Quantity(request.memory()));
    }
    if (request.gpus() > 0) {
      r.addToLimits("nvidia.com/gpu", new Quantity(String.valueOf(request.gpus())));
    }
    if (request.custom() != null) {
      request
          .custom()
          .forEach(
              (name, quantity) -> {
                r.addToRequests(name, new Quantity(quantity));
                r.addToLimits(name, new Quantity(quantity));
              });
    }
    return r.build();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVar(name, value, null);
  }
}
