package dev.cairn.operator.config;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The operator's record key ({@code CAIRN_RECORD_KEY}, from a Secret only it reads): commit records
 * are sealed with it, so that only the operator writes results a run consumes. Never printed; empty
 * when not set (commits then carry a plain checksum, as in local runs).
 */
public record RecordKey(byte[] bytes) {
  public static final String VARIABLE = "CAIRN_RECORD_KEY";

  /** At least this many characters: a short key is refused rather than guessed. */
  public static final int MIN_LENGTH = 16;

  public static RecordKey from(Map<String, String> env) {
    String value = env.get(VARIABLE);
    if (value == null || value.isBlank()) {
      return new RecordKey(new byte[0]);
    }
    if (value.strip().length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          VARIABLE + " needs at least " + MIN_LENGTH + " characters (e.g. openssl rand -hex 32)");
    }
    return new RecordKey(value.strip().getBytes(StandardCharsets.UTF_8));
  }

  public boolean present() {
    return bytes.length > 0;
  }

  @Override
  public String toString() {
    return present() ? "RecordKey[set]" : "RecordKey[none]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecordKey k && java.util.Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(bytes);
  }
}
