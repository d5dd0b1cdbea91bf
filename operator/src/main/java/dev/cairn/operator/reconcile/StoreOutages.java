package dev.cairn.operator.reconcile;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import dev.cairn.operator.kube.StatusWriter;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a store outage shows on a Workflow: one {@code StoreUnavailable} Event per outage and error,
 * whose count and last timestamp are brought up to date at most once per {@link #EVENT_REFRESH}
 * (not one new Event per retry), and the condition {@code StoreAvailable=False} with the error,
 * written once. The next status the run writes once the store answers again drops the condition.
 */
final class StoreOutages {
  static final String CONDITION = "StoreAvailable";
  static final Duration EVENT_REFRESH = Duration.ofSeconds(60);

  /** A failure this long after the previous one starts a new outage (the retry is 5 s). */
  static final Duration GAP = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(StoreOutages.class);

  private static final class Outage {
    String message;
    String event;
    String first;
    int count;
    Instant lastSeen;
    Instant lastEventWrite;
  }

  private final KubernetesClient client;
  private final StatusWriter status;
  private final Map<String, Outage> outages = new ConcurrentHashMap<>();

  StoreOutages(KubernetesClient client, StatusWriter status) {
    this.client = client;
    this.status = status;
  }

  /** The store failed while reconciling {@code workflow}. */
  void failed(Workflow workflow, String message, Instant now) {
    String uid = workflow.getMetadata().getUid();
    Outage outage = outages.get(uid);
    if (outage == null
        || !outage.message.equals(message)
        || outage.lastSeen.plus(GAP).isBefore(now)) {
      outage = new Outage();
      outage.message = message;
      outage.first = now.toString();
      outage.event =
          workflow.getMetadata().getName() + ".store." + Long.toHexString(now.toEpochMilli());
      outages.put(uid, outage);
    }
    outage.count++;
    outage.lastSeen = now;
    if (outage.count == 1) {
      writeEvent(workflow, outage, now, true);
    } else if (outage.lastEventWrite.plus(EVENT_REFRESH).isBefore(now)) {
      writeEvent(workflow, outage, now, false);
    }
    writeCondition(workflow, message, now);
  }

  /** Forgets a workflow (deleted). */
  void forget(String uid) {
    outages.remove(uid);
  }

  private void writeEvent(Workflow workflow, Outage outage, Instant now, boolean create) {
    outage.lastEventWrite = now;
    String namespace = workflow.getMetadata().getNamespace();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(outage.event)
            .withNamespace(namespace)
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(Workflow.API_VERSION)
            .withKind("Workflow")
            .withName(workflow.getMetadata().getName())
            .withNamespace(namespace)
            .withUid(workflow.getMetadata().getUid())
            .endInvolvedObject()
            .withReason(EventReason.StoreUnavailable.name())
            .withType(EventReason.StoreUnavailable.type())
            .withMessage(
                outage.message.length() > 1024
                    ? outage.message.substring(0, 1021) + "..."
                    : outage.message)
            .withFirstTimestamp(outage.first)
            .withLastTimestamp(now.toString())
            .withCount(outage.count)
            .withNewSource()
            .withComponent("cairn-operator")
            .endSource()
            .build();
    try {
      if (create) {
        client.v1().events().inNamespace(namespace).resource(event).create();
      } else {
        client.v1().events().inNamespace(namespace).resource(event).update();
      }
    } catch (KubernetesClientException e) {
      LOG.debug("store outage event not recorded workflow={}: {}", outage.event, e.getMessage());
    }
  }

  private void writeCondition(Workflow workflow, String message, Instant now) {
    WorkflowStatus current = workflow.getStatus();
    List<Condition> conditions =
        current == null || current.conditions == null
            ? new ArrayList<>()
            : new ArrayList<>(current.conditions);
    for (Condition c : conditions) {
      if (CONDITION.equals(c.getType())
          && "False".equals(c.getStatus())
          && Objects.equals(message, c.getMessage())) {
        return; // shown already
      }
    }
    conditions.removeIf(c -> CONDITION.equals(c.getType()));
    conditions.add(
        new ConditionBuilder()
            .withType(CONDITION)
            .withStatus("False")
            .withReason("StoreUnavailable")
            .withMessage(message)
            .withLastTransitionTime(now.toString())
            .build());
    WorkflowStatus next =
        current == null
            ? new WorkflowStatus()
            : dev.cairn.core.json.Json.MAPPER.convertValue(current, WorkflowStatus.class);
    next.conditions = conditions;
    try {
      status.write(workflow, next);
    } catch (KubernetesClientException e) {
      LOG.debug("store condition not written: {}", e.getMessage());
    }
  }
}
