package dev.cairn.runner;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** Writes local files whole or not at all: a reader never sees a half-written input or output. */
final class LocalFiles {
  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private LocalFiles() {}

  static void writeAtomically(Path target, Writer writer) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve(".tmp-" + UUID.randomUUID());
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        writer.write(out);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
