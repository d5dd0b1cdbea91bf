package dev.cairn.runner;

import dev.cairn.core.store.CheckpointStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stores every file under {@code CAIRN_ARTIFACTS} under the attempt's artifacts prefix. */
final class ArtifactUpload {
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactUpload.class);

  private ArtifactUpload() {}

  /** Returns the number of files stored. */
  static int upload(Path dir, CheckpointStore store, String prefix, StoreRetry retry)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      String relative = dir.relativize(file).toString().replace('\\', '/');
      String key = prefix + relative;
      // Files are read again on a retry: putFile streams from disk, part by part.
      retry.run("upload " + file, () -> store.putFile(key, file));
      LOG.debug("artifact stored file={} key={}", file, store.describe(key));
    }
    return files.size();
  }
}
