package dev.cairn.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.store.FileSystemCheckpointStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreProgressTest {
  @TempDir Path root;

  @Test
  void countsCommitsAndTimesTheNextOne() throws Exception {
    var store = new FileSystemCheckpointStore(root);
    var progress = new StoreProgress(store, () -> true);
    store.put("default/a/commits/t@d1.json", bytes("{}"));
    store.put("default/a/commits/t@d1.resolved.json", bytes("{}"));
    store.put("default/a/tasks/t/d1/attempts/1/result.json", bytes("{}"));
    assertThat(progress.commits()).isEqualTo(1);

    Thread writer =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                return;
              }
              store.put("default/b/commits/u@d2.json", bytes("{}"));
            });
    writer.start();
    Double ms = progress.millisUntilCommitBeyond(1, Duration.ofSeconds(10));
    writer.join();
    assertThat(ms).isNotNull().isBetween(200.0, 9_000.0);
  }

  @Test
  void stopsWaitingWhenNoWorkflowIsLeftToCommit() throws Exception {
    var running = new AtomicBoolean(true);
    var progress = new StoreProgress(new FileSystemCheckpointStore(root), running::get);
    running.set(false);
    long start = System.nanoTime();
    Double ms = progress.millisUntilCommitBeyond(0, Duration.ofMinutes(5));
    assertThat(ms).isNaN();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
