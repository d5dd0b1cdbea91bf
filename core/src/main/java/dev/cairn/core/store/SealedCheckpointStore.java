package dev.cairn.core.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A store whose commit records are sealed with a key ({@link RecordSeal#keyed}): the operator's
 * view of the bucket. Every operation is the wrapped store's; only {@link WorkflowCheckpoints}
 * looks at the seal.
 */
public final class SealedCheckpointStore implements CheckpointStore {
  private final CheckpointStore store;
  private final RecordSeal seal;

  public SealedCheckpointStore(CheckpointStore store, RecordSeal seal) {
    this.store = store;
    this.seal = seal;
  }

  public RecordSeal seal() {
    return seal;
  }

  /** The store underneath, unsealed. */
  public CheckpointStore unsealed() {
    return store;
  }

  @Override
  public void put(String key, byte[] data) {
    store.put(key, data);
  }

  @Override
  public boolean putIfAbsent(String key, byte[] data) {
    return store.putIfAbsent(key, data);
  }

  @Override
  public void putStream(String key, InputStream data, long size) {
    store.putStream(key, data, size);
  }

  @Override
  public void putFile(String key, Path file) {
    store.putFile(key, file);
  }

  @Override
  public Optional<byte[]> get(String key) {
    return store.get(key);
  }

  @Override
  public boolean copy(String from, String to) {
    return store.copy(from, to);
  }

  @Override
  public InputStream open(String key) {
    return store.open(key);
  }

  @Override
  public boolean exists(String key) {
    return store.exists(key);
  }

  @Override
  public List<String> list(String prefix) {
    return store.list(prefix);
  }

  @Override
  public java.util.SortedMap<String, Long> sizes(String prefix) {
    return store.sizes(prefix);
  }

  @Override
  public List<String> children(String prefix) {
    return store.children(prefix);
  }

  @Override
  public void deletePrefix(String prefix) {
    store.deletePrefix(prefix);
  }

  @Override
  public void removeTemporaries(String prefix) {
    store.removeTemporaries(prefix);
  }

  @Override
  public String describe(String key) {
    return store.describe(key);
  }

  @Override
  public void close() {
    store.close();
  }
}
