package dev.cairn.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.signal.SignalConflictException;
import dev.cairn.core.signal.Signals;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals of one run in the operator: an annotation {@code cairn.dev/signal.NAME: JSON} on the
 * Workflow is recorded in the store once (the first value stands, as for {@code cairn signal}), and
 * the signals that waiting tasks wait for are read from the store and told to the planner. The
 * store is the only record: an annotation is only a way in.
 */
final class SignalInbox {
  private static final Logger LOG = LoggerFactory.getLogger(SignalInbox.class);

  /**
   * How often a run that waits for a signal looks at the store and its annotations although no
   * event came: an annotation is usually seen at once (it changes the object), a signal written to
   * the store by another client only then.
   */
  static final Duration RECHECK = Duration.ofSeconds(10);

  /** Annotations already handled, by signal name: their text as last seen. */
  private final Map<String, String> handled = new HashMap<>();

  /**
   * Records new signal annotations and tells the planner the signals it waits for. Returns true if
   * the planner received one (it must step again).
   */
  boolean deliver(Workflow workflow, WorkflowRun run, RunContext context, Instant now) {
    Map<String, String> annotations = workflow.getMetadata().getAnnotations();
    if (annotations != null) {
      for (Map.Entry<String, String> entry : annotations.entrySet()) {
        String name = Signals.nameOfAnnotation(entry.getKey());
        if (name == null || entry.getValue().equals(handled.get(name))) {
          continue;
        }
        record(workflow, run, context, name, entry.getValue(), now);
        handled.put(name, entry.getValue());
      }
    }
    boolean received = false;
    for (String name : run.planner.awaitedSignals()) {
      var signal = run.checkpoints.readSignal(name);
      if (signal.isPresent()) {
        run.planner.signalReceived(name, signal.get().value());
        received = true;
      }
    }
    return received;
  }

  private void record(
      Workflow workflow,
      WorkflowRun run,
      RunContext context,
      String name,
      String text,
      Instant now) {
    try {
      JsonNode value = Signals.parseValue(name, text);
      if (Signals.deliver(run.checkpoints, name, value, now)) {
        LOG.info("signal received workflow={} signal={}", run.workflowId(), name);
        context
            .events()
            .record(workflow, EventReason.SignalReceived, "signal " + name + " received");
      }
    } catch (SignalConflictException | IllegalArgumentException e) {
      LOG.info("signal refused workflow={} signal={}: {}", run.workflowId(), name, e.getMessage());
      context
          .events()
          .record(
              workflow,
              EventReason.SignalRefused,
              "annotation " + Signals.annotation(name) + " refused: " + e.getMessage());
    }
  }
}
