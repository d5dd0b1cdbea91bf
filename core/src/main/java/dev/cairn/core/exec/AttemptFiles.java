package dev.cairn.core.exec;

import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.StoreException;
import dev.cairn.core.store.StoreLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of a local attempt: the artifacts of the upstream tasks it receives, and the artifacts
 * it writes, stored with the attempt under the same keys a task pod uses.
 *
 * @param store where artifacts live
 * @param upstream upstream task id -> key prefix of its committed attempt's artifacts
 * @param own key prefix under which this attempt's artifacts are stored
 */
public record AttemptFiles(CheckpointStore store, Map<String, String> upstream, String own) {

  /** Copies every upstream task's artifacts into {@code dir/<task>/}. */
  public void fetchUpstream(Path dir) {
    for (Map.Entry<String, String> entry : upstream.entrySet()) {
      String prefix = entry.getValue();
      Path taskDir = dir.resolve(StoreLayout.taskDirectory(entry.getKey())).normalize();
      for (String key : store.list(prefix)) {
        Path target = taskDir.resolve(key.substring(prefix.length())).normalize();
        if (!target.startsWith(taskDir)) {
          throw new StoreException(
              StoreException.Kind.CORRUPT, "artifact key " + key + " escapes " + taskDir);
        }
        try (InputStream in = store.open(key)) {
          Files.createDirectories(target.getParent());
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot copy artifact " + key + " to " + target, e);
        }
      }
    }
  }

  /** Stores every file under {@code dir}; returns how many. */
  public int storeOwn(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list artifacts under " + dir, e);
    }
    for (Path file : files) {
      String relative = dir.relativize(file).toString().replace('\\', '/');
      store.putFile(own + relative, file);
    }
    return files.size();
  }
}
