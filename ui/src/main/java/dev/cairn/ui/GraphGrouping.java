package dev.cairn.ui;

import dev.cairn.client.TaskView;
import dev.cairn.client.TaskView.TaskPhase;
import dev.cairn.core.json.Digests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Folds a run's tasks into the graph a browser can draw at any size. Two folds, each undone on
 * demand by naming the node in {@code expand}:
 *
 * <ul>
 *   <li>a task whose continuation created sub-tasks is one {@code continuation} node holding all of
 *       them (and their own sub-tasks);
 *   <li>a forEach map is one {@code map} node holding its elements; opened, it still shows their
 *       counts, and its elements are shown one by one (the map node is their group);
 *   <li>more than {@link #GROUP_THRESHOLD} siblings with the same parent and the same dependencies
 *       (a fan-out) are one {@code group} node with per-state counts;
 *   <li>a run of more than {@link #CHAIN_THRESHOLD} tasks, each with one node upstream and one
 *       downstream (a deep chain), is one {@code chain} node with per-state counts.
 * </ul>
 *
 * A group's id is made of its parent and dependencies, so it stays the same while the group grows.
 * Edges join whatever node stands for each end, once each.
 */
final class GraphGrouping {
  /** Siblings beyond this many become a group. */
  static final int GROUP_THRESHOLD = 20;

  /** Runs of single-in, single-out tasks longer than this become a chain. */
  static final int CHAIN_THRESHOLD = 20;

  /** An opened chain longer than this is shown as this many shorter chains. */
  static final int CHAIN_PIECES = 100;

  private GraphGrouping() {}

  /** A node of the folded graph. {@code counts} and {@code size} are set on groups and folds. */
  record Node(
      String id,
      String kind,
      String label,
      String state,
      int attempts,
      Instant startedAt,
      Instant finishedAt,
      String message,
      String parent,
      Map<String, Integer> counts,
      int size) {}

  record Graph(List<Node> nodes, List<List<String>> edges, String output) {}

  static Graph fold(List<TaskView> tasks, Set<String> expand, String output) {
    Map<String, TaskView> byId = new LinkedHashMap<>();
    tasks.forEach(t -> byId.put(t.id(), t));
    Set<String> parents = new HashSet<>();
    tasks.forEach(
        t -> {
          if (t.parent() != null) {
            parents.add(t.parent());
          }
        });
    // Siblings by parent and dependencies.
    Map<String, List<TaskView>> siblings = new LinkedHashMap<>();
    for (TaskView t : tasks) {
      TaskView parent = t.parent() == null ? null : byId.get(t.parent());
      if (parent != null && parent.map()) {
        continue; // a map's elements: the map node is their group
      }
      siblings.computeIfAbsent(siblingKey(t), k -> new ArrayList<>()).add(t);
    }
    Map<String, String> groupOf = new HashMap<>();
    Map<String, List<TaskView>> groups = new LinkedHashMap<>();
    for (Map.Entry<String, List<TaskView>> e : siblings.entrySet()) {
      if (e.getValue().size() > GROUP_THRESHOLD) {
        String id = "group:" + Digests.sha256Hex(e.getKey()).substring(0, 12);
        if (!expand.contains(id)) {
          groups.put(id, e.getValue());
          e.getValue().forEach(t -> groupOf.put(t.id(), id));
        }
      }
    }
    // What stands for each task: the outermost folded thing above it, or itself.
    Map<String, String> shownAs = new HashMap<>();
    for (TaskView t : tasks) {
      shownAs.put(t.id(), representative(t, byId, parents, groupOf, expand));
    }
    Map<String, List<TaskView>> folded = new LinkedHashMap<>();
    List<Node> nodes = new ArrayList<>();
    Set<String> emittedGroups = new HashSet<>();
    for (TaskView t : tasks) {
      String rep = shownAs.get(t.id());
      if (rep.equals(t.id())) {
        boolean continuation = parents.contains(t.id());
        nodes.add(
            new Node(
                t.id(),
                t.map() ? "map" : continuation ? "continuation" : "task",
                label(t.id(), t.parent()),
                state(t.state()),
                t.attempts(),
                t.startedAt(),
                t.finishedAt(),
                t.message(),
                t.parent(),
                null,
                0));
      } else if (groups.containsKey(rep)) {
        if (emittedGroups.add(rep)) {
          // Where the group's first member is; filled once every member is known.
          nodes.add(new Node(rep, "group", null, null, 0, null, null, null, null, null, 0));
        }
      } else {
        folded.computeIfAbsent(rep, k -> new ArrayList<>()).add(t);
      }
    }
    // Fill group placeholders in order, counts of maps and of folded continuations.
    List<Node> out = new ArrayList<>(nodes.size());
    for (Node n : nodes) {
      if (n.kind().equals("group")) {
        out.add(groupNode(n.id(), groups.get(n.id())));
      } else if (n.kind().equals("map")) {
        out.add(mapNode(n, byId, descendants(n.id(), tasks, byId)));
      } else if (n.kind().equals("continuation") && folded.containsKey(n.id())) {
        List<TaskView> inside = folded.get(n.id());
        out.add(
            new Node(
                n.id(),
                n.kind(),
                n.label(),
                n.state(),
                n.attempts(),
                n.startedAt(),
                n.finishedAt(),
                n.message(),
                n.parent(),
                counts(inside),
                inside.size()));
      } else {
        out.add(n);
      }
    }
    Set<List<String>> edges = new LinkedHashSet<>();
    for (TaskView t : tasks) {
      String to = shownAs.get(t.id());
      for (String dep : t.dependencies()) {
        String from = shownAs.getOrDefault(dep, dep);
        if (!from.equals(to) && shownAs.containsKey(dep)) {
          edges.add(List.of(from, to));
        }
      }
    }
    return foldChains(new Graph(out, new ArrayList<>(edges), output), expand);
  }

  /**
   * Folds every run of more than {@link #CHAIN_THRESHOLD} plain tasks that each have one upstream
   * and one downstream node (with the same parent, not the output task) into one {@code chain}
   * node: a deep chain would otherwise be as many nodes as tasks, and too deep for a layout. Its id
   * is made of its first task's, so it stays the same while the run goes on.
   */
  static Graph foldChains(Graph graph, Set<String> expand) {
    Map<String, List<String>> in = new HashMap<>();
    Map<String, List<String>> out = new HashMap<>();
    for (List<String> e : graph.edges()) {
      out.computeIfAbsent(e.get(0), k -> new ArrayList<>(1)).add(e.get(1));
      in.computeIfAbsent(e.get(1), k -> new ArrayList<>(1)).add(e.get(0));
    }
    Map<String, Node> byId = new HashMap<>();
    graph.nodes().forEach(n -> byId.put(n.id(), n));
    java.util.function.Predicate<Node> link =
        n ->
            n != null
                && n.kind().equals("task")
                && !n.id().equals(graph.output())
                && in.getOrDefault(n.id(), List.of()).size() == 1
                && out.getOrDefault(n.id(), List.of()).size() == 1;
    Map<String, String> chainOf = new HashMap<>();
    Map<String, List<Node>> chains = new LinkedHashMap<>();
    for (Node n : graph.nodes()) {
      if (!link.test(n)) {
        continue;
      }
      Node before = byId.get(in.get(n.id()).get(0));
      if (link.test(before) && java.util.Objects.equals(before.parent(), n.parent())) {
        continue; // not the first of its run
      }
      List<Node> run = new ArrayList<>();
      for (Node at = n;
          link.test(at) && java.util.Objects.equals(at.parent(), n.parent());
          at = byId.get(out.get(at.id()).get(0))) {
        run.add(at);
      }
      if (run.size() > CHAIN_THRESHOLD) {
        chain("chain:" + Digests.sha256Hex(n.id()).substring(0, 12), run, expand, chains, chainOf);
      }
    }
    if (chains.isEmpty()) {
      return graph;
    }
    List<Node> nodes = new ArrayList<>();
    for (Node n : graph.nodes()) {
      String chain = chainOf.get(n.id());
      if (chain == null) {
        nodes.add(n);
      } else if (chains.get(chain).get(0) == n) {
        nodes.add(chainNode(chain, chains.get(chain)));
      }
    }
    Set<List<String>> edges = new LinkedHashSet<>();
    for (List<String> e : graph.edges()) {
      String from = chainOf.getOrDefault(e.get(0), e.get(0));
      String to = chainOf.getOrDefault(e.get(1), e.get(1));
      if (!from.equals(to)) {
        edges.add(List.of(from, to));
      }
    }
    return new Graph(nodes, new ArrayList<>(edges), graph.output());
  }

  /**
   * A chain folded, or opened: up to {@link #CHAIN_PIECES} tasks are shown one by one; a longer one
   * is shown as {@link #CHAIN_PIECES} chains (its id, a colon and their place), each opened the
   * same way, so that opening a chain of any length gives a graph that can still be laid out.
   */
  private static void chain(
      String id,
      List<Node> run,
      Set<String> expand,
      Map<String, List<Node>> chains,
      Map<String, String> chainOf) {
    if (!expand.contains(id)) {
      chains.put(id, run);
      run.forEach(m -> chainOf.put(m.id(), id));
      return;
    }
    if (run.size() <= CHAIN_PIECES) {
      return;
    }
    int size = Math.max(CHAIN_THRESHOLD + 1, (run.size() + CHAIN_PIECES - 1) / CHAIN_PIECES);
    for (int i = 0; i * size < run.size(); i++) {
      List<Node> piece = run.subList(i * size, Math.min(run.size(), (i + 1) * size));
      if (piece.size() > CHAIN_THRESHOLD) {
        chain(id + ":" + i, piece, expand, chains, chainOf);
      }
    }
  }

  private static Node chainNode(String id, List<Node> members) {
    Instant started = null;
    Instant finished = null;
    boolean allEnded = true;
    int attempts = 0;
    String message = null;
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Node m : members) {
      if (m.startedAt() != null && (started == null || m.startedAt().isBefore(started))) {
        started = m.startedAt();
      }
      if (m.finishedAt() == null) {
        allEnded = false;
      } else if (finished == null || m.finishedAt().isAfter(finished)) {
        finished = m.finishedAt();
      }
      attempts += m.attempts();
      if (message == null && "failed".equals(m.state()) && m.message() != null) {
        message = m.id() + ": " + m.message();
      }
      counts.merge(m.state(), 1, Integer::sum);
    }
    Node first = members.get(0);
    Node last = members.get(members.size() - 1);
    return new Node(
        id,
        "chain",
        first.label() + " … " + last.label() + " (" + members.size() + ")",
        dominant(counts),
        attempts,
        started,
        allEnded ? finished : null,
        message,
        first.parent(),
        counts,
        members.size());
  }

  /**
   * Walking down from the task's outermost ancestor: the first ancestor in a folded group stands
   * for it as that group, the first folded continuation as itself; else the task stands for itself.
   */
  private static String representative(
      TaskView t,
      Map<String, TaskView> byId,
      Set<String> parents,
      Map<String, String> groupOf,
      Set<String> expand) {
    List<String> chain = new ArrayList<>();
    for (String at = t.id(); at != null; ) {
      chain.add(0, at);
      TaskView v = byId.get(at);
      at = v == null ? null : v.parent();
    }
    for (String id : chain) {
      String group = groupOf.get(id);
      if (group != null) {
        return group;
      }
      if (!id.equals(t.id()) && parents.contains(id) && !expand.contains(id)) {
        return id;
      }
    }
    return t.id();
  }

  /** Every task below {@code id}: a map's elements and what their continuations created. */
  private static List<TaskView> descendants(
      String id, List<TaskView> tasks, Map<String, TaskView> byId) {
    List<TaskView> inside = new ArrayList<>();
    for (TaskView t : tasks) {
      for (String at = t.parent(); at != null; ) {
        if (at.equals(id)) {
          inside.add(t);
          break;
        }
        TaskView v = byId.get(at);
        at = v == null ? null : v.parent();
      }
    }
    return inside;
  }

  /**
   * A map, folded or not: its own state and message (else its first failed element's), the span of
   * its elements' times, and what is inside counted per state.
   */
  private static Node mapNode(Node n, Map<String, TaskView> byId, List<TaskView> inside) {
    Instant started = null;
    Instant finished = null;
    String message = n.message();
    for (TaskView m : inside) {
      if (m.startedAt() != null && (started == null || m.startedAt().isBefore(started))) {
        started = m.startedAt();
      }
      if (m.finishedAt() != null && (finished == null || m.finishedAt().isAfter(finished))) {
        finished = m.finishedAt();
      }
      if (message == null
          && (m.state() == TaskPhase.FAILED || m.state() == TaskPhase.CAUGHT)
          && m.message() != null) {
        message = m.id() + ": " + m.message();
      }
    }
    TaskPhase own = byId.get(n.id()).state();
    boolean settled =
        own != TaskPhase.PENDING && own != TaskPhase.RUNNING && own != TaskPhase.EXPANDED;
    return new Node(
        n.id(),
        "map",
        n.label() + " (" + inside.size() + ")",
        n.state(),
        n.attempts(),
        n.startedAt() != null ? n.startedAt() : started,
        n.finishedAt() != null ? n.finishedAt() : settled ? finished : null,
        message,
        n.parent(),
        counts(inside),
        inside.size());
  }

  private static Node groupNode(String id, List<TaskView> members) {
    TaskView first = members.get(0);
    Instant started = null;
    Instant finished = null;
    boolean allEnded = true;
    int attempts = 0;
    String message = null;
    for (TaskView m : members) {
      if (m.startedAt() != null && (started == null || m.startedAt().isBefore(started))) {
        started = m.startedAt();
      }
      if (m.finishedAt() == null) {
        allEnded = false;
      } else if (finished == null || m.finishedAt().isAfter(finished)) {
        finished = m.finishedAt();
      }
      attempts += m.attempts();
      if (message == null && m.state() == TaskPhase.FAILED) {
        message = m.id() + ": " + m.message();
      }
    }
    Map<String, Integer> counts = counts(members);
    return new Node(
        id,
        "group",
        prefixLabel(members) + " (" + members.size() + ")",
        dominant(counts),
        attempts,
        started,
        allEnded ? finished : null,
        message,
        first.parent(),
        counts,
        members.size());
  }

  private static Map<String, Integer> counts(List<TaskView> members) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (TaskView m : members) {
      counts.merge(state(m.state()), 1, Integer::sum);
    }
    return counts;
  }

  /** The state a group shows: failures first, then work in progress, then what is left. */
  private static String dominant(Map<String, Integer> counts) {
    for (String s :
        List.of("failed", "running", "expanded", "pending", "caught", "succeeded", "reused")) {
      if (counts.containsKey(s)) {
        return s;
      }
    }
    return "skipped";
  }

  private static String siblingKey(TaskView t) {
    return (t.parent() == null ? "" : t.parent()) + "\n" + String.join("\n", t.dependencies());
  }

  /** The members' common id prefix without their parent's scope, and a star. */
  private static String prefixLabel(List<TaskView> members) {
    String prefix = members.get(0).id();
    for (TaskView m : members) {
      int i = 0;
      while (i < prefix.length() && i < m.id().length() && prefix.charAt(i) == m.id().charAt(i)) {
        i++;
      }
      prefix = prefix.substring(0, i);
    }
    return label(prefix, members.get(0).parent()) + "*";
  }

  private static String label(String id, String parent) {
    return parent != null && id.startsWith(parent + ".") ? id.substring(parent.length() + 1) : id;
  }

  static String state(TaskPhase phase) {
    return phase.name().toLowerCase(Locale.ROOT);
  }
}
