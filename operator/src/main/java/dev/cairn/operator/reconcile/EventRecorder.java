package dev.cairn.operator.reconcile;

import dev.cairn.api.v1alpha1.Workflow;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on a Workflow. Events are best effort: a failure to record one is
 * logged and never fails a reconcile.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;
  private final KubernetesClient client;
  private final AtomicLong sequence = new AtomicLong();

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void record(Workflow workflow, EventReason reason, String message) {
    String now = Instant.now().toString();
    String text =
        message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                workflow.getMetadata().getName()
                    + "."
                    + Long.toHexString(System.currentTimeMillis())
                    + Long.toHexString(sequence.incrementAndGet()))
            .withNamespace(workflow.getMetadata().getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(Workflow.API_VERSION)
            .withKind("Workflow")
            .withName(workflow.getMetadata().getName())
            .withNamespace(workflow.getMetadata().getNamespace())
            .withUid(workflow.getMetadata().getUid())
            .endInvolvedObject()
            .withReason(reason.name())
            .withType(reason.type())
            .withMessage(text)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent("cairn-operator")
            .endSource()
            .build();
    try {
      client
          .v1()
          .events()
          .inNamespace(workflow.getMetadata().getNamespace())
          .resource(event)
          .create();
    } catch (KubernetesClientException e) {
      LOG.debug(
          "event not recorded workflow={} reason={}: {}",
          workflow.getMetadata().getName(),
          reason,
          e.getMessage());
    }
  }
}
