package dev.cairn.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.StoreException;
import dev.cairn.core.task.ClassLoaderFunctionCatalog;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** While the store cannot take commits, no new attempt starts: an outage repeats no task. */
public class StoreOutageTest {
  private static final Map<Integer, AtomicInteger> RUNS = new ConcurrentHashMap<>();
  private static final AtomicInteger STARTED = new AtomicInteger();
  @TempDir Path dir;

  public static int work(int i) throws InterruptedException {
    STARTED.incrementAndGet();
    RUNS.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
    Thread.sleep(20);
    return i;
  }

  public static int done() {
    return 0;
  }

  @Test
  void noAttemptStartsWhileCommitsCannotBeWritten() throws Exception {
    StringBuilder yaml =
        new StringBuilder("metadata: {name: fan}\nspec:\n  output: sink\n  tasks:\n");
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      yaml.append("  - {name: t")
          .append(i)
          .append(", function: ")
          .append(StoreOutageTest.class.getName())
          .append("#work, args: [")
          .append(i)
          .append("]}\n");
      all.append(i == 0 ? "" : ", ").append("t").append(i);
    }
    yaml.append("  - {name: sink, function: ")
        .append(StoreOutageTest.class.getName())
        .append("#done, dependsOn: [")
        .append(all)
        .append("]}\n");
    ClassLoader loader = getClass().getClassLoader();
    WorkflowDefinition definition =
        WorkflowDefinition.compile(
            WorkflowParser.parse(yaml.toString(), "fan.yaml"),
            Map.of(),
            new ClassLoaderFunctionCatalog(loader));
    FlakyStore store = new FlakyStore(new FileSystemCheckpointStore(dir.resolve("store")));
    store.commitsDown = true;
    List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    // How many attempts had started when the engine knew of the outage (it says so as it learns).
    AtomicInteger startedWhenKnown = new AtomicInteger(-1);
    RunListener listener =
        new RunListener() {
          @Override
          public void warning(String message) {
            if (message.contains("no new task starts meanwhile")) {
              startedWhenKnown.compareAndSet(-1, STARTED.get());
            }
            warnings.add(message);
          }
        };
    try (LocalExecutor executor =
        new LocalExecutor(new ResourceSlots(2000, 1L << 40, 0), loader, dir.resolve("work"))) {
      LocalEngine engine = new LocalEngine(store, executor, listener, Duration.ofMinutes(1));
      CompletableFuture<RunOutcome> run =
          CompletableFuture.supplyAsync(() -> engine.run(definition));

      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> startedWhenKnown.get() >= 0 || run.isDone());
      assertThat(run).as("the run waits out the outage").isNotDone();
      assertThat(store.refusedCommits.get()).isPositive();
      int known = startedWhenKnown.get();
      // Once the engine knows, at most the attempts it had already handed out start (2 CPUs);
      // how many started before it knew depends on the machine's load, not on the engine.
      Awaitility.await()
          .during(1500, TimeUnit.MILLISECONDS)
          .atMost(5, TimeUnit.SECONDS)
          .until(() -> STARTED.get() <= known + 2);
      assertThat(STARTED.get()).as("the outage stopped the fan-out").isLessThan(40);

      store.commitsDown = false;
      RunOutcome outcome = run.get(60, TimeUnit.SECONDS);
      assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Succeeded);
      assertThat(RUNS).hasSize(40);
      assertThat(RUNS.values()).allMatch(count -> count.get() == 1);
      assertThat(warnings).anyMatch(w -> w.contains("the store is back"));
    }
  }

  /** A store whose commit writes fail as unreachable while {@code commitsDown}. */
  private static final class FlakyStore implements CheckpointStore {
    private final CheckpointStore inner;
    volatile boolean commitsDown;
    final AtomicInteger refusedCommits = new AtomicInteger();

    FlakyStore(CheckpointStore inner) {
      this.inner = inner;
    }

    @Override
    public void put(String key, byte[] data) {
      inner.put(key, data);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
      if (commitsDown && key.contains("/commits/")) {
        refusedCommits.incrementAndGet();
        throw new StoreException(StoreException.Kind.UNREACHABLE, "connection refused");
      }
      return inner.putIfAbsent(key, data);
    }

    @Override
    public void putStream(String key, InputStream data, long size) {
      inner.putStream(key, data, size);
    }

    @Override
    public Optional<byte[]> get(String key) {
      return inner.get(key);
    }

    @Override
    public InputStream open(String key) {
      return inner.open(key);
    }

    @Override
    public boolean exists(String key) {
      return inner.exists(key);
    }

    @Override
    public List<String> list(String prefix) {
      return inner.list(prefix);
    }

    @Override
    public List<String> children(String prefix) {
      return inner.children(prefix);
    }

    @Override
    public void deletePrefix(String prefix) {
      inner.deletePrefix(prefix);
    }

    @Override
    public String describe(String key) {
      return inner.describe(key);
    }
  }
}
