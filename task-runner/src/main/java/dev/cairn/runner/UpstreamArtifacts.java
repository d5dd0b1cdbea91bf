package dev.cairn.runner;

import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.StoreException;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the files an upstream task's committed attempt stored into {@code
 * CAIRN_ARTIFACTS_IN/<task>/}, streaming each one to disk.
 */
final class UpstreamArtifacts {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamArtifacts.class);
  private final CheckpointStore store;
  private final WorkflowCheckpoints checkpoints;
  private final StoreRetry retry;

  UpstreamArtifacts(WorkflowCheckpoints checkpoints, StoreRetry retry) {
    this.store = checkpoints.store();
    this.checkpoints = checkpoints;
    this.retry = retry;
  }

  /**
   * Downloads the artifacts of {@code taskId}'s committed attempt; returns how many files. With its
   * digest and {@code attempt} given (by the operator, which committed it), no commit record is
   * read.
   */
  int download(String taskId, ValueRef value, String digest, Integer attempt, Path artifactsIn) {
    if (digest == null || attempt == null) {
      Optional<CommitRecord> commit = committed(taskId, value, digest);
      if (commit.isEmpty() || commit.get().attempt() == null) {
        // Tasks with checkpoint: false have no commit, and so no stored attempt to take files from.
        LOG.info("no committed attempt, no artifacts task={}", taskId);
        return 0;
      }
      digest = commit.get().digest();
      attempt = commit.get().attempt();
    }
    int committed = attempt;
    String prefix = StoreLayout.artifacts(checkpoints.id(), taskId, digest, committed);
    List<String> keys = retry.call("list the artifacts of " + taskId, () -> store.list(prefix));
    Path dir = artifactsIn.resolve(StoreLayout.taskDirectory(taskId)).toAbsolutePath().normalize();
    for (String key : keys) {
      Path target = dir.resolve(key.substring(prefix.length())).normalize();
      if (!target.startsWith(dir)) {
        throw new InfraFailure("artifact key " + key + " escapes " + dir);
      }
      retry.run("download " + store.describe(key), () -> copy(key, target));
    }
    LOG.info("artifacts fetched task={} attempt={} files={}", taskId, committed, keys.size());
    return keys.size();
  }

  /**
   * The upstream task's commit. With its digest given, that one; otherwise, among the task's
   * commits (one per definition digest it ever had), the one holding the value this attempt
   * receives, the most recent if several do.
   */
  private Optional<CommitRecord> committed(String taskId, ValueRef value, String digest) {
    if (digest != null) {
      return retry.call(
          "read the commit of " + taskId, () -> checkpoints.readCommit(taskId, digest));
    }
    String commits = StoreLayout.commits(checkpoints.id());
    String head = commits + StoreLayout.taskDirectory(taskId) + "@";
    List<CommitRecord> candidates =
        retry.call(
            "look up the commits of " + taskId,
            () ->
                store.list(commits).stream()
                    .filter(k -> k.startsWith(head) && !k.endsWith(StoreLayout.RESOLVED_SUFFIX))
                    .map(
                        k ->
                            k.substring(
                                head.length(), k.length() - StoreLayout.COMMIT_SUFFIX.length()))
                    .map(d -> checkpoints.readCommit(taskId, d))
                    .flatMap(Optional::stream)
                    .filter(c -> taskId.equals(c.task()))
                    .toList());
    Comparator<CommitRecord> latest =
        Comparator.comparing(c -> c.finishedAt() == null ? Instant.MIN : c.finishedAt());
    return candidates.stream()
        .filter(c -> holds(c, value))
        .max(latest)
        .or(() -> candidates.stream().max(latest));
  }

  private static boolean holds(CommitRecord commit, ValueRef value) {
    if (value instanceof ValueRef.Stored s) {
      return Objects.equals(s.object(), commit.object());
    }
    if (value instanceof ValueRef.Inline i) {
      return Objects.equals(i.value(), commit.value());
    }
    return true;
  }

  private void copy(String key, Path target) {
    try (InputStream in = store.open(key)) {
      LocalFiles.writeAtomically(target, in::transferTo);
    } catch (IOException e) {
      // The connection dropped mid-download: an outage, retried from the start.
      throw new StoreException(
          StoreException.Kind.UNREACHABLE,
          "download of " + store.describe(key) + " failed: " + e,
          e);
    }
  }
}
