package dev.cairn.core.store;

import dev.cairn.core.store.s3.S3CheckpointStore;
import dev.cairn.core.store.s3.S3Location;
import dev.cairn.core.store.s3.S3Options;
import java.net.URI;
import java.nio.file.Path;

/**
 * Opens a store from its location, as users write it ({@code --store}, {@code CAIRN_STORE}):
 *
 * <ul>
 *   <li>{@code s3://bucket/prefix}: S3-compatible storage; endpoint, region and credentials from
 *       the given {@link S3Options} (flags over the AWS_* environment variables);
 *   <li>{@code file:///path}, or a plain path: a local directory.
 * </ul>
 */
public final class CheckpointStores {
  private CheckpointStores() {}

  /** Opens {@code uri}, taking S3 settings from the AWS_* environment variables. */
  public static CheckpointStore open(String uri) {
    return open(uri, S3Options.fromEnvironment());
  }

  /** Opens {@code uri}; {@code s3} is used only for s3:// locations. */
  public static CheckpointStore open(String uri, S3Options s3) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("no store location given");
    }
    if (S3Location.matches(uri)) {
      S3Location location = S3Location.parse(uri);
      requireS3Client(uri);
      return new S3CheckpointStore(location, s3);
    }
    if (uri.regionMatches(true, 0, "file:", 0, 5)) {
      return new FileSystemCheckpointStore(Path.of(URI.create(uri)));
    }
    int colon = uri.indexOf("://");
    if (colon > 0) {
      throw new IllegalArgumentException(
          "unsupported store \"" + uri + "\": use s3://bucket/prefix, file:///path or a path");
    }
    return new FileSystemCheckpointStore(Path.of(uri));
  }

  /** The artifact s3:// stores need; optional, so local programs do not carry it. */
  public static final String S3_ARTIFACT = "io.minio:minio";

  private static void requireS3Client(String uri) {
    try {
      Class.forName("io.minio.MinioClient", false, CheckpointStores.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new StoreException(
          StoreException.Kind.REFUSED,
          "cannot open "
              + uri
              + ": S3 stores need the "
              + S3_ARTIFACT
              + " artifact on the classpath, and it is not there (add the dependency "
              + S3_ARTIFACT
              + ")");
    }
  }
}
