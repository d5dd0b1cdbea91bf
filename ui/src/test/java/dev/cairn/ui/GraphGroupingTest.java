package dev.cairn.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.client.TaskView;
import dev.cairn.client.TaskView.TaskPhase;
import dev.cairn.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphGroupingTest {
  static TaskView task(String id, String parent, TaskPhase state, String... deps) {
    return new TaskView(id, parent, List.of(deps), state, 1, null, null, null);
  }

  /** seed -> N workers -> sum, all siblings at the top. */
  static List<TaskView> fanOut(int n) {
    List<TaskView> tasks = new ArrayList<>();
    tasks.add(task("seed", null, TaskPhase.SUCCEEDED));
    for (int i = 0; i < n; i++) {
      TaskPhase state =
          i % 10 == 0 ? TaskPhase.RUNNING : i % 7 == 0 ? TaskPhase.FAILED : TaskPhase.SUCCEEDED;
      tasks.add(task("work-" + i, null, state, "seed"));
    }
    List<String> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add("work-" + i);
    }
    tasks.add(task("sum", null, TaskPhase.PENDING, all.toArray(String[]::new)));
    return tasks;
  }

  @Test
  void twentySiblingsStayTasksAndTwentyOneBecomeOneGroupWithCounts() {
    assertThat(GraphGrouping.fold(fanOut(20), Set.of(), "sum").nodes()).hasSize(22);

    GraphGrouping.Graph g = GraphGrouping.fold(fanOut(21), Set.of(), "sum");
    assertThat(g.nodes())
        .extracting(GraphGrouping.Node::kind)
        .containsExactly("task", "group", "task");
    GraphGrouping.Node group = g.nodes().get(1);
    assertThat(group.size()).isEqualTo(21);
    assertThat(group.label()).isEqualTo("work-* (21)");
    assertThat(group.counts()).containsEntry("running", 3).containsEntry("failed", 2);
    assertThat(group.counts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(21);
    assertThat(group.state()).isEqualTo("failed");
    assertThat(g.edges()).containsExactly(List.of("seed", group.id()), List.of(group.id(), "sum"));
    assertThat(g.output()).isEqualTo("sum");
  }

  /** {@code n} tasks in a chain: c0 -> c1 -> ... */
  static List<TaskView> chain(int n) {
    List<TaskView> tasks = new ArrayList<>();
    tasks.add(task("c0", null, TaskPhase.SUCCEEDED));
    for (int i = 1; i < n; i++) {
      tasks.add(
          task("c" + i, null, i < n / 2 ? TaskPhase.SUCCEEDED : TaskPhase.PENDING, "c" + (i - 1)));
    }
    return tasks;
  }

  @Test
  void twentyLinksOfAChainStayTasksAndTwentyOneBecomeOneChainNodeThatOpens() {
    // The first and last have no upstream or no downstream: 22 tasks are 20 links.
    assertThat(GraphGrouping.fold(chain(22), Set.of(), null).nodes()).hasSize(22);

    GraphGrouping.Graph g = GraphGrouping.fold(chain(23), Set.of(), null);
    assertThat(g.nodes())
        .extracting(GraphGrouping.Node::kind)
        .containsExactly("task", "chain", "task");
    GraphGrouping.Node chain = g.nodes().get(1);
    assertThat(chain.size()).isEqualTo(21);
    assertThat(chain.label()).isEqualTo("c1 … c21 (21)");
    assertThat(chain.counts()).containsEntry("succeeded", 10).containsEntry("pending", 11);
    assertThat(chain.state()).isEqualTo("pending");
    assertThat(g.edges()).containsExactly(List.of("c0", chain.id()), List.of(chain.id(), "c22"));
    // The output task stays a node of its own, the chain before it shorter by one.
    GraphGrouping.Graph withOutput = GraphGrouping.fold(chain(23), Set.of(), "c11");
    assertThat(withOutput.nodes()).hasSize(23);

    GraphGrouping.Graph open = GraphGrouping.fold(chain(23), Set.of(chain.id()), null);
    assertThat(open.nodes()).hasSize(23);
    assertThat(open.edges()).hasSize(22);
  }

  @Test
  void anExpandedGroupShowsEveryMemberAndItsIdStaysAsTheGroupGrows() {
    String id = GraphGrouping.fold(fanOut(30), Set.of(), null).nodes().get(1).id();
    assertThat(GraphGrouping.fold(fanOut(3000), Set.of(), null).nodes().get(1).id()).isEqualTo(id);

    GraphGrouping.Graph open = GraphGrouping.fold(fanOut(30), Set.of(id), null);
    assertThat(open.nodes()).hasSize(32);
    assertThat(open.edges()).hasSize(60);
  }

  @Test
  void aContinuationFoldsItsSubTasksUntilExpandedAndManySubTasksThenGroup() {
    List<TaskView> tasks = new ArrayList<>();
    tasks.add(task("list", null, TaskPhase.SUCCEEDED));
    tasks.add(task("map", null, TaskPhase.EXPANDED, "list"));
    for (int i = 0; i < 50; i++) {
      tasks.add(task("map." + i, "map", i < 40 ? TaskPhase.SUCCEEDED : TaskPhase.RUNNING, "list"));
    }
    tasks.add(task("map.50", "map", TaskPhase.PENDING, "list"));
    tasks.add(task("map.50.inner", "map.50", TaskPhase.PENDING));
    tasks.add(task("total", null, TaskPhase.PENDING, "map"));

    GraphGrouping.Graph folded = GraphGrouping.fold(tasks, Set.of(), "total");
    assertThat(folded.nodes())
        .extracting(GraphGrouping.Node::id)
        .containsExactly("list", "map", "total");
    GraphGrouping.Node map = folded.nodes().get(1);
    assertThat(map.kind()).isEqualTo("continuation");
    assertThat(map.size()).isEqualTo(52);
    assertThat(map.counts()).containsEntry("succeeded", 40).containsEntry("running", 10);
    assertThat(folded.edges()).containsExactly(List.of("list", "map"), List.of("map", "total"));

    GraphGrouping.Graph open = GraphGrouping.fold(tasks, Set.of("map"), "total");
    assertThat(open.nodes())
        .extracting(GraphGrouping.Node::kind)
        .containsExactly("task", "continuation", "group", "task");
    GraphGrouping.Node group = open.nodes().get(2);
    assertThat(group.parent()).isEqualTo("map");
    assertThat(group.size()).isEqualTo(51);
    assertThat(group.label()).isEqualTo("* (51)");
    assertThat(open.edges()).contains(List.of("list", group.id()), List.of("map", "total"));
  }

  /** list -> a map of n elements (every 7th failed, every 10th running) -> total. */
  static List<TaskView> map(int n) {
    List<TaskView> tasks = new ArrayList<>();
    tasks.add(task("list", null, TaskPhase.SUCCEEDED));
    tasks.add(
        new TaskView("each", null, List.of("list"), TaskPhase.EXPANDED, 0, null, null, null, true));
    for (int i = 0; i < n; i++) {
      TaskPhase state =
          i % 10 == 0 ? TaskPhase.RUNNING : i % 7 == 0 ? TaskPhase.FAILED : TaskPhase.SUCCEEDED;
      tasks.add(
          new TaskView(
              "each." + i,
              "each",
              List.of("list"),
              state,
              1,
              null,
              null,
              state == TaskPhase.FAILED ? "attempt 1: boom" : null));
    }
    tasks.add(task("total", null, TaskPhase.PENDING, "each"));
    return tasks;
  }

  @Test
  void aTenThousandElementMapIsOneNodeAndOpenedShowsEachElementUngrouped() {
    GraphGrouping.Graph g = GraphGrouping.fold(map(10_000), Set.of(), "total");
    int bytes = Json.bytes(GraphJson.graph(g)).length;
    System.out.println("a 10,000-element map, folded: " + bytes + " bytes");
    assertThat(bytes).isLessThan(1024);
    assertThat(g.nodes())
        .extracting(GraphGrouping.Node::id)
        .containsExactly("list", "each", "total");
    GraphGrouping.Node map = g.nodes().get(1);
    assertThat(map.kind()).isEqualTo("map");
    assertThat(map.state()).isEqualTo("expanded");
    assertThat(map.label()).isEqualTo("each (10000)");
    assertThat(map.size()).isEqualTo(10_000);
    assertThat(map.counts())
        .containsEntry("running", 1000)
        .containsEntry("failed", 1286)
        .containsEntry("succeeded", 7714);
    assertThat(map.message()).isEqualTo("each.7: attempt 1: boom");
    assertThat(g.edges()).containsExactly(List.of("list", "each"), List.of("each", "total"));

    GraphGrouping.Graph open = GraphGrouping.fold(map(10_000), Set.of("each"), "total");
    assertThat(open.nodes()).hasSize(10_003);
    assertThat(open.nodes()).noneMatch(n -> n.kind().equals("group"));
    assertThat(open.nodes().get(1).kind()).isEqualTo("map");
    assertThat(open.nodes().get(1).counts()).isEqualTo(map.counts());
    assertThat(open.nodes().get(2).parent()).isEqualTo("each");
    assertThat(open.nodes().get(2).label()).isEqualTo("0");
  }

  @Test
  void aTenThousandTaskFanOutFoldsIntoAFewHundredBytes() {
    GraphGrouping.Graph g = GraphGrouping.fold(fanOut(10_000), Set.of(), "sum");
    int bytes = Json.bytes(GraphJson.graph(g)).length;
    System.out.println(
        "graph of a 10,000-task fan-out, folded: "
            + g.nodes().size()
            + " nodes, "
            + bytes
            + " bytes");
    assertThat(g.nodes()).hasSize(3);
    assertThat(bytes).isLessThan(2048);
  }
}
