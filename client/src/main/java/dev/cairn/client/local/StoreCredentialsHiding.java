package dev.cairn.client.local;

import dev.cairn.core.store.s3.S3Options;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the store's credentials out of this process's environment once the store has them: Java
 * functions run inside the engine's JVM and read {@code System.getenv()}, so without this a task
 * could return {@code AWS_SECRET_ACCESS_KEY} into a commit. Commands get a cleaned environment
 * anyway; this covers functions, and every process started afterwards.
 *
 * <p>Java has no API to change its own environment; the JDK's view of it is an unmodifiable map
 * over a modifiable one, reached here by reflection (the launcher, and the JVM running a program
 * that wants this, opens {@code java.util} for it: {@code --add-opens
 * java.base/java.util=ALL-UNNAMED}). Where that is refused, the credentials stay and a debug line
 * says so.
 */
public final class StoreCredentialsHiding {
  private static final Logger LOG = LoggerFactory.getLogger(StoreCredentialsHiding.class);
  private static final List<String> NAMES =
      List.of(
          S3Options.AWS_ACCESS_KEY_ID,
          S3Options.AWS_SECRET_ACCESS_KEY,
          S3Options.AWS_SESSION_TOKEN);

  private StoreCredentialsHiding() {}

  /** Returns true when the credentials are no longer visible to this process (or never were). */
  public static boolean hide() {
    Map<String, String> env = System.getenv();
    if (NAMES.stream().noneMatch(env::containsKey)) {
      return true;
    }
    try {
      Field inner = env.getClass().getDeclaredField("m");
      inner.setAccessible(true);
      @SuppressWarnings("unchecked")
      Map<String, String> writable = (Map<String, String>) inner.get(env);
      NAMES.forEach(writable::remove);
      return NAMES.stream().noneMatch(System.getenv()::containsKey);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("store credentials stay in the environment: {}", e.toString());
      return false;
    }
  }
}
