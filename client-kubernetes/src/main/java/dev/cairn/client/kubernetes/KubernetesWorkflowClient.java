package dev.cairn.client.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.TaskCounts;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.api.v1alpha1.WorkflowTemplate;
import dev.cairn.client.Attempts;
import dev.cairn.client.ListFilter;
import dev.cairn.client.NoOutputException;
import dev.cairn.client.TargetUnavailableException;
import dev.cairn.client.TaskDetail;
import dev.cairn.client.TaskLog;
import dev.cairn.client.TaskStates;
import dev.cairn.client.TaskView;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowDetails;
import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.client.WorkflowPage;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.RunControls;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.SignalRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.signal.SignalConflictException;
import dev.cairn.core.signal.Signals;
import dev.cairn.core.spec.GeneratedNames;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.spec.WorkflowTemplates;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.WorkflowCheckpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client API over a Kubernetes cluster running the Cairn operator. A run is a {@code Workflow}
 * resource: {@link #start} creates or updates it, the operator runs it and reports in its {@code
 * .status}, and every verb here reads or edits that resource. Outputs up to 4 KiB come from the
 * status; larger ones, task outputs and per-task records are read from the store the operator
 * writes to, given with {@link #withStore}.
 *
 * <p>Run controls (cancel, suspend, resume, rerun) are written as control annotations ({@link
 * RunControls}) by default, so a manifest applied from Git does not undo them; {@link
 * #withControls} writes spec fields instead.
 *
 * <p>A run is identified by the resource's {@code metadata.generation} and its effective resume
 * count ({@link RunControls#resume()}: spec.resume plus the annotation's counter): the status
 * counts for a run only once the operator has observed both ({@code status.observedGeneration},
 * {@code status.observedResume}), so the final status of an earlier run is never taken for the end
 * of a new one, although an annotation raises no generation.
 *
 * <p>A cluster that cannot be reached fails every call within seconds with a {@link
 * TargetUnavailableException} whose message is one line naming the API server, the kubeconfig
 * context and the cause.
 */
public final class KubernetesWorkflowClient implements WorkflowClient {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesWorkflowClient.class);

  /** How long {@link #connect} waits for a connection to the API server. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  private static final Pattern OBJECT = Pattern.compile("[0-9a-f]{64}");

  /** How long delete waits for the resource to be gone. */
  static final Duration DELETE_WAIT = Duration.ofSeconds(60);

  private static final int EDIT_ATTEMPTS = 5;

  static {
    // Fabric8 warns once per JVM that the API version v1alpha1 is unstable: it is Cairn's own API,
    // so the warning says nothing to its users. Set for slf4j-simple (the CLI's logger) unless the
    // user chose otherwise; other logging backends are configured by their users.
    String key =
        "org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils";
    if (System.getProperty(key) == null) {
      System.setProperty(key, "error");
    }
  }

  private final KubernetesClient client;
  private final boolean owned;
  private final String namespace;
  private final String where;
  private final CheckpointStore store;
  private final Controls controls;

  /** Where this client writes run controls. */
  public enum Controls {
    /**
     * Control annotations ({@code cairn.dev/cancel}, {@code cairn.dev/suspend}, {@code
     * cairn.dev/resume}, {@code cairn.dev/rerun}): the default. A manifest applied from Git does
     * not own them, so Argo CD's self-heal and Flux leave them be.
     */
    ANNOTATIONS,
    /**
     * Spec fields ({@code spec.cancel}, {@code spec.suspend}, {@code spec.resume}, {@code
     * spec.rerun}): a GitOps tool undoes them unless told to ignore them (docs/gitops.md).
     */
    SPEC
  }

  private KubernetesWorkflowClient(
      KubernetesClient client,
      boolean owned,
      String namespace,
      CheckpointStore store,
      Controls controls) {
    this.client = client;
    this.owned = owned;
    this.namespace = namespace;
    this.store = store;
    this.controls = controls;
    Config config = client.getConfiguration();
    String context =
        config.getCurrentContext() == null ? null : config.getCurrentContext().getName();
    this.where =
        "cluster "
            + config.getMasterUrl()
            + (context != null
                ? " (context " + context + ")"
                : owned ? " (no kubeconfig context)" : "");
  }

  /**
   * A client over the caller's Kubernetes client, acting in {@code namespace} (null: the client's
   * namespace, else {@code default}). {@link #close()} leaves the caller's client open.
   */
  public static KubernetesWorkflowClient of(KubernetesClient client, String namespace) {
    String ns = namespace != null ? namespace : client.getNamespace();
    return new KubernetesWorkflowClient(
        client, false, ns == null ? WorkflowId.DEFAULT_NAMESPACE : ns, null, Controls.ANNOTATIONS);
  }

  /**
   * A client over the kubeconfig's {@code context} (null: its current context), acting in {@code
   * namespace} (null: the context's namespace, else {@code default}). Requests are not retried and
   * connecting gives up after {@link #CONNECT_TIMEOUT}, so a cluster that is not there is reported
   * in seconds. {@link #close()} closes the connection.
   */
  public static KubernetesWorkflowClient connect(String context, String namespace) {
    Config config;
    try {
      config = Config.autoConfigure(context);
    } catch (RuntimeException e) {
      throw new TargetUnavailableException(
          "cannot read the kubeconfig"
              + (context == null ? "" : " context " + context)
              + ": "
              + e.getMessage(),
          e);
    }
    if (context != null
        && (config.getCurrentContext() == null
            || !context.equals(config.getCurrentContext().getName()))) {
      throw new TargetUnavailableException(
          "the kubeconfig has no context " + context + " (" + config.getMasterUrl() + ")", null);
    }
    config.setConnectionTimeout((int) CONNECT_TIMEOUT.toMillis());
    config.setRequestRetryBackoffLimit(0);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    String ns = namespace != null ? namespace : config.getNamespace();
    return new KubernetesWorkflowClient(
        client, true, ns == null ? WorkflowId.DEFAULT_NAMESPACE : ns, null, Controls.ANNOTATIONS);
  }

  /**
   * This client reading outputs and task records from {@code store}: the bucket and prefix the
   * operator writes checkpoints to. Needed for task outputs, for workflow outputs larger than 4 KiB
   * and for the state of every task (not only running and failed ones). The returned client shares
   * this one's connection (closing either closes it if this one owns it); the store is the caller's
   * to close.
   */
  public KubernetesWorkflowClient withStore(CheckpointStore store) {
    return new KubernetesWorkflowClient(client, owned, namespace, store, controls);
  }

  /**
   * This client writing run controls in {@code controls}' form (annotations by default). The
   * returned client shares this one's connection.
   */
  public KubernetesWorkflowClient withControls(Controls controls) {
    return new KubernetesWorkflowClient(client, owned, namespace, store, controls);
  }

  /** The Kubernetes client underneath, for what this API does not cover. */
  public KubernetesClient kubernetes() {
    return client;
  }

  @Override
  public String describe() {
    return where;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  // ------------------------------------------------------------------ runs

  /**
   * Creates the Workflow, or brings an existing one up to date: a changed definition is written to
   * its spec (the operator re-runs what changed, reusing the rest); an unchanged one whose run is
   * over is resumed (its resume count raised, so failed tasks get a fresh retry budget and
   * committed ones are reused), except a Succeeded one, which ends at once with its output; an
   * unchanged running one is attached to. {@code options.inputs} override the spec's declared
   * inputs; {@code options.rerun} runs those tasks again with everything downstream of them. A
   * Workflow with {@code metadata.generateName} and no name is always created: a new object, a new
   * run, with the name the API server makes.
   */
  @Override
  public RunHandle start(Workflow workflow, StartOptions options) {
    if (options == null) {
      options = StartOptions.DEFAULT;
    }
    Workflow wanted = client.getKubernetesSerialization().clone(workflow);
    if (wanted.getMetadata().getNamespace() == null) {
      wanted.getMetadata().setNamespace(namespace);
    }
    if (!options.inputs().isEmpty()) {
      validate(wanted, options.inputs());
      wanted.getSpec().inputs = new java.util.LinkedHashMap<>(wanted.getSpec().inputs);
      wanted.getSpec().inputs.putAll(options.inputs());
    }
    validate(wanted, Map.of());
    wanted.setStatus(null);
    if (GeneratedNames.generated(wanted)) {
      return createGenerated(wanted);
    }
    WorkflowId id = id(wanted.getMetadata().getNamespace() + "/" + wanted.getMetadata().getName());
    List<String> rerun = options.rerun();
    return call(
        () -> {
          Workflow existing = resource(id).get();
          if (existing == null) {
            ControlEdits.forNewObject(wanted);
            Workflow created = workflows().inNamespace(id.namespace()).resource(wanted).create();
            LOG.info("workflow created workflow={}", id);
            return new Handle(id, Run.of(created));
          }
          if (!definition(existing.getSpec()).equals(definition(wanted.getSpec()))) {
            Workflow updated =
                edit(
                    id,
                    w -> {
                      WorkflowSpec spec = wanted.getSpec();
                      spec.resume = w.getSpec().resume;
                      spec.cancel = null;
                      spec.rerun = null;
                      w.setSpec(spec);
                      ControlEdits.forEditedSpec(w);
                      if (!rerun.isEmpty()) {
                        ControlEdits.resume(w, rerun, controls);
                      }
                      return w;
                    });
            LOG.info("workflow updated workflow={}", id);
            return new Handle(id, Run.of(updated));
          }
          WorkflowPhase phase = shownPhase(existing, Run.of(existing));
          if (!rerun.isEmpty()
              || phase == WorkflowPhase.Failed
              || phase == WorkflowPhase.Canceled) {
            return resume(id, rerun);
          }
          LOG.info("workflow unchanged workflow={} phase={}", id, phase);
          return new Handle(id, Run.of(existing));
        });
  }

  /**
   * Validates {@code wanted} exactly as the operator will (a generated name: one of the shape the
   * API server will give). A Workflow naming a WorkflowTemplate is checked with the template as it
   * is in the cluster now; when it cannot be read (not there yet, not allowed), only its names are
   * checked here and the operator reports the rest as a condition.
   */
  private void validate(Workflow wanted, Map<String, JsonNode> inputs) {
    Workflow named = GeneratedNames.forValidation(wanted);
    java.util.Optional<String> ref = WorkflowTemplates.ref(named);
    if (ref.isPresent()) {
      WorkflowId id =
          new WorkflowId(named.getMetadata().getNamespace(), named.getMetadata().getName());
      WorkflowTemplate template;
      try {
        template =
            client
                .resources(WorkflowTemplate.class)
                .inNamespace(id.namespace())
                .withName(ref.get())
                .get();
      } catch (KubernetesClientException e) {
        LOG.debug("template not read workflow={}: {}", id, e.getMessage());
        return;
      }
      if (template == null || template.getSpec() == null) {
        return;
      }
      named = WorkflowTemplates.resolve(named, ref.get(), template.getSpec());
    }
    WorkflowDefinition.compile(named, inputs, FunctionCatalog.ANY);
  }

  @Override
  public RunHandle resume(String workflowId, List<String> rerun) {
    return resume(id(workflowId), rerun == null ? List.of() : rerun);
  }

  private RunHandle resume(WorkflowId id, List<String> rerun) {
    return call(
        () -> {
          Workflow resumed = edit(id, w -> ControlEdits.resume(w, rerun, controls));
          Run run = Run.of(resumed);
          LOG.info("workflow resumed workflow={} resume={}", id, run.resume());
          return new Handle(id, run);
        });
  }

  /**
   * A Workflow with {@code metadata.generateName} and no name: every create is a new object, hence
   * a new run, named by the API server.
   */
  private RunHandle createGenerated(Workflow wanted) {
    ControlEdits.forNewObject(wanted);
    Workflow created =
        call(
            () ->
                workflows()
                    .inNamespace(wanted.getMetadata().getNamespace())
                    .resource(wanted)
                    .create());
    WorkflowId id =
        new WorkflowId(created.getMetadata().getNamespace(), created.getMetadata().getName());
    LOG.info(
        "workflow created workflow={} generateName={}", id, wanted.getMetadata().getGenerateName());
    return new Handle(id, Run.of(created));
  }

  @Override
  public RunHandle attach(String workflowId) {
    WorkflowId id = id(workflowId);
    return new Handle(id, Run.of(get(id)));
  }

  /**
   * What a run waits for: the operator to have acted on this generation and effective resume count
   * (spec and annotation, as {@link RunControls} combines them).
   */
  private record Run(long generation, int resume) {
    static Run of(Workflow w) {
      Long generation = w.getMetadata().getGeneration();
      return new Run(generation == null ? 0 : generation, RunControls.of(w).resume());
    }

    /** True once the status is the operator's report on this run (or a later one). */
    boolean observedIn(Workflow w) {
      var status = w.getStatus();
      if (status == null) {
        return false;
      }
      if (status.observedGeneration != null && status.observedGeneration < generation) {
        return false;
      }
      return resume == 0 || (status.observedResume != null && status.observedResume >= resume);
    }
  }

  private final class Handle implements RunHandle {
    private final WorkflowId id;
    private final Run run;

    Handle(WorkflowId id, Run run) {
      this.id = id;
      this.run = run;
    }

    @Override
    public String workflowId() {
      return id.toString();
    }

    @Override
    public WorkflowStatus await(Duration timeout) throws InterruptedException {
      CompletableFuture<List<Workflow>> done =
          call(
              () ->
                  resource(id)
                      .informOnCondition(
                          list ->
                              list.isEmpty()
                                  || shownPhase(list.get(0), run).isFinal()
                                      && run.observedIn(list.get(0))));
      List<Workflow> seen;
      try {
        seen = timeout == null ? done.get() : done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        done.cancel(true);
        return statusOf(get(id), run, List.of());
      } catch (InterruptedException e) {
        done.cancel(true);
        throw e;
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? failure(r) : new RuntimeException(e);
      }
      if (seen.isEmpty()) {
        throw notFound(id);
      }
      return statusOf(seen.get(0), run, List.of());
    }
  }

  // ------------------------------------------------------------------ reading

  @Override
  public WorkflowStatus status(String workflowId, boolean withTasks) {
    WorkflowId id = id(workflowId);
    Workflow w = get(id);
    Run run = Run.of(w);
    if (!withTasks) {
      return statusOf(w, run, List.of());
    }
    WorkflowPhase phase = shownPhase(w, run);
    List<TaskView> tasks =
        TaskViews.of(w, phase, store == null ? null : checkpoints(id), startTimes(w));
    return statusOf(w, run, tasks);
  }

  @Override
  public List<WorkflowStatus> list(ListFilter filter) {
    ListFilter f = filter == null ? ListFilter.ALL : filter;
    List<Workflow> items = call(() -> listing(f).list().getItems());
    return items.stream()
        .sorted(
            Comparator.comparing((Workflow w) -> w.getMetadata().getNamespace())
                .thenComparing(w -> w.getMetadata().getName()))
        .map(w -> passing(w, f))
        .filter(Objects::nonNull)
        .toList();
  }

  /**
   * One page from the API server: {@code limit} and the continue token are passed to it, and labels
   * become its label selector; names and phases are filtered here, so a page may hold fewer items
   * than the limit. The token is the API server's own.
   */
  @Override
  public WorkflowPage page(ListFilter filter, int limit, String continueToken) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    ListFilter f = filter == null ? ListFilter.ALL : filter;
    ListOptions options =
        new ListOptionsBuilder().withLimit((long) limit).withContinue(continueToken).build();
    KubernetesResourceList<Workflow> page = call(() -> listing(f).list(options));
    String next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    // The API server lists in key order (namespace, name) already; this keeps the order of list().
    List<WorkflowStatus> items =
        page.getItems().stream()
            .sorted(
                Comparator.comparing((Workflow w) -> w.getMetadata().getNamespace())
                    .thenComparing(w -> w.getMetadata().getName()))
            .map(w -> passing(w, f))
            .filter(Objects::nonNull)
            .toList();
    return new WorkflowPage(items, next == null || next.isEmpty() ? null : next);
  }

  private FilterWatchListDeletable<Workflow, KubernetesResourceList<Workflow>, Resource<Workflow>>
      listing(ListFilter f) {
    FilterWatchListDeletable<Workflow, KubernetesResourceList<Workflow>, Resource<Workflow>> op =
        f.namespace() == null
            ? workflows().inAnyNamespace()
            : workflows().inNamespace(f.namespace());
    return f.labels().isEmpty() ? op : op.withLabels(f.labels());
  }

  /** The workflow's status if it passes the filter's name and phase, else null. */
  private static WorkflowStatus passing(Workflow w, ListFilter f) {
    if (f.nameContains() != null && !w.getMetadata().getName().contains(f.nameContains())) {
      return null;
    }
    if (!f.labelsMatch(w.getMetadata().getLabels())) {
      return null;
    }
    WorkflowStatus s = statusOf(w, Run.of(w), List.of());
    return f.phases().isEmpty() || f.phases().contains(s.phase()) ? s : null;
  }

  /**
   * The output task, labels, the status conditions the operator writes, and the events about the
   * workflow (empty when this identity may not list events: the page still shows the rest).
   */
  @Override
  public WorkflowDetails details(String workflowId) {
    WorkflowId id = id(workflowId);
    Workflow w = get(id);
    String output = w.getSpec() == null ? null : w.getSpec().output;
    if (output == null) {
      try {
        output = WorkflowDefinition.compile(w, Map.of(), FunctionCatalog.ANY).dag().outputId();
      } catch (RuntimeException e) {
        output = null; // an invalid spec has no output task; its status says why
      }
    }
    List<WorkflowDetails.Condition> conditions =
        w.getStatus() == null || w.getStatus().conditions == null
            ? List.of()
            : w.getStatus().conditions.stream()
                .map(
                    c ->
                        new WorkflowDetails.Condition(
                            c.getType(),
                            c.getStatus(),
                            c.getReason(),
                            c.getMessage(),
                            instant(c.getLastTransitionTime())))
                .toList();
    return new WorkflowDetails(output, w.getMetadata().getLabels(), conditions, events(w));
  }

  private List<WorkflowDetails.Event> events(Workflow w) {
    List<Event> items;
    try {
      items =
          client
              .v1()
              .events()
              .inNamespace(w.getMetadata().getNamespace())
              .withField("involvedObject.name", w.getMetadata().getName())
              .list()
              .getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        return List.of();
      }
      throw failure(e);
    }
    return items.stream()
        .filter(
            e ->
                e.getInvolvedObject() == null
                    || "Workflow".equals(e.getInvolvedObject().getKind())
                    || e.getInvolvedObject().getKind() == null)
        .map(
            e ->
                new WorkflowDetails.Event(
                    e.getType(),
                    e.getReason(),
                    e.getMessage(),
                    e.getCount() == null ? 1 : e.getCount(),
                    instant(
                        e.getLastTimestamp() != null
                            ? e.getLastTimestamp()
                            : e.getMetadata().getCreationTimestamp())))
        .sorted(
            Comparator.comparing(
                (WorkflowDetails.Event e) -> e.lastSeen() == null ? Instant.EPOCH : e.lastSeen()))
        .toList();
  }

  /**
   * One task: its definition as the spec compiles, its attempts from the store's records (when this
   * client has the store) and the pods that ran them.
   */
  @Override
  public TaskDetail task(String workflowId, String taskId) {
    WorkflowId id = id(workflowId);
    Workflow w = get(id);
    WorkflowCheckpoints checkpoints = store == null ? null : checkpoints(id);
    Map<TaskKey, StoredTask> stored = checkpoints == null ? Map.of() : checkpoints.loadTasks();
    FunctionCatalog functions =
        checkpoints == null
            ? FunctionCatalog.ANY
            : FunctionCatalog.recorded(checkpoints.readCode());
    WorkflowDefinition definition = WorkflowDefinition.compile(w, Map.of(), functions);
    int session = checkpoints == null ? 1 : checkpoints.readRun().map(RunRecord::session).orElse(1);
    Planner planner = TaskStates.restore(definition, stored, session, checkpoints);
    TaskDef def =
        planner
            .task(taskId)
            .orElseThrow(
                () ->
                    new NoOutputException(
                        "workflow " + id + " has no task \"" + taskId + "\" (yet)"));
    List<Pod> pods =
        taskPods(w).stream()
            .filter(p -> taskId.equals(p.getMetadata().getAnnotations().get(TaskPods.TASK_ID)))
            .toList();
    TaskStates.Running running = null;
    if (w.getStatus() != null && w.getStatus().tasks != null) {
      for (var t : w.getStatus().tasks) {
        if (t.name.equals(taskId) && "Running".equals(t.state) && t.attempt != null) {
          running = new TaskStates.Running(t.attempt, startOf(pods, t.attempt), t.message);
        }
      }
    }
    TaskDetail detail =
        Attempts.detail(def, stored.get(new TaskKey(def.id(), def.digest())), running);
    Map<Integer, String> podOf = new HashMap<>();
    pods.forEach(p -> podOf.put(attemptOf(p), p.getMetadata().getName()));
    List<TaskDetail.Attempt> attempts = new java.util.ArrayList<>();
    for (TaskDetail.Attempt a : detail.attempts()) {
      attempts.add(a.withPod(podOf.remove(a.number())));
    }
    // Without the store, pods are all there is to say about attempts that ended.
    podOf.forEach(
        (number, name) ->
            attempts.add(
                new TaskDetail.Attempt(
                    number,
                    0,
                    podVerdict(pods, name),
                    null,
                    null,
                    startOf(pods, number),
                    null,
                    name)));
    attempts.sort(Comparator.comparingInt(TaskDetail.Attempt::number));
    return new TaskDetail(
        detail.id(),
        detail.kind(),
        detail.function(),
        detail.image(),
        detail.command(),
        detail.resources(),
        detail.metadata(),
        detail.checkpoint(),
        attempts);
  }

  private static Instant startOf(List<Pod> pods, int attempt) {
    return pods.stream()
        .filter(p -> attemptOf(p) == attempt)
        .map(
            p ->
                p.getStatus() != null && p.getStatus().getStartTime() != null
                    ? p.getStatus().getStartTime()
                    : p.getMetadata().getCreationTimestamp())
        .filter(Objects::nonNull)
        .map(KubernetesWorkflowClient::instant)
        .findFirst()
        .orElse(null);
  }

  private static String podVerdict(List<Pod> pods, String name) {
    String phase =
        pods.stream()
            .filter(p -> name.equals(p.getMetadata().getName()))
            .map(p -> p.getStatus() == null ? null : p.getStatus().getPhase())
            .filter(Objects::nonNull)
            .findFirst()
            .orElse("Pending");
    return switch (phase) {
      case "Succeeded" -> "succeeded";
      case "Failed" -> "failed";
      default -> "running";
    };
  }

  /**
   * The output of a Succeeded workflow: from its status when it fits there (4 KiB), else from the
   * store.
   */
  @Override
  public JsonNode output(String workflowId) {
    WorkflowId id = id(workflowId);
    Workflow w = get(id);
    WorkflowStatus shown = statusOf(w, Run.of(w), List.of());
    if (shown.phase() != WorkflowPhase.Succeeded) {
      throw NoOutputException.notSucceeded(id.toString(), shown.displayPhase(), shown.message());
    }
    var status = w.getStatus();
    if (status.output != null) {
      return status.output;
    }
    if (status.outputLocation == null) {
      return NullNode.getInstance();
    }
    if (store == null) {
      throw new IllegalStateException(
          "the output of "
              + id
              + " is larger than 4 KiB and is stored at "
              + status.outputLocation
              + ": give the client the store to read it (withStore, or --store)");
    }
    WorkflowCheckpoints checkpoints = checkpoints(id);
    String location = status.outputLocation;
    String last = location.substring(location.lastIndexOf('/') + 1);
    if (OBJECT.matcher(last).matches()) {
      return checkpoints.getValue(last);
    }
    RunRecord run =
        checkpoints
            .readRun()
            .orElseThrow(
                () ->
                    new NoOutputException(
                        "the output of " + id + " is not in the store " + store.describe("")));
    return checkpoints.materialize(run.output());
  }

  /** A committed task's output, read from the store (continuation sub-tasks too). */
  @Override
  public JsonNode output(String workflowId, String taskId) {
    WorkflowId id = id(workflowId);
    Workflow w = get(id);
    if (store == null) {
      throw new IllegalStateException(
          "task outputs of cluster workflows are read from the store: give the client the store"
              + " (withStore, or --store)");
    }
    WorkflowCheckpoints checkpoints = checkpoints(id);
    WorkflowDefinition definition =
        WorkflowDefinition.compile(w, Map.of(), FunctionCatalog.recorded(checkpoints.readCode()));
    int session = checkpoints.readRun().map(RunRecord::session).orElse(1);
    Planner planner = TaskStates.restore(definition, checkpoints.loadTasks(), session, checkpoints);
    if (planner.task(taskId).isEmpty()) {
      throw new NoOutputException(
          "workflow "
              + id
              + " has no task \""
              + taskId
              + "\" (yet); its tasks: "
              + planner.tasks().stream().map(t -> t.id()).toList());
    }
    if (!planner.task(taskId).get().checkpoint()) {
      throw new NoOutputException(
          "task " + taskId + " of workflow " + id + " does not checkpoint its output");
    }
    ValueRef value =
        planner
            .value(taskId)
            .orElseThrow(
                () ->
                    new NoOutputException(
                        "task "
                            + taskId
                            + " of workflow "
                            + id
                            + " has no output yet (it is "
                            + planner.state(taskId).name().toLowerCase(Locale.ROOT)
                            + ")"));
    return checkpoints.materialize(value);
  }

  /** A task's artifacts, listed from the store (this client needs it: {@link #withStore}). */
  @Override
  public List<dev.cairn.client.TaskArtifact> artifacts(
      String workflowId, String taskId, Integer attempt) {
    WorkflowId id = id(workflowId);
    TaskDef def = storedTask(id, taskId);
    WorkflowCheckpoints checkpoints = checkpoints(id);
    StoredTask stored = checkpoints.loadTasks().get(new TaskKey(def.id(), def.digest()));
    return dev.cairn.client.Artifacts.list(
        store, id, def, dev.cairn.client.Artifacts.attempt(stored, attempt));
  }

  /** One artifact, streamed from the store (this client needs it: {@link #withStore}). */
  @Override
  public java.io.InputStream openArtifact(
      String workflowId, String taskId, Integer attempt, String path) {
    dev.cairn.client.Artifacts.checkPath(path);
    WorkflowId id = id(workflowId);
    TaskDef def = storedTask(id, taskId);
    WorkflowCheckpoints checkpoints = checkpoints(id);
    StoredTask stored = checkpoints.loadTasks().get(new TaskKey(def.id(), def.digest()));
    return dev.cairn.client.Artifacts.open(
        store, id, def, dev.cairn.client.Artifacts.attempt(stored, attempt), path);
  }

  private TaskDef storedTask(WorkflowId id, String taskId) {
    Workflow w = get(id);
    if (store == null) {
      throw new dev.cairn.client.TargetUnavailableException(
          "artifacts of cluster workflows are read from the store: give the client the store"
              + " (withStore, or --store)",
          null);
    }
    WorkflowCheckpoints checkpoints = checkpoints(id);
    WorkflowDefinition definition =
        WorkflowDefinition.compile(w, Map.of(), FunctionCatalog.recorded(checkpoints.readCode()));
    int session = checkpoints.readRun().map(RunRecord::session).orElse(1);
    Planner planner = TaskStates.restore(definition, checkpoints.loadTasks(), session, checkpoints);
    return planner
        .task(taskId)
        .orElseThrow(
            () -> new NoOutputException("workflow " + id + " has no task \"" + taskId + "\""));
  }

  // ------------------------------------------------------------------ control

  /**
   * Asks for a cancel (the annotation {@code cairn.dev/cancel}, or spec.cancel): running attempts
   * are stopped and the workflow ends Canceled.
   */
  @Override
  public void cancel(String workflowId) {
    WorkflowId id = id(workflowId);
    call(() -> edit(id, w -> ControlEdits.cancel(w, controls)));
    LOG.info("cancel requested workflow={}", id);
  }

  /**
   * Suspends (the annotation {@code cairn.dev/suspend}, or spec.suspend): no new attempt starts
   * while it is set. Lifting it lifts both forms.
   */
  @Override
  public void suspend(String workflowId, boolean suspended) {
    WorkflowId id = id(workflowId);
    call(() -> edit(id, w -> ControlEdits.suspend(w, suspended, controls)));
  }

  /**
   * Sets the annotation {@code cairn.dev/signal.NAME} to the value's JSON, as {@code kubectl
   * annotate} would: the operator records it in the store, once, and hands it to the tasks waiting
   * for it. The same value again changes nothing; another value than the one annotated (or, with
   * {@link #withStore}, recorded) is refused.
   */
  @Override
  public boolean signal(String workflowId, String name, JsonNode value) {
    Signals.check(name, value);
    WorkflowId id = id(workflowId);
    String key = Signals.annotation(name);
    if (store != null) {
      var recorded = call(() -> checkpoints(id).readSignal(name));
      if (recorded.isPresent() && !recorded.get().value().equals(value)) {
        throw new SignalConflictException(id.toString(), name, recorded.get());
      }
    }
    Map<String, String> present = get(id).getMetadata().getAnnotations();
    if (present != null && present.containsKey(key)) {
      refuseOther(id, name, present.get(key), value);
      return false;
    }
    call(
        () ->
            edit(
                id,
                w -> {
                  Map<String, String> annotations = w.getMetadata().getAnnotations();
                  if (annotations == null) {
                    annotations = new java.util.LinkedHashMap<>();
                    w.getMetadata().setAnnotations(annotations);
                  } else if (annotations.containsKey(key)) {
                    // Sent meanwhile by someone else: the same value is harmless.
                    refuseOther(id, name, annotations.get(key), value);
                    return w;
                  }
                  annotations.put(key, Json.text(value));
                  return w;
                }));
    LOG.info("signal sent workflow={} signal={}", id, name);
    return true;
  }

  private static void refuseOther(WorkflowId id, String name, String annotated, JsonNode value) {
    JsonNode standing = annotatedValue(annotated);
    if (!value.equals(standing)) {
      throw new SignalConflictException(
          id.toString(), name, new SignalRecord(name, standing, null));
    }
  }

  /** An annotation's value as JSON; text that is not JSON stands as itself. */
  private static JsonNode annotatedValue(String text) {
    try {
      JsonNode value = Json.MAPPER.readTree(text);
      return value == null || value.isMissingNode() ? TextNode.valueOf(text) : value;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return TextNode.valueOf(text);
    }
  }

  /**
   * Deletes the Workflow; its pods go with it, and its checkpoints follow its retentionPolicy (the
   * operator's finalizer removes them when it is Delete).
   */
  @Override
  public boolean delete(String workflowId) {
    WorkflowId id = id(workflowId);
    boolean deleted = call(() -> !resource(id).delete().isEmpty());
    if (deleted) {
      // As kubectl delete: return once it is gone (the operator's finalizer removes its pods and
      // checkpoints first), so a get right after says not found.
      if (!gone(id)) {
        throw new IllegalStateException(
            "workflow "
                + id
                + " is marked for deletion but still there after "
                + DELETE_WAIT.toSeconds()
                + "s: its finalizer waits for the Cairn operator (is it running?)");
      }
      LOG.info("deleted workflow={}", id);
    }
    return deleted;
  }

  /**
   * Waits up to {@link #DELETE_WAIT} for the resource to be gone. Polls with GETs: a watch may
   * never report the end of a deletion that a finalizer held.
   */
  private boolean gone(WorkflowId id) {
    long deadline = System.nanoTime() + DELETE_WAIT.toNanos();
    while (call(() -> resource(id).get()) != null) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while deleting workflow " + id, e);
      }
    }
    return true;
  }

  /**
   * The log of a task's main container: of {@code attempt}, or of its latest attempt. The operator
   * stores each ended attempt's log with the attempt before its pod may be deleted, so the store is
   * read first (when this client has it) and the pod only for an attempt whose log is not stored
   * yet (a running one). Its location names the stored object or the pod.
   */
  @Override
  public TaskLog logs(String workflowId, String taskId, Integer attempt) {
    WorkflowId id = id(workflowId);
    Workflow w = get(id);
    Map<Integer, String> stored = storedLogs(id, w, taskId);
    List<Pod> pods =
        taskPods(w).stream()
            .filter(p -> taskId.equals(p.getMetadata().getAnnotations().get(TaskPods.TASK_ID)))
            .filter(p -> attempt == null || attempt == attemptOf(p))
            .sorted(Comparator.comparingInt(KubernetesWorkflowClient::attemptOf).reversed())
            .toList();
    int latestStored =
        stored.keySet().stream()
            .filter(n -> attempt == null || n.equals(attempt))
            .mapToInt(Integer::intValue)
            .max()
            .orElse(0);
    int latestPod = pods.isEmpty() ? 0 : attemptOf(pods.get(0));
    if (latestStored > 0 && latestStored >= latestPod) {
      String key = stored.get(latestStored);
      byte[] text =
          call(() -> store.get(key))
              .orElseThrow(() -> new IllegalStateException("the log " + key + " vanished"));
      return new TaskLog(
          id.toString(),
          taskId,
          latestStored,
          store.describe(key),
          new String(text, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (pods.isEmpty()) {
      throw new IllegalStateException(
          "no stored log and no pod for task "
              + taskId
              + (attempt == null ? "" : " attempt " + attempt)
              + " of workflow "
              + id
              + " in "
              + where
              + (store == null ? " (logs of deleted pods are read from the store: --store)" : ""));
    }
    Pod pod = pods.get(0);
    String text =
        call(
            () ->
                client
                    .pods()
                    .inNamespace(id.namespace())
                    .withName(pod.getMetadata().getName())
                    .inContainer(TaskPods.MAIN_CONTAINER)
                    .getLog());
    return new TaskLog(
        id.toString(),
        taskId,
        attemptOf(pod),
        "pod " + id.namespace() + "/" + pod.getMetadata().getName(),
        text);
  }

  /**
   * The stored logs of a task's attempts under its current definition, by attempt number: empty
   * without a store, or for a task the stored run does not know.
   */
  private Map<Integer, String> storedLogs(WorkflowId id, Workflow w, String taskId) {
    if (store == null) {
      return Map.of();
    }
    WorkflowCheckpoints checkpoints = checkpoints(id);
    String digest;
    try {
      WorkflowDefinition definition =
          WorkflowDefinition.compile(w, Map.of(), FunctionCatalog.recorded(checkpoints.readCode()));
      int session = checkpoints.readRun().map(RunRecord::session).orElse(1);
      Planner planner =
          TaskStates.restore(definition, checkpoints.loadTasks(), session, checkpoints);
      digest = planner.task(taskId).map(t -> t.digest()).orElse(null);
    } catch (RuntimeException e) {
      LOG.debug("stored logs not looked up workflow={}: {}", id, e.getMessage());
      return Map.of();
    }
    if (digest == null) {
      return Map.of();
    }
    String prefix = StoreLayout.task(id, taskId, digest) + "attempts/";
    Map<Integer, String> logs = new java.util.TreeMap<>();
    for (String key : call(() -> store.list(prefix))) {
      if (key.endsWith("/" + StoreLayout.LOG)) {
        String number = key.substring(prefix.length(), key.length() - StoreLayout.LOG.length() - 1);
        try {
          logs.put(Integer.parseInt(number), key);
        } catch (NumberFormatException e) {
          // not an attempt's log
        }
      }
    }
    return logs;
  }

  @Override
  public void close() {
    if (owned) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return describe();
  }

  // ------------------------------------------------------------------ helpers

  private MixedOperation<Workflow, KubernetesResourceList<Workflow>, Resource<Workflow>>
      workflows() {
    return client.resources(Workflow.class);
  }

  private Resource<Workflow> resource(WorkflowId id) {
    return workflows().inNamespace(id.namespace()).withName(id.name());
  }

  private Workflow get(WorkflowId id) {
    Workflow w = call(() -> resource(id).get());
    if (w == null) {
      throw notFound(id);
    }
    return w;
  }

  private WorkflowNotFoundException notFound(WorkflowId id) {
    return new WorkflowNotFoundException(id.toString(), where);
  }

  private WorkflowCheckpoints checkpoints(WorkflowId id) {
    return new WorkflowCheckpoints(store, id);
  }

  /**
   * A workflow id ({@code name} or {@code namespace/name}); {@link WorkflowId} holds it to
   * Kubernetes' naming rules.
   */
  private WorkflowId id(String text) {
    return text.contains("/") ? WorkflowId.parse(text) : new WorkflowId(namespace, text);
  }

  /** What decides whether a run must happen again: the spec without its controls. */
  private static JsonNode definition(WorkflowSpec spec) {
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.valueToTree(spec);
    tree.remove(List.of("resume", "cancel", "suspend", "rerun"));
    return tree;
  }

  /** Read-modify-write of the spec with optimistic locking, retried on conflicts. */
  private Workflow edit(WorkflowId id, UnaryOperator<Workflow> change) {
    for (int i = 0; ; i++) {
      Workflow current = get(id);
      current.setStatus(null);
      try {
        // update() sends the resourceVersion read above: a concurrent change gives 409.
        return workflows().inNamespace(id.namespace()).resource(change.apply(current)).update();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || i >= EDIT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private List<Pod> taskPods(Workflow w) {
    return call(
        () ->
            client
                .pods()
                .inNamespace(w.getMetadata().getNamespace())
                .withLabel(TaskPods.WORKFLOW_UID, w.getMetadata().getUid())
                .list()
                .getItems());
  }

  private static int attemptOf(Pod pod) {
    try {
      return Integer.parseInt(pod.getMetadata().getLabels().get(TaskPods.ATTEMPT));
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** When running attempts started, from their pods; read only if the status lists one. */
  private TaskViews.StartTimes startTimes(Workflow w) {
    var listed = w.getStatus() == null ? null : w.getStatus().tasks;
    if (listed == null || listed.stream().noneMatch(t -> "Running".equals(t.state))) {
      return (task, attempt) -> null;
    }
    Map<String, Instant> starts = new HashMap<>();
    for (Pod pod : taskPods(w)) {
      String task = pod.getMetadata().getAnnotations().get(TaskPods.TASK_ID);
      String time =
          pod.getStatus() != null && pod.getStatus().getStartTime() != null
              ? pod.getStatus().getStartTime()
              : pod.getMetadata().getCreationTimestamp();
      if (task != null && time != null) {
        starts.put(task + "#" + attemptOf(pod), instant(time));
      }
    }
    return (task, attempt) -> starts.get(task + "#" + attempt);
  }

  /**
   * The phase to show for {@code run}: the status' phase, except that a final phase the operator
   * wrote for an earlier run (before it saw this generation or resume count) is shown as Pending.
   */
  private static WorkflowPhase shownPhase(Workflow w, Run run) {
    var status = w.getStatus();
    WorkflowPhase phase = WorkflowPhase.Pending;
    if (status != null && status.phase != null) {
      try {
        phase = WorkflowPhase.valueOf(status.phase);
      } catch (IllegalArgumentException e) {
        phase = WorkflowPhase.Pending;
      }
    }
    return phase.isFinal() && !run.observedIn(w) ? WorkflowPhase.Pending : phase;
  }

  private static WorkflowStatus statusOf(Workflow w, Run run, List<TaskView> tasks) {
    var s = w.getStatus();
    WorkflowPhase phase = shownPhase(w, run);
    boolean stale = s != null && s.phase != null && !phase.name().equals(s.phase);
    String message =
        s == null || s.phase == null
            ? "waiting for the operator"
            : stale ? "waiting for the operator to start the new run" : s.message;
    return new WorkflowStatus(
        w.getMetadata().getNamespace() + "/" + w.getMetadata().getName(),
        phase,
        false,
        run.resume() + 1,
        counts(s),
        message,
        s == null || stale ? null : instant(s.startedAt),
        s == null || stale || !phase.isFinal() ? null : instant(s.finishedAt),
        tasks);
  }

  private static WorkflowStatus.Counts counts(dev.cairn.api.v1alpha1.WorkflowStatus s) {
    if (s == null) {
      return new WorkflowStatus.Counts(0, 0, 0, 0, 0);
    }
    TaskCounts c = s.taskCounts;
    if (c != null) {
      return new WorkflowStatus.Counts(c.total, c.succeeded, c.running, c.pending, c.failed);
    }
    if (s.progress != null && s.progress.matches("\\d+/\\d+")) {
      int done = Integer.parseInt(s.progress.substring(0, s.progress.indexOf('/')));
      int total = Integer.parseInt(s.progress.substring(s.progress.indexOf('/') + 1));
      return new WorkflowStatus.Counts(total, done, 0, total - done, 0);
    }
    return new WorkflowStatus.Counts(0, 0, 0, 0, 0);
  }

  private static Instant instant(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Runs a request, turning an unreachable cluster into one line that names it. */
  private <T> T call(Supplier<T> request) {
    try {
      return request.get();
    } catch (KubernetesClientException e) {
      throw failure(e);
    }
  }

  private String host() {
    try {
      return java.net.URI.create(client.getConfiguration().getMasterUrl()).getHost();
    } catch (IllegalArgumentException e) {
      return client.getConfiguration().getMasterUrl();
    }
  }

  private RuntimeException failure(RuntimeException e) {
    TargetUnavailableException unavailable = Unreachable.of(e, where, host());
    if (unavailable != null) {
      return unavailable;
    }
    if (e instanceof KubernetesClientException k
        && k.getCode() == 404
        && Objects.toString(k.getMessage(), "").contains(Workflow.GROUP)) {
      return new TargetUnavailableException(
          where + " has no Workflow resource type (" + Workflow.API_VERSION + "): install Cairn",
          e);
    }
    return e;
  }
}
