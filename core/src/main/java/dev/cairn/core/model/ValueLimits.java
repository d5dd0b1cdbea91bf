package dev.cairn.core.model;

/**
 * The one size limit of task values. Writers refuse a larger value ({@code OutputTooLarge}) before
 * anything is stored, and every reader of stored JSON accepts at least this much, so whatever was
 * written can be read back.
 */
public final class ValueLimits {
  /** The largest value, as JSON bytes (64 MiB); large data belongs in artifacts. */
  public static final int MAX_VALUE_BYTES = 64 << 20;

  private ValueLimits() {}

  /** Why a value of {@code bytes} JSON bytes cannot be stored, or null when it can. */
  public static String tooLarge(long bytes, String what) {
    if (bytes <= MAX_VALUE_BYTES) {
      return null;
    }
    return what
        + " is "
        + bytes
        + " bytes of JSON, over the "
        + (MAX_VALUE_BYTES >> 20)
        + " MiB limit for values; write large data under CAIRN_ARTIFACTS";
  }
}
