package dev.cairn.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.ListFilter;
import dev.cairn.client.NoOutputException;
import dev.cairn.client.TaskArtifact;
import dev.cairn.client.TaskDetail;
import dev.cairn.client.TaskLog;
import dev.cairn.client.TaskView;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowDetails;
import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.client.WorkflowPage;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.WorkflowId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON API under {@code /api/} (docs/ui.md): every answer is read through the one client API,
 * never from the store or the API server directly.
 */
final class Api implements HttpHandler {
  /** Outputs shown inline are cut at this many bytes; {@code ?download=1} gives the whole. */
  static final int OUTPUT_LIMIT = 64 * 1024;

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  /** The header a browser must send with an action: a cross-site form or fetch cannot. */
  static final String ACTION_HEADER = "X-Cairn-Action";

  private final WorkflowClient client;
  private final String target;
  private final boolean actions;
  private final LiveFeeds feeds;
  private final Duration heartbeat;
  private final Clock clock;
  private final NamespacePages pages;
  private final Map<String, String> outputTasks = new java.util.concurrent.ConcurrentHashMap<>();

  Api(
      WorkflowClient client,
      String target,
      boolean actions,
      LiveFeeds feeds,
      Duration heartbeat,
      Clock clock,
      List<String> namespaces) {
    this.client = client;
    this.pages = new NamespacePages(client, namespaces);
    this.target = target;
    this.actions = actions;
    this.feeds = feeds;
    this.heartbeat = heartbeat;
    this.clock = clock;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      route(exchange);
    } catch (RuntimeException e) {
      Exchanges.failure(exchange, e);
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    List<String> path = segments(exchange.getRequestURI().getRawPath());
    // path starts with "api"
    if (path.size() == 2 && path.get(1).equals("info")) {
      requireGet(method);
      info(exchange);
    } else if (path.size() == 2 && path.get(1).equals("events")) {
      requireGet(method);
      listEvents(exchange);
    } else if (path.size() == 2 && path.get(1).equals("workflows")) {
      requireGet(method);
      list(exchange);
    } else if (path.size() >= 4 && path.get(1).equals("workflows")) {
      String id = workflowId(path.get(2), path.get(3));
      List<String> rest = path.subList(4, path.size());
      workflow(exchange, method, id, rest);
    } else {
      throw new ApiError(404, "no API endpoint " + exchange.getRequestURI().getPath());
    }
  }

  private void workflow(HttpExchange exchange, String method, String id, List<String> rest)
      throws IOException {
    if (rest.size() == 2 && rest.get(0).equals("actions")) {
      action(exchange, method, id, rest.get(1));
      return;
    }
    requireGet(method);
    if (rest.isEmpty()) {
      WorkflowStatus status = client.status(id, false);
      WorkflowDetails details = client.details(id);
      Exchanges.json(exchange, 200, JsonViews.details(status, details, clock.instant()));
    } else if (rest.size() == 1 && rest.get(0).equals("graph")) {
      graph(exchange, id);
    } else if (rest.size() == 1 && rest.get(0).equals("events")) {
      workflowEvents(exchange, id);
    } else if (rest.size() == 2 && rest.get(0).equals("tasks")) {
      task(exchange, id, rest.get(1));
    } else if (rest.size() == 3 && rest.get(0).equals("tasks") && rest.get(2).equals("log")) {
      log(exchange, id, rest.get(1));
    } else if (rest.size() == 3 && rest.get(0).equals("tasks") && rest.get(2).equals("output")) {
      output(exchange, id, rest.get(1));
    } else if (rest.size() == 3 && rest.get(0).equals("tasks") && rest.get(2).equals("artifacts")) {
      artifacts(exchange, id, rest.get(1));
    } else if (rest.size() > 3 && rest.get(0).equals("tasks") && rest.get(2).equals("artifacts")) {
      artifact(exchange, id, rest.get(1), String.join("/", rest.subList(3, rest.size())));
    } else {
      throw new ApiError(404, "no API endpoint " + exchange.getRequestURI().getPath());
    }
  }

  // ---------------------------------------------------------------- reading

  private void info(HttpExchange exchange) throws IOException {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("target", target);
    o.put("actions", actions);
    Exchanges.json(exchange, 200, o);
  }

  private void list(HttpExchange exchange) throws IOException {
    Map<String, String> q = Exchanges.query(exchange);
    WorkflowPage page = pages.page(filter(q), limit(q), blankToNull(q.get("continue")));
    Exchanges.json(exchange, 200, pageJson(page));
  }

  private ObjectNode pageJson(WorkflowPage page) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    ArrayNode items = o.putArray("items");
    page.items().forEach(s -> items.add(JsonViews.summary(s, clock.instant())));
    o.put("continue", page.continueToken());
    return o;
  }

  private void graph(HttpExchange exchange, String id) throws IOException {
    Set<String> expand = expand(Exchanges.query(exchange));
    WorkflowStatus status = client.status(id, true);
    String output = outputTask(id, status);
    Exchanges.json(
        exchange, 200, GraphJson.graph(GraphGrouping.fold(status.tasks(), expand, output)));
  }

  /**
   * The output task, read once per workflow and session: it is part of the spec, and reading it
   * compiles the spec again, which for a 10,000-task workflow costs as much as the graph itself.
   */
  private String outputTask(String id, WorkflowStatus status) {
    String key = id + "#" + status.session();
    String known = outputTasks.get(key);
    if (known != null) {
      return known.isEmpty() ? null : known;
    }
    String output = client.details(id).outputTask();
    if (outputTasks.size() > 1000) {
      outputTasks.clear();
    }
    outputTasks.put(key, output == null ? "" : output);
    return output;
  }

  private void task(HttpExchange exchange, String id, String taskId) throws IOException {
    TaskDetail detail = client.task(id, taskId);
    TaskView view =
        client.status(id, true).tasks().stream()
            .filter(t -> t.id().equals(taskId))
            .findFirst()
            .orElse(null);
    ObjectNode o =
        JsonViews.task(detail, view == null ? "pending" : GraphGrouping.state(view.state()));
    ObjectNode output = o.putObject("output");
    try {
      byte[] value = Exchanges.pretty(client.output(id, taskId)).getBytes(StandardCharsets.UTF_8);
      output.put("size", value.length);
      output.put("truncated", value.length > OUTPUT_LIMIT);
    } catch (NoOutputException | IllegalStateException e) {
      // Not committed yet, or not readable here (a cluster client without the store).
      output.putNull("size");
      output.put("truncated", false);
      output.put("missing", e.getMessage());
    }
    Exchanges.json(exchange, 200, o);
  }

  private void log(HttpExchange exchange, String id, String taskId) throws IOException {
    Map<String, String> q = Exchanges.query(exchange);
    Integer attempt = q.containsKey("attempt") ? positive(q, "attempt") : null;
    TaskLog log = client.logs(id, taskId, attempt);
    exchange.getResponseHeaders().set("X-Cairn-Attempt", Integer.toString(log.attempt()));
    exchange.getResponseHeaders().set("X-Cairn-Log-Location", ascii(log.location()));
    Exchanges.text(exchange, 200, "text/plain; charset=utf-8", log.text());
  }

  private void artifacts(HttpExchange exchange, String id, String taskId) throws IOException {
    Map<String, String> q = Exchanges.query(exchange);
    Integer attempt = q.containsKey("attempt") ? positive(q, "attempt") : null;
    ObjectNode o = Json.MAPPER.createObjectNode();
    ArrayNode items = o.putArray("items");
    for (TaskArtifact a : client.artifacts(id, taskId, attempt)) {
      items.addObject().put("path", a.path()).put("size", a.size());
    }
    Exchanges.json(exchange, 200, o);
  }

  private void artifact(HttpExchange exchange, String id, String taskId, String path)
      throws IOException {
    for (String segment : path.split("/")) {
      if (segment.equals("..") || segment.equals(".")) {
        throw new ApiError(400, "artifact paths may not contain \"" + segment + "\": " + path);
      }
    }
    Map<String, String> q = Exchanges.query(exchange);
    Integer attempt = q.containsKey("attempt") ? positive(q, "attempt") : null;
    String file = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    try (java.io.InputStream data = client.openArtifact(id, taskId, attempt, path)) {
      exchange
          .getResponseHeaders()
          .set("Content-Disposition", "attachment; filename=\"" + file + "\"");
      Exchanges.stream(exchange, 200, "application/octet-stream", data);
    }
  }

  private void output(HttpExchange exchange, String id, String taskId) throws IOException {
    Map<String, String> q = Exchanges.query(exchange);
    JsonNode value = client.output(id, taskId);
    byte[] text = Exchanges.pretty(value).getBytes(StandardCharsets.UTF_8);
    if ("1".equals(q.get("download")) || "true".equals(q.get("download"))) {
      String file = (id.replace('/', '_') + "_" + taskId).replaceAll("[^A-Za-z0-9._-]", "_");
      exchange
          .getResponseHeaders()
          .set("Content-Disposition", "attachment; filename=\"" + file + ".json\"");
      Exchanges.bytes(exchange, 200, "application/json; charset=utf-8", text);
      return;
    }
    boolean truncated = text.length > OUTPUT_LIMIT;
    exchange.getResponseHeaders().set("X-Cairn-Truncated", Boolean.toString(truncated));
    exchange.getResponseHeaders().set("X-Cairn-Size", Integer.toString(text.length));
    Exchanges.bytes(
        exchange,
        200,
        "application/json; charset=utf-8",
        truncated ? Utf8.cut(text, OUTPUT_LIMIT) : text);
  }

  // ---------------------------------------------------------------- live

  private void workflowEvents(HttpExchange exchange, String id) throws IOException {
    Set<String> expand = expand(Exchanges.query(exchange));
    // An unknown workflow is a 404 before the stream starts.
    String output = outputTask(id, client.status(id, false));
    EventStream stream = new EventStream(exchange, heartbeat, feeds.interval());
    GraphDiff diff = new GraphDiff(expand, output, clock);
    Runnable stop =
        feeds.<GraphDiff.Polled>listen(
            "workflow " + id,
            // The summary as the list and the workflow's page read it, the tasks for the graph.
            () -> new GraphDiff.Polled(client.status(id, false), client.status(id, true)),
            // An ended run changes no more (until resumed): its last state has been sent.
            polled -> polled.summary().ended() && polled.withTasks().ended(),
            result -> {
              if (result.failure() != null) {
                stream.send("error", errorJson(result.failure()));
              } else {
                diff.next(result.value()).ifPresent(event -> stream.send("status", event));
              }
            });
    try {
      stream.run();
    } finally {
      stop.run();
    }
  }

  private void listEvents(HttpExchange exchange) throws IOException {
    Map<String, String> q = Exchanges.query(exchange);
    ListFilter filter = filter(q);
    int limit = limit(q);
    String token = blankToNull(q.get("continue"));
    EventStream stream = new EventStream(exchange, heartbeat, feeds.interval());
    // Browsers asking the same question share a poll; each hears of a change once.
    String key = "list " + filter + " " + limit + " " + token;
    String[] last = new String[1];
    Runnable stop =
        feeds.<WorkflowPage>listen(
            key,
            () -> pages.page(filter, limit, token),
            result -> {
              String event;
              String name;
              if (result.failure() != null) {
                name = "error";
                event = errorJson(result.failure());
              } else {
                name = "list";
                event = pageJson(result.value()).toString();
              }
              // The duration of a running workflow changes every poll; the browser counts it.
              String compared = event.replaceAll("\"durationMs\":\\d+", "");
              synchronized (last) {
                if (compared.equals(last[0])) {
                  return;
                }
                last[0] = compared;
              }
              stream.send(name, event);
            });
    try {
      stream.run();
    } finally {
      stop.run();
    }
  }

  private static String errorJson(RuntimeException e) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    o.put("notFound", e instanceof WorkflowNotFoundException);
    return o.toString();
  }

  // ---------------------------------------------------------------- actions

  private void action(HttpExchange exchange, String method, String id, String verb)
      throws IOException {
    if (!"POST".equals(method)) {
      throw new ApiError(405, "actions take POST, not " + method);
    }
    if (!List.of("resume", "cancel", "suspend", "unsuspend").contains(verb)) {
      throw new ApiError(
          404, "no action \"" + verb + "\"; actions: resume, cancel, suspend, unsuspend");
    }
    if (!actions) {
      throw new ApiError(
          403,
          "actions are disabled: this UI is read-only ("
              + target
              + "); `cairn ui --allow-actions` enables them");
    }
    if (exchange.getRequestHeaders().getFirst(ACTION_HEADER) == null) {
      throw new ApiError(
          403, "an action needs the " + ACTION_HEADER + " header (it keeps other sites out)");
    }
    client.status(id, false); // 404 for an unknown workflow, before anything is asked
    switch (verb) {
      case "resume" -> client.resume(id, List.of());
      case "cancel" -> client.cancel(id);
      case "suspend" -> client.suspend(id, true);
      default -> client.suspend(id, false);
    }
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("workflow", id);
    o.put("action", verb);
    o.put("accepted", true);
    Exchanges.json(exchange, 202, o);
  }

  // ---------------------------------------------------------------- parameters

  private static ListFilter filter(Map<String, String> q) {
    Set<WorkflowPhase> phases = new LinkedHashSet<>();
    String phase = blankToNull(q.get("phase"));
    if (phase != null) {
      for (String p : phase.split(",")) {
        phases.add(
            Arrays.stream(WorkflowPhase.values())
                .filter(v -> v.name().equalsIgnoreCase(p.trim()))
                .findFirst()
                .orElseThrow(
                    () ->
                        new ApiError(
                            400,
                            "phase \""
                                + p.trim()
                                + "\" is not a phase; one of "
                                + Arrays.toString(WorkflowPhase.values()))));
      }
    }
    Map<String, String> labels = new LinkedHashMap<>();
    String label = blankToNull(q.get("label"));
    if (label != null) {
      for (String pair : label.split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new ApiError(400, "label \"" + pair + "\" is not KEY=VALUE");
        }
        labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return new ListFilter(
        blankToNull(q.get("namespace")), phases, blankToNull(q.get("name")), labels);
  }

  private static int limit(Map<String, String> q) {
    if (!q.containsKey("limit")) {
      return DEFAULT_LIMIT;
    }
    int limit = positive(q, "limit");
    if (limit > MAX_LIMIT) {
      throw new ApiError(400, "limit " + limit + " is over " + MAX_LIMIT);
    }
    return limit;
  }

  private static int positive(Map<String, String> q, String name) {
    try {
      int n = Integer.parseInt(q.get(name));
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ApiError(
          400, name + " must be a positive whole number, got \"" + q.get(name) + "\"");
    }
  }

  private static Set<String> expand(Map<String, String> q) {
    String expand = blankToNull(q.get("expand"));
    return expand == null ? Set.of() : new TreeSet<>(Arrays.asList(expand.split(",")));
  }

  private static String workflowId(String namespace, String name) {
    String ns = namespace;
    String n = name;
    try {
      return new WorkflowId(ns, n).toString();
    } catch (RuntimeException e) {
      throw new ApiError(400, "\"" + ns + "/" + n + "\" is not a workflow id: " + e.getMessage());
    }
  }

  private static void requireGet(String method) {
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      throw new ApiError(405, "this endpoint takes GET, not " + method);
    }
  }

  /** Path segments, each decoded: a task id may hold characters a path escapes. */
  private static List<String> segments(String rawPath) {
    return Arrays.stream(rawPath.split("/"))
        .filter(s -> !s.isEmpty())
        .map(Exchanges::decode)
        .toList();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String ascii(String s) {
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
