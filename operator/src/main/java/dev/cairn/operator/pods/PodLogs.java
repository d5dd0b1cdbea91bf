package dev.cairn.operator.pods;

import dev.cairn.api.TaskPods;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.WorkflowCheckpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a finished attempt's log beyond its pod: the main container's log is read from the API
 * server once, when the pod has ended, and stored with the attempt ({@link StoreLayout#log}). Only
 * then may the pod be deleted.
 *
 * <p>A log that cannot be read (its node's kubelet unreachable, the API server failing) is tried
 * again with a backoff per pod, 10 s doubling to 5 min: every reconcile of a run retries its
 * waiting pods, and without the backoff thousands of ended pods whose logs fail took the client's
 * whole rate limit in the chaos suite, so that new pods were created at a task a minute.
 */
public final class PodLogs {
  private static final Logger LOG = LoggerFactory.getLogger(PodLogs.class);

  /** The most of a log that is kept: its head, as {@code kubectl logs --limit-bytes} would. */
  public static final int LIMIT_BYTES = StoreLayout.LOG_LIMIT_BYTES;

  /** What became of a pod's log. */
  public enum Result {
    /** Stored with the attempt. */
    STORED,
    /** The pod is gone: there is nothing left to store. */
    GONE,
    /** The API server or the store failed: try again later. */
    FAILED
  }

  static final Duration FIRST_RETRY = Duration.ofSeconds(10);
  static final Duration MAX_RETRY = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final Clock clock;

  /** Pods whose log failed, by name: when to try again and the wait that led there. */
  private final Map<String, Retry> retries = new ConcurrentHashMap<>();

  private record Retry(Instant at, Duration backoff) {}

  public PodLogs(KubernetesClient client) {
    this(client, Clock.systemUTC());
  }

  PodLogs(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * Reads the log of the ended {@code pod}'s main container and stores it with its attempt. After a
   * failure it answers {@link Result#FAILED} without a request until the pod's retry is due.
   */
  public Result store(Pod pod, WorkflowCheckpoints checkpoints) {
    String name = pod.getMetadata().getName();
    Retry due = retries.get(name);
    if (due != null && clock.instant().isBefore(due.at())) {
      return Result.FAILED;
    }
    Result result = read(pod, checkpoints);
    if (result == Result.FAILED) {
      Duration wait =
          due == null
              ? FIRST_RETRY
              : due.backoff().multipliedBy(2).compareTo(MAX_RETRY) > 0
                  ? MAX_RETRY
                  : due.backoff().multipliedBy(2);
      retries.put(name, new Retry(clock.instant().plus(wait), wait));
    } else {
      retries.remove(name);
    }
    return result;
  }

  private Result read(Pod pod, WorkflowCheckpoints checkpoints) {
    String name = pod.getMetadata().getName();
    String text;
    try {
      // One GET of the log subresource. Fabric8's getLog() would first wait for the pod to be
      // ready or ended, which costs a list request per log: the pod has ended already.
      text =
          client.raw(
              "/api/v1/namespaces/"
                  + pod.getMetadata().getNamespace()
                  + "/pods/"
                  + name
                  + "/log?container="
                  + TaskPods.MAIN_CONTAINER
                  + "&limitBytes="
                  + LIMIT_BYTES,
              "GET",
              null);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return Result.GONE;
      }
      LOG.info("pod log not read pod={}: {}", name, e.getMessage());
      return Result.FAILED;
    }
    try {
      checkpoints
          .store()
          .put(key(pod, checkpoints), (text == null ? "" : text).getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      LOG.info("pod log not stored pod={}: {}", name, e.getMessage());
      return Result.FAILED;
    }
    return Result.STORED;
  }

  /** Where a task pod's log is kept, from the attempt its labels and annotations name. */
  static String key(Pod pod, WorkflowCheckpoints checkpoints) {
    var meta = pod.getMetadata();
    return StoreLayout.log(
        checkpoints.id(),
        meta.getAnnotations().get(TaskPods.TASK_ID),
        meta.getAnnotations().get(TaskPods.DIGEST),
        Integer.parseInt(meta.getLabels().get(TaskPods.ATTEMPT)));
  }
}
