package dev.cairn.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Durable key -> bytes storage with atomic writes. Keys are '/'-separated paths of the layout in
 * docs/storage.md ({@link StoreLayout}); a reader never sees a partial object. Implementations: the
 * filesystem (local runs) and S3-compatible object storage (clusters).
 */
public interface CheckpointStore extends AutoCloseable {
  /** Writes {@code data} under {@code key}, replacing what was there, atomically. */
  void put(String key, byte[] data);

  /**
   * Writes {@code data} under {@code key} only if nothing is there. Returns false, writing nothing,
   * if the key exists: the first writer wins. Commit records rely on this.
   */
  boolean putIfAbsent(String key, byte[] data);

  /** Streams {@code data} in without holding it whole in memory; {@code size} -1 if unknown. */
  void putStream(String key, InputStream data, long size);

  /**
   * Stores a file's content under {@code key}, streaming it. Stores that can read a file part by
   * part (S3) do so, and may retry, since a file can be read again.
   */
  default void putFile(String key, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      putStream(key, in, Files.size(file));
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.IO, "cannot read " + file + ": " + e, e);
    }
  }

  Optional<byte[]> get(String key);

  /**
   * Copies what {@code from} holds to {@code to}, replacing it, atomically; returns false, writing
   * nothing, when {@code from} does not exist. Stores that can copy without the bytes passing
   * through this process (S3's CopyObject) do so.
   */
  default boolean copy(String from, String to) {
    Optional<byte[]> data = get(from);
    data.ifPresent(bytes -> put(to, bytes));
    return data.isPresent();
  }

  /** Streams an object out. Throws a NOT_FOUND StoreException when it is absent. */
  InputStream open(String key);

  boolean exists(String key);

  /** Every key under {@code prefix} (which ends with '/'), at any depth, sorted. */
  List<String> list(String prefix);

  /**
   * Every key under {@code prefix} (which ends with '/'), at any depth, with its size in bytes,
   * sorted by key. Stores that learn sizes from their listing (S3) or from file metadata answer
   * without reading the objects; this default reads each one.
   */
  default java.util.SortedMap<String, Long> sizes(String prefix) {
    java.util.SortedMap<String, Long> sizes = new java.util.TreeMap<>();
    for (String key : list(prefix)) {
      get(key).ifPresent(bytes -> sizes.put(key, (long) bytes.length));
    }
    return sizes;
  }

  /** The names directly under {@code prefix} (which ends with '/' or is empty), sorted. */
  List<String> children(String prefix);

  /** Removes every key under {@code prefix}. */
  void deletePrefix(String prefix);

  /**
   * Removes what interrupted writes left under {@code prefix}; only for a caller that holds that
   * prefix alone (a session of the workflow). Stores whose writes leave nothing behind do nothing.
   */
  default void removeTemporaries(String prefix) {}

  /** Where a key lives, for people: a path or an s3:// URI. */
  String describe(String key);

  @Override
  default void close() {}
}
