package dev.cairn.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.client.TaskDetail;
import dev.cairn.client.WorkflowDetails;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.json.Json;
import java.time.Duration;
import java.time.Instant;

/** The JSON shapes of the API (docs/ui.md), from the client API's records. */
final class JsonViews {
  private JsonViews() {}

  /** A workflow's summary, as the list and the workflow page show it. */
  static ObjectNode summary(WorkflowStatus s, Instant now) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", s.id());
    int slash = s.id().indexOf('/');
    o.put("namespace", s.id().substring(0, Math.max(0, slash)));
    o.put("name", s.id().substring(slash + 1));
    o.put("phase", s.displayPhase());
    ObjectNode counts = o.putObject("counts");
    counts.put("total", s.counts().total());
    counts.put("succeeded", s.counts().succeeded());
    counts.put("running", s.counts().running());
    counts.put("pending", s.counts().pending());
    counts.put("failed", s.counts().failed());
    time(o, "startedAt", s.startedAt());
    time(o, "finishedAt", s.finishedAt());
    if (s.startedAt() == null) {
      o.putNull("durationMs");
    } else {
      Instant end = s.finishedAt() != null ? s.finishedAt() : s.ended() ? s.startedAt() : now;
      o.put("durationMs", Math.max(0, Duration.between(s.startedAt(), end).toMillis()));
    }
    o.put("message", s.message());
    return o;
  }

  static ObjectNode details(WorkflowStatus s, WorkflowDetails d, Instant now) {
    ObjectNode o = summary(s, now);
    o.put("output", d.outputTask());
    ObjectNode labels = o.putObject("labels");
    d.labels().forEach(labels::put);
    ArrayNode conditions = o.putArray("conditions");
    for (WorkflowDetails.Condition c : d.conditions()) {
      ObjectNode n = conditions.addObject();
      n.put("type", c.type());
      n.put("status", c.status());
      n.put("reason", c.reason());
      n.put("message", c.message());
      time(n, "lastTransitionTime", c.lastTransitionTime());
    }
    ArrayNode events = o.putArray("events");
    for (WorkflowDetails.Event e : d.events()) {
      ObjectNode n = events.addObject();
      n.put("type", e.type());
      n.put("reason", e.reason());
      n.put("message", e.message());
      n.put("count", e.count());
      time(n, "lastSeen", e.lastSeen());
    }
    return o;
  }

  static ObjectNode task(TaskDetail t, String state) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", t.id());
    o.put("state", state);
    o.put("kind", t.kind().toLowerCase());
    if (t.function() != null) {
      o.put("function", t.function());
    }
    if (t.kind().equals("COMMAND")) {
      o.put("image", t.image());
      ArrayNode command = o.putArray("command");
      t.command().forEach(command::add);
    }
    ObjectNode resources = o.putObject("resources");
    t.resources().forEach(resources::put);
    ObjectNode metadata = o.putObject("metadata");
    t.metadata().forEach(metadata::set);
    o.put("checkpoint", t.checkpoint());
    ArrayNode attempts = o.putArray("attempts");
    for (TaskDetail.Attempt a : t.attempts()) {
      ObjectNode n = attempts.addObject();
      n.put("number", a.number());
      if (a.session() > 0) {
        n.put("session", a.session());
      }
      n.put("verdict", a.verdict());
      n.put("error", a.error());
      if (a.exitCode() != null) {
        n.put("exitCode", a.exitCode());
      }
      time(n, "startedAt", a.startedAt());
      time(n, "finishedAt", a.finishedAt());
      if (a.startedAt() != null && a.finishedAt() != null) {
        n.put("durationMs", Duration.between(a.startedAt(), a.finishedAt()).toMillis());
      } else {
        n.putNull("durationMs");
      }
      n.put("pod", a.pod());
    }
    return o;
  }

  static void time(ObjectNode o, String field, Instant at) {
    if (at == null) {
      o.putNull(field);
    } else {
      o.put(field, at.toString());
    }
  }
}
