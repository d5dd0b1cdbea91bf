package dev.cairn.core.store;

import dev.cairn.core.json.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A deterministic pseudo-random byte stream of a given size, produced on the fly: large objects
 * without holding them in memory. An optional action runs once {@code triggerAt} bytes have been
 * read (to break a store in the middle of a write).
 */
public final class GeneratedStream extends InputStream {
  public interface Trigger {
    void fire() throws IOException;
  }

  private final long size;
  private final long triggerAt;
  private final Trigger trigger;
  private long position;
  private long state;
  private boolean fired;

  public GeneratedStream(long size, long seed) {
    this(size, seed, -1, null);
  }

  public GeneratedStream(long size, long seed, long triggerAt, Trigger trigger) {
    this.size = size;
    this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    this.triggerAt = triggerAt;
    this.trigger = trigger;
  }

  /** SHA-256 of the stream {@code new GeneratedStream(size, seed)} produces, as hex. */
  public static String sha256(long size, long seed) throws IOException {
    try (InputStream in = new GeneratedStream(size, seed)) {
      return sha256(in);
    }
  }

  public static String sha256(InputStream in) throws IOException {
    MessageDigest digest = Digests.sha256();
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = in.read(buffer)) > 0; ) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (!fired && trigger != null && position >= triggerAt) {
      fired = true;
      trigger.fire();
    }
    if (position >= size) {
      return -1;
    }
    int n = (int) Math.min(len, size - position);
    if (trigger != null && !fired && position < triggerAt) {
      n = (int) Math.min(n, triggerAt - position);
    }
    for (int i = 0; i < n; i++) {
      // xorshift64: cheap, and the same bytes for the same seed.
      state ^= state << 13;
      state ^= state >>> 7;
      state ^= state << 17;
      b[off + i] = (byte) state;
    }
    position += n;
    return n;
  }
}
