package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.StoreException;
import dev.cairn.operator.sim.Artifacts;
import dev.cairn.operator.sim.JarRunner;
import dev.cairn.operator.sim.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store outage is shown once: one StoreUnavailable Event whose count grows (not a new Event per
 * retry) and the condition StoreAvailable=False with the error, dropped once the store is back.
 */
class StoreOutageEventsTest {
  private TestCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void anOutageIsOneCountedEventAndAConditionUntilTheStoreAnswers() throws Exception {
    Path dir = Files.createTempDirectory("cairn-outage");
    Switchable store = new Switchable(new FileSystemCheckpointStore(dir.resolve("store")));
    cluster = new TestCluster(store, dir.resolve("store").toString());
    cluster.startKubelet(dir.resolve("pods"), new JarRunner(Artifacts.runnerJar()), Map.of());
    store.down = true;
    cluster.startOperator();
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: outage}
        spec:
          tasks:
          - name: a
            command: [sh, -c, 'echo 1 > "$CAIRN_OUTPUT"']
        """);
    Workflow down =
        cluster.awaitWorkflow("outage", w -> storeCondition(w).isPresent(), Duration.ofSeconds(30));
    assertThat(storeCondition(down).get().getStatus()).isEqualTo("False");
    assertThat(storeCondition(down).get().getMessage()).contains("injected outage");

    // Three retries (5 s apart) later: still one event about it.
    Thread.sleep(11_000);
    List<Event> events = outageEvents();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getMessage()).contains("injected outage");
    assertThat(events.get(0).getCount()).isEqualTo(1); // its count is refreshed once a minute

    store.down = false;
    Workflow done = cluster.awaitPhase("outage", "Succeeded", Duration.ofSeconds(60));
    assertThat(storeCondition(done)).isEmpty();
    assertThat(outageEvents()).hasSize(1);
  }

  private static Optional<Condition> storeCondition(Workflow w) {
    return w.getStatus() == null || w.getStatus().conditions == null
        ? Optional.empty()
        : w.getStatus().conditions.stream()
            .filter(c -> "StoreAvailable".equals(c.getType()))
            .findFirst();
  }

  private List<Event> outageEvents() {
    return cluster.client().v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "StoreUnavailable".equals(e.getReason()))
        .toList();
  }

  /** A store that fails every request while {@code down}. */
  private static final class Switchable implements CheckpointStore {
    private final CheckpointStore inner;
    volatile boolean down;

    Switchable(CheckpointStore inner) {
      this.inner = inner;
    }

    private void check() {
      if (down) {
        throw new StoreException(
            StoreException.Kind.UNREACHABLE, "injected outage: connection refused");
      }
    }

    @Override
    public void put(String key, byte[] data) {
      check();
      inner.put(key, data);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
      check();
      return inner.putIfAbsent(key, data);
    }

    @Override
    public void putStream(String key, InputStream data, long size) {
      check();
      inner.putStream(key, data, size);
    }

    @Override
    public Optional<byte[]> get(String key) {
      check();
      return inner.get(key);
    }

    @Override
    public InputStream open(String key) {
      check();
      return inner.open(key);
    }

    @Override
    public boolean exists(String key) {
      check();
      return inner.exists(key);
    }

    @Override
    public List<String> list(String prefix) {
      check();
      return inner.list(prefix);
    }

    @Override
    public List<String> children(String prefix) {
      check();
      return inner.children(prefix);
    }

    @Override
    public void deletePrefix(String prefix) {
      check();
      inner.deletePrefix(prefix);
    }

    @Override
    public String describe(String key) {
      return inner.describe(key);
    }
  }
}
