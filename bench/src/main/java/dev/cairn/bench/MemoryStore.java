package dev.cairn.bench;

import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A store in memory, for the operator benchmarks: they measure the operator's CPU, API requests and
 * heap, which a disk's fsync latency would only blur (the stores' own cost is measured by the
 * storage figures). It remembers when each commit record was created, for the commit-to-pod
 * latency.
 */
final class MemoryStore implements CheckpointStore {
  private final ConcurrentSkipListMap<String, byte[]> data = new ConcurrentSkipListMap<>();

  /** Commit keys ({@code .../commits/TASK@DIGEST.json}) -> System.nanoTime() of their creation. */
  final Map<String, Long> commitTimes = new ConcurrentHashMap<>();

  @Override
  public void put(String key, byte[] bytes) {
    data.put(key, bytes.clone());
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes) {
    boolean created = data.putIfAbsent(key, bytes.clone()) == null;
    if (created && key.contains("/commits/")) {
      commitTimes.put(key, System.nanoTime());
    }
    return created;
  }

  @Override
  public void putStream(String key, InputStream in, long size) {
    try {
      data.put(key, in.readAllBytes());
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.IO, "cannot read the stream for " + key, e);
    }
  }

  @Override
  public Optional<byte[]> get(String key) {
    return Optional.ofNullable(data.get(key));
  }

  @Override
  public InputStream open(String key) {
    byte[] bytes = data.get(key);
    if (bytes == null) {
      throw new StoreException(StoreException.Kind.NOT_FOUND, key + " not found", null);
    }
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public boolean exists(String key) {
    return data.containsKey(key);
  }

  @Override
  public List<String> list(String prefix) {
    return new ArrayList<>(data.subMap(prefix, prefix + Character.MAX_VALUE).keySet());
  }

  @Override
  public List<String> children(String prefix) {
    TreeSet<String> names = new TreeSet<>();
    for (String key : data.subMap(prefix, prefix + Character.MAX_VALUE).keySet()) {
      String rest = key.substring(prefix.length());
      int slash = rest.indexOf('/');
      names.add(slash < 0 ? rest : rest.substring(0, slash));
    }
    return new ArrayList<>(names);
  }

  @Override
  public void deletePrefix(String prefix) {
    data.remove(prefix);
    data.subMap(prefix + "/", prefix + "/" + Character.MAX_VALUE).clear();
  }

  @Override
  public String describe(String key) {
    return "memory:" + key;
  }

  /** The task id of a commit key, {@code NAMESPACE/NAME/commits/TASK@DIGEST.json}. */
  static String taskOfCommit(String key) {
    String file = key.substring(key.lastIndexOf('/') + 1);
    return file.substring(0, file.lastIndexOf('@'));
  }
}
