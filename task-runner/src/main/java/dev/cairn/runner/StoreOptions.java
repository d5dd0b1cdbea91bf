package dev.cairn.runner;

import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.CheckpointStores;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Where the store is and how long to wait out its outages; shared by the modes that use it. */
public final class StoreOptions {
  static final String STORE = "--store";
  static final String RETRY_LIMIT = "--store-retry-limit";
  static final String RETRY_LIMIT_VARIABLE = "CAIRN_STORE_RETRY_LIMIT";

  /** The options of the modes that use the store. */
  static final Set<String> NAMES = Set.of(STORE, RETRY_LIMIT);

  private final String store;
  private final Duration retryLimit;

  StoreOptions(String store, Duration retryLimit) {
    this.store = store;
    this.retryLimit = retryLimit;
  }

  /** The options given, else the pod's variables ({@code CAIRN_STORE}, ...), else defaults. */
  static StoreOptions from(Arguments args) {
    PodEnvironment env = PodEnvironment.current();
    String limit = args.value(RETRY_LIMIT, env.get(RETRY_LIMIT_VARIABLE));
    try {
      return new StoreOptions(
          args.value(STORE, env.get(PodEnvironment.STORE)),
          limit == null ? Duration.ofMinutes(2) : Duration.parse(limit));
    } catch (DateTimeParseException e) {
      throw new Arguments.UsageError(
          "invalid store retry limit '" + limit + "': expected an ISO-8601 duration such as PT2M");
    }
  }

  /** Fails, as {@link #open()} would, when no store is named: the pod is misconfigured. */
  public void requireLocation() {
    if (store == null || store.isBlank()) {
      throw new InfraFailure(PodEnvironment.STORE + " is not set and no --store was given");
    }
  }

  public CheckpointStore open() {
    requireLocation();
    try {
      return CheckpointStores.open(store);
    } catch (IllegalArgumentException e) {
      throw new InfraFailure("invalid store location: " + e.getMessage(), e);
    }
  }

  public StoreRetry retry() {
    return new StoreRetry(retryLimit);
  }
}
