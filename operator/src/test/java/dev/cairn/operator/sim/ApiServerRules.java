package dev.cairn.operator.sim;

import dev.cairn.api.TaskPods;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a real API server does to pods that Fabric8's CRUD mock does not, so that tests meet the
 * same refusals and the same slow deletions as in a cluster:
 *
 * <ul>
 *   <li>ServiceAccount admission: a pod naming a ServiceAccount that does not exist is forbidden
 *       (403), with the API server's message;
 *   <li>Pod Security admission at the {@code restricted} level for namespaces labelled {@code
 *       pod-security.kubernetes.io/enforce=restricted} (403, with the violations);
 *   <li>an object over etcd's 1.5 MiB request limit is refused (413);
 *   <li>graceful deletion: deleting a pod bound to a node only sets its deletionTimestamp; the
 *       kubelet stops its containers (SIGTERM, then SIGKILL after the grace period) and removes it
 *       with a grace period of 0, as a kubelet does.
 * </ul>
 */
public final class ApiServerRules {
  /** The user agent of the simulated kubelet's client. */
  static final String KUBELET_AGENT = "simulated-kubelet";

  static final int ETCD_REQUEST_LIMIT = 1536 * 1024;

  /** Held by a pod in graceful deletion until the simulated kubelet has ended it. */
  public static final String TERMINATING_FINALIZER = "simulated-kubelet/terminating";

  private static final Pattern POD_COLLECTION = Pattern.compile("/api/v1/namespaces/([^/]+)/pods");
  private static final Pattern POD = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)");
  private static final Pattern POD_LOG =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/log");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final KubernetesCrudDispatcher crud;

  /** Faults a test injects: an HTTP code to answer a pod create with (null: serve it). */
  private volatile java.util.function.Function<Pod, Integer> createFaults = p -> null;

  /** Faults a test injects: an HTTP code to answer a pod delete with, by pod name. */
  private volatile java.util.function.Function<String, Integer> deleteFaults = n -> null;

  /**
   * Writes a test makes ambiguous: served (stored) and then answered with a 504 Timeout, as a real
   * API server answers a write that etcd applied after the request's deadline.
   */
  private volatile java.util.function.Predicate<RecordedRequest> answersLost = r -> false;

  private final java.util.concurrent.atomic.AtomicInteger lostAnswers =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Pods that informers of task pods must never see (a watch that lags or lost them). */
  private volatile java.util.function.Predicate<String> hidden = name -> false;

  /** The kubelet's container logs: (namespace, pod) to main's log, or null. */
  private volatile java.util.function.BiFunction<String, String, String> logs = (ns, pod) -> null;

  /** Requests of {@code pods/log} read main's log from here, while the pod exists. */
  public void serveLogs(java.util.function.BiFunction<String, String, String> logs) {
    this.logs = logs;
  }

  /** Pods whose log requests fail with 500 (a kubelet that cannot be reached). */
  private volatile java.util.function.Predicate<String> failingLogs = pod -> false;

  /** Log requests of matching pods fail with 500, as when the node's kubelet is unreachable. */
  public void serveLogsFailing(java.util.function.Predicate<String> pods) {
    this.failingLogs = pods;
  }

  ApiServerRules(KubernetesCrudDispatcher crud) {
    this.crud = crud;
  }

  /**
   * Writes that {@code writes} accepts are applied and answered with 504 Timeout ("request did not
   * complete within requested timeout"): the client cannot tell they happened.
   */
  public void loseAnswersOf(java.util.function.Predicate<RecordedRequest> writes) {
    this.answersLost = writes;
  }

  /** Writes applied whose answer was replaced by a timeout, since the cluster started. */
  public int lostAnswers() {
    return lostAnswers.get();
  }

  /** Whether the write is to be made ambiguous (decided before serving: serving reads the body). */
  boolean losesAnswer(RecordedRequest request) {
    return !"GET".equalsIgnoreCase(request.getMethod()) && answersLost.test(request);
  }

  /** The answer the client sees for a served write: a timeout when the test made it ambiguous. */
  MockResponse answer(boolean loseAnswer, MockResponse served) {
    if (!loseAnswer || served.code() >= 300) {
      return served;
    }
    lostAnswers.incrementAndGet();
    return status(
        504,
        "Timeout",
        "Timeout: request did not complete within requested timeout - context deadline exceeded");
  }

  /** Answers pod creates with the code the function gives (throttling, an outage), if any. */
  public void failPodCreates(java.util.function.Function<Pod, Integer> faults) {
    this.createFaults = faults;
  }

  /** Answers pod deletes with the code the function gives for the pod's name, if any. */
  public void failPodDeletes(java.util.function.Function<String, Integer> faults) {
    this.deleteFaults = faults;
  }

  /**
   * Stores matching pods without the label that task-pod informers select on: they exist for reads
   * by name, and no watch of task pods ever delivers them.
   */
  public void hideFromInformers(java.util.function.Predicate<String> podName) {
    this.hidden = podName;
  }

  /** The request as the store should see it: hidden pods lose the informers' label. */
  RecordedRequest mutate(RecordedRequest request) {
    if (!"POST".equalsIgnoreCase(request.getMethod())
        || !POD_COLLECTION.matcher(request.getPath().replaceAll("\\?.*", "")).matches()) {
      return request;
    }
    Pod pod =
        SERIALIZATION.unmarshal(
            new String(request.getBody().getBytes(), StandardCharsets.UTF_8), Pod.class);
    if (!hidden.test(pod.getMetadata().getName())) {
      return request;
    }
    pod.getMetadata().getLabels().remove(TaskPods.MANAGED_BY);
    return new RecordedRequest(
        "HTTP/1.1",
        HttpMethod.POST,
        request.getPath(),
        request.getHeaders(),
        new Buffer(SERIALIZATION.asJson(pod).getBytes(StandardCharsets.UTF_8)));
  }

  /** The answer the rules give, or null to let the CRUD mock serve the request. */
  MockResponse intercept(String agent, RecordedRequest request) {
    String path = request.getPath().replaceAll("\\?.*", "");
    if ("POST".equalsIgnoreCase(request.getMethod())) {
      Matcher m = POD_COLLECTION.matcher(path);
      if (m.matches()) {
        return admit(m.group(1), request);
      }
    }
    if ("GET".equalsIgnoreCase(request.getMethod())) {
      Matcher m = POD_LOG.matcher(path);
      if (m.matches()) {
        return log(m.group(1), m.group(2));
      }
    }
    if ("DELETE".equalsIgnoreCase(request.getMethod())) {
      Matcher m = POD.matcher(path);
      if (m.matches()) {
        Integer fault = deleteFaults.apply(m.group(2));
        if (fault != null) {
          return status(fault, "InternalError", "injected failure deleting pod " + m.group(2));
        }
        return deleteGracefully(path, request);
      }
    }
    return null;
  }

  private MockResponse log(String namespace, String pod) {
    if (failingLogs.test(pod)) {
      return status(500, "InternalError", "error dialing backend: kubelet unreachable");
    }
    if (crud.handleGet("/api/v1/namespaces/" + namespace + "/pods/" + pod).code() == 404) {
      return status(404, "NotFound", "pods \"" + pod + "\" not found");
    }
    String text = logs.apply(namespace, pod);
    if (text == null) {
      return status(
          400,
          "BadRequest",
          "container \"main\" in pod \"" + pod + "\" is waiting to start: PodInitializing");
    }
    return new MockResponse().setResponseCode(200).setBody(text);
  }

  private MockResponse admit(String namespace, RecordedRequest request) {
    byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
    if (body.length > ETCD_REQUEST_LIMIT) {
      return status(
          413,
          "RequestEntityTooLarge",
          "etcdserver: request is too large (" + body.length + " bytes)");
    }
    Pod pod = SERIALIZATION.unmarshal(new String(body, StandardCharsets.UTF_8), Pod.class);
    String name = pod.getMetadata() == null ? "" : pod.getMetadata().getName();
    Integer fault = createFaults.apply(pod);
    if (fault != null) {
      return status(
          fault,
          fault == 429 ? "TooManyRequests" : "InternalError",
          fault == 429
              ? "the server has received too many requests and has asked us to try again later"
              : "injected failure creating pod " + name);
    }
    String account = pod.getSpec() == null ? null : pod.getSpec().getServiceAccountName();
    if (account != null
        && !account.equals("default")
        && crud.handleGet("/api/v1/namespaces/" + namespace + "/serviceaccounts/" + account).code()
            == 404) {
      return status(
          403,
          "Forbidden",
          "pods \""
              + name
              + "\" is forbidden: error looking up service account "
              + namespace
              + "/"
              + account
              + ": serviceaccount \""
              + account
              + "\" not found");
    }
    if ("restricted".equals(enforcedLevel(namespace))) {
      List<String> violations = restrictedViolations(pod);
      if (!violations.isEmpty()) {
        return status(
            403,
            "Forbidden",
            "pods \""
                + name
                + "\" is forbidden: violates PodSecurity \"restricted:latest\": "
                + String.join(", ", violations));
      }
    }
    return null;
  }

  private String enforcedLevel(String namespace) {
    MockResponse response = crud.handleGet("/api/v1/namespaces/" + namespace);
    if (response.code() != 200) {
      return null;
    }
    Namespace ns = SERIALIZATION.unmarshal(response.getBody().readUtf8(), Namespace.class);
    Map<String, String> labels = ns.getMetadata().getLabels();
    return labels == null ? null : labels.get("pod-security.kubernetes.io/enforce");
  }

  /** The checks of the restricted profile that a task pod could break. */
  static List<String> restrictedViolations(Pod pod) {
    List<String> violations = new ArrayList<>();
    PodSecurityContext podContext = pod.getSpec().getSecurityContext();
    boolean podNonRoot = podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
    boolean podSeccomp =
        podContext != null
            && podContext.getSeccompProfile() != null
            && List.of("RuntimeDefault", "Localhost")
                .contains(podContext.getSeccompProfile().getType());
    List<Container> containers = new ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) {
      containers.addAll(pod.getSpec().getInitContainers());
    }
    for (Container c : containers) {
      SecurityContext sc = c.getSecurityContext();
      String name = "container \"" + c.getName() + "\"";
      if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        violations.add(
            "allowPrivilegeEscalation != false ("
                + name
                + " must set securityContext.allowPrivilegeEscalation=false)");
      }
      if (sc == null
          || sc.getCapabilities() == null
          || sc.getCapabilities().getDrop() == null
          || !sc.getCapabilities().getDrop().contains("ALL")) {
        violations.add(
            "unrestricted capabilities (" + name + " must set capabilities.drop=[\"ALL\"])");
      }
      if (!podNonRoot && (sc == null || !Boolean.TRUE.equals(sc.getRunAsNonRoot()))) {
        violations.add("runAsNonRoot != true (" + name + " must set runAsNonRoot=true)");
      }
      boolean seccomp =
          sc != null
              && sc.getSeccompProfile() != null
              && List.of("RuntimeDefault", "Localhost").contains(sc.getSeccompProfile().getType());
      if (!podSeccomp && !seccomp) {
        violations.add(
            "seccompProfile (" + name + " must set seccompProfile.type to RuntimeDefault)");
      }
    }
    return violations;
  }

  /**
   * A pod bound to a node is not removed at once: it gets a deletionTimestamp and the kubelet ends
   * it. Unbound or finished pods, and deletions with a grace period of 0, go at once.
   */
  private MockResponse deleteGracefully(String path, RecordedRequest request) {
    String options =
        request.getBody() == null
            ? ""
            : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    if (options.matches("(?s).*\"gracePeriodSeconds\"\\s*:\\s*0\\b.*")
        || request.getPath().contains("gracePeriodSeconds=0")) {
      // A force delete: a real API server removes the pod at once, whatever its kubelet does.
      dropKubeletFinalizer(path);
      return null;
    }
    MockResponse current = crud.handleGet(path);
    if (current.code() != 200) {
      return null;
    }
    Pod pod = SERIALIZATION.unmarshal(current.getBody().readUtf8(), Pod.class);
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (pod.getSpec().getNodeName() == null
        || "Succeeded".equals(phase)
        || "Failed".equals(phase)) {
      return null;
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return new MockResponse().setResponseCode(200).setBody(SERIALIZATION.asJson(pod));
    }
    long grace =
        pod.getSpec().getTerminationGracePeriodSeconds() == null
            ? 30
            : pod.getSpec().getTerminationGracePeriodSeconds();
    Matcher requested = Pattern.compile("\"gracePeriodSeconds\"\\s*:\\s*(\\d+)").matcher(options);
    if (requested.find()) {
      grace = Long.parseLong(requested.group(1));
    }
    // The mock removes an object whose deletionTimestamp is set once it has no finalizers: the
    // kubelet's finalizer keeps the pod until the kubelet has ended it (a real API server waits for
    // the kubelet's own delete instead).
    List<String> finalizers =
        new ArrayList<>(
            pod.getMetadata().getFinalizers() == null
                ? List.of()
                : pod.getMetadata().getFinalizers());
    finalizers.add(TERMINATING_FINALIZER);
    String patch =
        "{\"metadata\":{\"deletionTimestamp\":\""
            + Instant.now().plusSeconds(grace).toString()
            + "\",\"deletionGracePeriodSeconds\":"
            + grace
            + ",\"finalizers\":"
            + SERIALIZATION.asJson(finalizers)
            + "}}";
    RecordedRequest merge =
        new RecordedRequest(
            "HTTP/1.1",
            HttpMethod.PATCH,
            path,
            Headers.builder().add("Content-Type", "application/merge-patch+json").build(),
            new Buffer(patch.getBytes(StandardCharsets.UTF_8)));
    return crud.handlePatch(merge);
  }

  /** Removes this simulation's stand-in for the kubelet's confirmation, if the pod holds it. */
  private void dropKubeletFinalizer(String path) {
    MockResponse current = crud.handleGet(path);
    if (current.code() != 200) {
      return;
    }
    Pod pod = SERIALIZATION.unmarshal(current.getBody().readUtf8(), Pod.class);
    List<String> finalizers = pod.getMetadata().getFinalizers();
    if (finalizers == null || !finalizers.contains(TERMINATING_FINALIZER)) {
      return;
    }
    List<String> kept = new ArrayList<>(finalizers);
    kept.remove(TERMINATING_FINALIZER);
    // A JSON patch: the mock's merge patch leaves a list it would empty unchanged.
    crud.handlePatch(
        new RecordedRequest(
            "HTTP/1.1",
            HttpMethod.PATCH,
            path,
            Headers.builder().add("Content-Type", "application/json-patch+json").build(),
            new Buffer(
                ("[{\"op\":\"replace\",\"path\":\"/metadata/finalizers\",\"value\":"
                        + SERIALIZATION.asJson(kept)
                        + "}]")
                    .getBytes(StandardCharsets.UTF_8))));
  }

  private static MockResponse status(int code, String reason, String message) {
    String body =
        "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":"
            + code
            + ",\"reason\":\""
            + reason
            + "\",\"message\":"
            + SERIALIZATION.asJson(message)
            + "}";
    return new MockResponse().setResponseCode(code).setBody(body);
  }
}
