package dev.cairn.bench;

import dev.cairn.core.store.CheckpointStore;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the writes (and written bytes) and the read requests that reach a store. */
final class CountingStore implements CheckpointStore {
  private final CheckpointStore delegate;
  final AtomicLong writes = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong reads = new AtomicLong();

  CountingStore(CheckpointStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void put(String key, byte[] data) {
    writes.incrementAndGet();
    bytes.addAndGet(data.length);
    delegate.put(key, data);
  }

  @Override
  public boolean putIfAbsent(String key, byte[] data) {
    writes.incrementAndGet();
    bytes.addAndGet(data.length);
    return delegate.putIfAbsent(key, data);
  }

  @Override
  public void putStream(String key, InputStream data, long size) {
    writes.incrementAndGet();
    bytes.addAndGet(Math.max(size, 0));
    delegate.putStream(key, data, size);
  }

  @Override
  public Optional<byte[]> get(String key) {
    reads.incrementAndGet();
    return delegate.get(key);
  }

  @Override
  public boolean copy(String from, String to) {
    writes.incrementAndGet();
    return delegate.copy(from, to);
  }

  @Override
  public InputStream open(String key) {
    reads.incrementAndGet();
    return delegate.open(key);
  }

  @Override
  public boolean exists(String key) {
    reads.incrementAndGet();
    return delegate.exists(key);
  }

  @Override
  public List<String> list(String prefix) {
    List<String> keys = delegate.list(prefix);
    // An S3 listing returns at most 1,000 keys per request.
    reads.addAndGet(Math.max(1, (keys.size() + 999) / 1000));
    return keys;
  }

  @Override
  public List<String> children(String prefix) {
    reads.incrementAndGet();
    return delegate.children(prefix);
  }

  @Override
  public void deletePrefix(String prefix) {
    delegate.deletePrefix(prefix);
  }

  @Override
  public String describe(String key) {
    return delegate.describe(key);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
