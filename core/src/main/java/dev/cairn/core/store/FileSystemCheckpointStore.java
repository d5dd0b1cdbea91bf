package dev.cairn.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The store of local runs: one file per key under a root directory. Every write goes to a temporary
 * file in the same directory, is fsync'd, then renamed (or hard-linked, for create-if-absent) into
 * place, and the directory is fsync'd: a crash leaves the old file or the new one, never a partial
 * one.
 */
public final class FileSystemCheckpointStore implements CheckpointStore {
  private static final String TEMP_PREFIX = ".tmp-";
  private final Path root;

  public FileSystemCheckpointStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  @Override
  public void put(String key, byte[] data) {
    Path target = path(key);
    Path temp = writeTemp(target, out -> out.write(data));
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(target.getParent());
    } catch (AtomicMoveNotSupportedException e) {
      throw new StoreException(
          StoreException.Kind.REFUSED, "atomic rename unsupported under " + root, e);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw io("write", key, e);
    }
  }

  @Override
  public boolean copy(String from, String to) {
    Path source = path(from);
    if (!Files.isRegularFile(source)) {
      return false;
    }
    putFile(to, source);
    return true;
  }

  @Override
  public boolean putIfAbsent(String key, byte[] data) {
    Path target = path(key);
    if (Files.exists(target)) {
      return false;
    }
    Path temp = writeTemp(target, out -> out.write(data));
    try {
      Files.createLink(target, temp);
      syncDirectory(target.getParent());
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw io("write", key, e);
    } finally {
      deleteQuietly(temp);
    }
  }

  @Override
  public void putStream(String key, InputStream data, long size) {
    Path target = path(key);
    Path temp = writeTemp(target, out -> copy(data, out));
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(target.getParent());
    } catch (IOException e) {
      deleteQuietly(temp);
      throw io("write", key, e);
    }
  }

  @Override
  public Optional<byte[]> get(String key) {
    try {
      return Optional.of(Files.readAllBytes(path(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw io("read", key, e);
    }
  }

  @Override
  public InputStream open(String key) {
    try {
      return Files.newInputStream(path(key));
    } catch (NoSuchFileException e) {
      throw new StoreException(StoreException.Kind.NOT_FOUND, "no object " + describe(key), e);
    } catch (IOException e) {
      throw io("read", key, e);
    }
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(path(key));
  }

  @Override
  public List<String> list(String prefix) {
    Path dir = path(prefix);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith(TEMP_PREFIX))
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw io("list", prefix, e);
    }
  }

  @Override
  public java.util.SortedMap<String, Long> sizes(String prefix) {
    java.util.SortedMap<String, Long> sizes = new java.util.TreeMap<>();
    for (String key : list(prefix)) {
      try {
        sizes.put(key, Files.size(path(key)));
      } catch (NoSuchFileException e) {
        // Removed since the listing (a prefix deleted meanwhile): not there any more.
      } catch (IOException e) {
        throw io("read the size of", key, e);
      }
    }
    return sizes;
  }

  @Override
  public List<String> children(String prefix) {
    Path dir = prefix.isEmpty() ? root : path(prefix);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(TEMP_PREFIX))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw io("list", prefix, e);
    }
  }

  @Override
  public void deletePrefix(String prefix) {
    Path dir = path(prefix);
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(files.toList());
      all.sort(Comparator.reverseOrder());
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw io("delete", prefix, e);
    }
  }

  @Override
  public void removeTemporaries(String prefix) {
    Path dir = path(prefix);
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p :
          files.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw io("clean", prefix, e);
    }
  }

  @Override
  public String describe(String key) {
    return path(key).toString();
  }

  private Path path(String key) {
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("key escapes the store root: " + key);
    }
    return p;
  }

  /** The data a writer streams in failed, not the store: its writer can reopen it and retry. */
  private static final class SourceFailure extends IOException {
    SourceFailure(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private static void copy(InputStream data, OutputStream out) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    while (true) {
      int n;
      try {
        n = data.read(buffer);
      } catch (IOException e) {
        throw new SourceFailure(e);
      }
      if (n < 0) {
        return;
      }
      out.write(buffer, 0, n);
    }
  }

  private interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private Path writeTemp(Path target, Writer writer) {
    Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID());
    try {
      ensureDirectory(target.getParent());
      try (FileChannel channel =
              FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
        writer.write(out);
        out.flush();
        channel.force(true);
      }
      return temp;
    } catch (IOException e) {
      deleteQuietly(temp);
      throw io("write", root.relativize(target).toString(), e);
    }
  }

  /**
   * Creates a directory and any missing parents, fsync'ing each parent that gained an entry: a
   * record is durable only if every directory on its path is.
   */
  private void ensureDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    ensureDirectory(dir.getParent());
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      return;
    }
    syncDirectory(dir.getParent());
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // A stray temporary file is skipped by every reader.
    }
  }

  /**
   * Errors a local filesystem can recover from by itself (a network filesystem's hiccup, a
   * momentary shortage); every other error (read-only, disk full, not a directory, no permission, a
   * path under /proc) fails at once with its reason instead of looking like a hang.
   */
  private static final List<String> TRANSIENT =
      List.of(
          "Resource temporarily unavailable",
          "Stale file handle",
          "Connection timed out",
          "Input/output error",
          "Too many open files",
          "Interrupted system call");

  private StoreException io(String what, String key, IOException e) {
    String text = String.valueOf(e.getMessage()) + " " + e;
    boolean transientError =
        e instanceof SourceFailure || TRANSIENT.stream().anyMatch(text::contains);
    return new StoreException(
        transientError ? StoreException.Kind.IO : StoreException.Kind.REFUSED,
        "cannot " + what + " " + describe(key) + ": " + e,
        e);
  }
}
