package dev.cairn.cli;

import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.FileSystemCheckpointStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where checkpoints live. The embedded default is a per-user directory, so {@code cairn run} works
 * with no set-up and a later command finds what an earlier one stored.
 */
final class StoreOptions {
  @Option(
      names = "--store",
      paramLabel = "DIR|URI",
      description =
          "Checkpoint store: a directory or s3://bucket/prefix (default: $CAIRN_STORE or"
              + " ~/.cairn/store).")
  String store;

  String location() {
    if (store != null) {
      return store;
    }
    String env = System.getenv("CAIRN_STORE");
    if (env != null && !env.isBlank()) {
      return env;
    }
    return Path.of(System.getProperty("user.home"), ".cairn", "store").toString();
  }

  CheckpointStore open() {
    String location = location();
    if (location.startsWith("s3://")) {
      throw new Errors.UsageException("s3:// stores are not available in this build");
    }
    return new FileSystemCheckpointStore(Path.of(location.replaceFirst("^file://", "")));
  }

  /** Scratch space of command tasks (inputs, outputs, logs), beside a local store. */
  Path workDirectory() {
    String location = location();
    if (location.startsWith("s3://")) {
      return Path.of(System.getProperty("user.home"), ".cairn", "work");
    }
    Path storeDir = Path.of(location.replaceFirst("^file://", "")).toAbsolutePath().normalize();
    return storeDir.resolveSibling(storeDir.getFileName() + "-work");
  }
}
