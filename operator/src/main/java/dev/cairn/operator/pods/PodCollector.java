package dev.cairn.operator.pods;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.PodGC;
import dev.cairn.api.v1alpha1.Workflow;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles finished task pods and deletes them as the workflow's pod GC strategy says ({@code
 * spec.podGC}, else the operator's default). A pod is settled once its attempt's verdict is durable
 * and its log stored ({@link PodLogs}): it is labelled {@link TaskPods#SETTLED}, which takes it out
 * of the operator's informer, and only a settled pod is ever deleted here.
 */
public final class PodCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodCollector.class);
  private static final Set<String> STRATEGIES =
      Set.of(
          PodGC.NEVER,
          PodGC.ON_POD_SUCCESS,
          PodGC.ON_POD_COMPLETION,
          PodGC.ON_WORKFLOW_SUCCESS,
          PodGC.ON_WORKFLOW_COMPLETION);
  private static final Pattern DELAY = Pattern.compile("([0-9]+)(s|m|h)");
  static final Duration RETRY = Duration.ofSeconds(10);
  private static final int ATTEMPTS = 6;

  /** A workflow's pod GC: its strategy and delete delay. */
  public record Policy(String strategy, Duration delay) {
    public boolean perPod() {
      return PodGC.ON_POD_SUCCESS.equals(strategy) || PodGC.ON_POD_COMPLETION.equals(strategy);
    }
  }

  private final KubernetesClient client;
  private final Policy defaults;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "cairn-pod-gc");
            t.setDaemon(true);
            return t;
          });

  public PodCollector(KubernetesClient client, String strategy, Duration delay) {
    this.client = client;
    this.defaults = new Policy(strategy(strategy), delay);
  }

  /** A strategy name, checked. */
  public static String strategy(String name) {
    if (!STRATEGIES.contains(name)) {
      throw new IllegalArgumentException(
          "pod GC strategy must be one of "
              + List.of(
                  PodGC.NEVER,
                  PodGC.ON_POD_SUCCESS,
                  PodGC.ON_POD_COMPLETION,
                  PodGC.ON_WORKFLOW_SUCCESS,
                  PodGC.ON_WORKFLOW_COMPLETION)
              + ", got "
              + name);
    }
    return name;
  }

  /** A delete delay: {@code 30s}, {@code 10m}, {@code 1h}. */
  public static Duration delay(String text) {
    Matcher m = DELAY.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "pod GC delete delay must be a number with s, m or h (30s, 10m, 1h), got " + text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** The workflow's pod GC: its {@code spec.podGC} over the operator's default. */
  public Policy policy(Workflow workflow) {
    PodGC gc = workflow.getSpec() == null ? null : workflow.getSpec().podGC;
    if (gc == null) {
      return defaults;
    }
    return new Policy(
        gc.strategy == null ? defaults.strategy() : strategy(gc.strategy),
        gc.deleteDelayDuration == null ? defaults.delay() : delay(gc.deleteDelayDuration));
  }

  /**
   * Marks an ended pod settled (its verdict is durable and its log stored) and, under a per-pod
   * strategy that covers how it ended, deletes it after the delay. The label takes the pod out of
   * the operator's informer: an ended pod kept in its cache costs about 5 KiB of heap even as
   * {@link LeanPodStore} keeps it, and under the default strategy ({@code Never}) ended pods are
   * never deleted, so without the label the cache would grow with every task ever run.
   *
   * @return false if the label could not be written (try again later)
   */
  public boolean settle(Pod pod, Policy policy) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    try {
      // Through resource(pod): addressed by name, the client would read the pod first.
      client
          .pods()
          .inNamespace(namespace)
          .resource(pod)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"labels\":{\"" + TaskPods.SETTLED + "\":\"true\"}}}");
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return true;
      }
      LOG.info("pod not settled pod={}: {}", name, e.getMessage());
      return false;
    }
    boolean succeeded = "Succeeded".equals(pod.getStatus().getPhase());
    if (PodGC.ON_POD_COMPLETION.equals(policy.strategy())
        || (PodGC.ON_POD_SUCCESS.equals(policy.strategy()) && succeeded)) {
      later(policy.delay(), () -> delete(namespace, name), ATTEMPTS);
    }
    return true;
  }

  /**
   * A workflow has ended: under a workflow strategy that covers how it ended, its settled pods are
   * deleted after the delay (pods not settled, whose log could not be stored, are kept).
   */
  public void workflowEnded(Workflow workflow, boolean succeeded, Policy policy) {
    if (!(PodGC.ON_WORKFLOW_COMPLETION.equals(policy.strategy())
        || (PodGC.ON_WORKFLOW_SUCCESS.equals(policy.strategy()) && succeeded))) {
      return;
    }
    String namespace = workflow.getMetadata().getNamespace();
    String uid = workflow.getMetadata().getUid();
    later(
        policy.delay(),
        () -> {
          for (Pod pod :
              client
                  .pods()
                  .inNamespace(namespace)
                  .withLabel(TaskPods.WORKFLOW_UID, uid)
                  .withLabel(TaskPods.SETTLED, "true")
                  .list()
                  .getItems()) {
            delete(namespace, pod.getMetadata().getName());
          }
        },
        ATTEMPTS);
  }

  private void delete(String namespace, String name) {
    try {
      client.pods().inNamespace(namespace).withName(name).delete();
      LOG.debug("pod collected pod={}/{}", namespace, name);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** Runs {@code work} after {@code delay}, again after {@link #RETRY} while it fails. */
  private void later(Duration delay, Runnable work, int attempts) {
    if (timer.isShutdown()) {
      return;
    }
    timer.schedule(
        () -> {
          try {
            work.run();
          } catch (RuntimeException e) {
            LOG.info("pod GC failed, retrying in {}: {}", RETRY, e.getMessage());
            if (attempts > 1) {
              later(RETRY, work, attempts - 1);
            }
          }
        },
        delay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
