package dev.cairn.core.store;

/** A storage failure, typed so callers know whether waiting and retrying can help. */
public class StoreException extends RuntimeException {
  public enum Kind {
    UNREACHABLE(true),
    THROTTLED(true),
    AUTH(false),
    NOT_FOUND(false),
    CORRUPT(false),
    /**
     * The store cannot do it and waiting will not change that: read-only, full, not a directory, no
     * permission.
     */
    REFUSED(false),
    IO(true);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;

  public StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public StoreException(Kind kind, String message) {
    this(kind, message, null);
  }

  public Kind kind() {
    return kind;
  }

  public boolean retryable() {
    return kind.retryable();
  }
}
