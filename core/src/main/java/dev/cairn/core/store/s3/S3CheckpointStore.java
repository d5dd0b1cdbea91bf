package dev.cairn.core.store.s3;

import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.StoreException;
import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CheckpointStore} on S3-compatible object storage (MinIO, AWS S3, ...) through the MinIO
 * Java SDK, with the layout of docs/storage.md under {@code s3://bucket/prefix}.
 *
 * <ul>
 *   <li>A PUT is atomic: readers see the old object or the new one.
 *   <li>{@link #putIfAbsent} is a conditional PUT ({@code If-None-Match: *}): the server decides
 *       which of two racing writers wins.
 *   <li>Streams are uploaded in parts of {@link S3Options#partSize()}: memory stays bounded by one
 *       part, whatever the object's size. Files are read from disk part by part.
 *   <li>Failures are typed {@link StoreException}s. Requests whose payload can be replayed are
 *       retried with backoff on outages ({@link S3Options#maxRetries()} times) before the failure
 *       reaches the caller.
 *   <li>The bucket is created on the first write if it does not exist.
 * </ul>
 */
public final class S3CheckpointStore implements CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(S3CheckpointStore.class);
  private static final int DELETE_BATCH = 1000;
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 2_000;

  private final S3Location location;
  private final S3Options options;
  private final OkHttpClient http;
  private final MinioClient client;
  private volatile boolean bucketReady;

  public S3CheckpointStore(S3Location location, S3Options options) {
    this.location = location;
    this.options = options;
    OkHttpClient.Builder httpBuilder =
        new OkHttpClient.Builder()
            .connectTimeout(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(options.ioTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .writeTimeout(options.ioTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .protocols(List.of(Protocol.HTTP_1_1));
    if (options.effectiveEndpoint().regionMatches(true, 0, "http://", 0, 7)) {
      // A plain-HTTP endpoint (a store inside the cluster): without a TLS connection spec the
      // client skips loading the JDK's trust store, about a tenth of a second of every task
      // pod's short runner JVMs (docs/task-runner.md).
      httpBuilder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
    }
    this.http = httpBuilder.build();
    MinioClient.Builder builder =
        MinioClient.builder()
            .endpoint(options.effectiveEndpoint())
            .region(options.effectiveRegion())
            .httpClient(http);
    if (options.accessKey() != null) {
      builder.credentialsProvider(
          new io.minio.credentials.StaticProvider(
              options.accessKey(), options.secretKey(), options.sessionToken()));
    }
    this.client = builder.build();
  }

  public S3Location location() {
    return location;
  }

  public S3Options options() {
    return options;
  }

  // ---------------------------------------------------------------- writes

  @Override
  public void put(String key, byte[] data) {
    ensureBucket();
    call(
        "write",
        key,
        attempt ->
            client.putObject(
                PutObjectArgs.builder().bucket(location.bucket()).object(objectName(key)).stream(
                        new ByteArrayInputStream(data), data.length, -1)
                    .contentType(contentType(key))
                    .build()));
  }

  @Override
  public boolean putIfAbsent(String key, byte[] data) {
    ensureBucket();
    return call(
        "write",
        key,
        attempt -> {
          try {
            client.putObject(
                PutObjectArgs.builder().bucket(location.bucket()).object(objectName(key)).stream(
                        new ByteArrayInputStream(data), data.length, -1)
                    .contentType(contentType(key))
                    .headers(Map.of("If-None-Match", "*"))
                    .build());
            return true;
          } catch (ErrorResponseException e) {
            String code = S3Failures.code(e);
            int status = e.response() == null ? 0 : e.response().code();
            if (S3Failures.PRECONDITION_FAILED.equals(code) || status == 412) {
              // The key is taken. After a retried try it may be ours: an earlier try can have
              // written it before its answer was lost. Records carry their attempt and times, so
              // equal bytes mean the same writer.
              return attempt > 0 && Arrays.equals(readOrNull(key), data);
            }
            if (S3Failures.CONDITIONAL_CONFLICT.equals(code) || status == 409) {
              throw new StoreException(
                  StoreException.Kind.THROTTLED, "conditional write raced on " + describe(key), e);
            }
            throw e;
          }
        });
  }

  @Override
  public void putStream(String key, InputStream data, long size) {
    ensureBucket();
    // A stream cannot be replayed: no retry here, the caller reopens its source and calls again.
    callOnce(
        "write",
        key,
        () ->
            client.putObject(
                PutObjectArgs.builder().bucket(location.bucket()).object(objectName(key)).stream(
                        data, size, options.partSize())
                    .contentType(contentType(key))
                    .build()));
  }

  /** Uploads a file part by part from disk, without buffering it in memory; retried on outages. */
  @Override
  public void putFile(String key, Path file) {
    ensureBucket();
    call(
        "write",
        key,
        attempt ->
            client.uploadObject(
                UploadObjectArgs.builder()
                    .bucket(location.bucket())
                    .object(objectName(key))
                    .filename(file.toString(), options.partSize())
                    .contentType(contentType(key))
                    .build()));
  }

  @Override
  public void deletePrefix(String prefix) {
    List<String> keys = new ArrayList<>(list(prefix));
    if (!prefix.isEmpty() && !prefix.endsWith("/") && exists(prefix)) {
      keys.add(prefix);
    }
    for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
      List<DeleteObject> batch =
          keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
              .map(k -> new DeleteObject(objectName(k)))
              .toList();
      call(
          "delete",
          prefix,
          attempt -> {
            Iterable<Result<DeleteError>> errors =
                client.removeObjects(
                    RemoveObjectsArgs.builder().bucket(location.bucket()).objects(batch).build());
            // The request is sent while iterating; each result is an object that failed.
            for (Result<DeleteError> result : errors) {
              DeleteError error = result.get();
              if (!"NoSuchKey".equals(error.code())) {
                throw new StoreException(
                    StoreException.Kind.IO,
                    "cannot delete "
                        + error.objectName()
                        + ": "
                        + error.code()
                        + " "
                        + error.message());
              }
            }
            return null;
          });
    }
  }

  // ---------------------------------------------------------------- reads

  /** A server-side copy (CopyObject): the bytes never pass through this process. */
  @Override
  public boolean copy(String from, String to) {
    ensureBucket();
    return call(
        "copy",
        to,
        attempt -> {
          try {
            client.copyObject(
                CopyObjectArgs.builder()
                    .bucket(location.bucket())
                    .object(objectName(to))
                    .source(
                        CopySource.builder()
                            .bucket(location.bucket())
                            .object(objectName(from))
                            .build())
                    .build());
            return true;
          } catch (ErrorResponseException e) {
            if (S3Failures.isNotFound(e)) {
              return false;
            }
            throw e;
          }
        });
  }

  @Override
  public Optional<byte[]> get(String key) {
    return Optional.ofNullable(call("read", key, attempt -> readOrNull(key)));
  }

  @Override
  public InputStream open(String key) {
    return call(
        "read",
        key,
        attempt -> {
          try {
            return client.getObject(
                GetObjectArgs.builder().bucket(location.bucket()).object(objectName(key)).build());
          } catch (ErrorResponseException e) {
            if (S3Failures.isNotFound(e)) {
              throw new StoreException(
                  StoreException.Kind.NOT_FOUND, "no object " + describe(key), e);
            }
            throw e;
          }
        });
  }

  @Override
  public boolean exists(String key) {
    return call(
        "stat",
        key,
        attempt -> {
          try {
            client.statObject(
                StatObjectArgs.builder().bucket(location.bucket()).object(objectName(key)).build());
            return true;
          } catch (ErrorResponseException e) {
            if (S3Failures.isNotFound(e)) {
              return false;
            }
            throw e;
          }
        });
  }

  @Override
  public List<String> list(String prefix) {
    String dir = directory(prefix);
    return call(
        "list",
        dir,
        attempt -> {
          List<String> keys = new ArrayList<>();
          for (Result<Item> result : listing(dir, true)) {
            Item item = itemOrNull(result);
            if (item == null) {
              return List.of();
            }
            if (!item.isDir()) {
              keys.add(location.key(item.objectName()));
            }
          }
          keys.sort(null);
          return keys;
        });
  }

  /** One listing: S3 gives each object's size with its key. */
  @Override
  public java.util.SortedMap<String, Long> sizes(String prefix) {
    String dir = directory(prefix);
    return call(
        "list",
        dir,
        attempt -> {
          java.util.SortedMap<String, Long> sizes = new java.util.TreeMap<>();
          for (Result<Item> result : listing(dir, true)) {
            Item item = itemOrNull(result);
            if (item == null) {
              return sizes;
            }
            if (!item.isDir()) {
              sizes.put(location.key(item.objectName()), item.size());
            }
          }
          return sizes;
        });
  }

  @Override
  public List<String> children(String prefix) {
    String dir = directory(prefix);
    return call(
        "list",
        dir,
        attempt -> {
          TreeSet<String> names = new TreeSet<>();
          for (Result<Item> result : listing(dir, false)) {
            Item item = itemOrNull(result);
            if (item == null) {
              return List.of();
            }
            String rest = location.key(item.objectName()).substring(dir.length());
            if (rest.endsWith("/")) {
              rest = rest.substring(0, rest.length() - 1);
            }
            if (!rest.isEmpty()) {
              names.add(rest);
            }
          }
          return List.copyOf(names);
        });
  }

  @Override
  public String describe(String key) {
    return location + "/" + key;
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "S3CheckpointStore[" + location + " at " + options.effectiveEndpoint() + "]";
  }

  // ---------------------------------------------------------------- plumbing

  private Iterable<Result<Item>> listing(String dir, boolean recursive) {
    return client.listObjects(
        ListObjectsArgs.builder()
            .bucket(location.bucket())
            .prefix(dir.isEmpty() ? location.objectName("") : objectName(dir))
            .recursive(recursive)
            .build());
  }

  /** The item, or null if the bucket does not exist (an empty store). */
  private static Item itemOrNull(Result<Item> result) throws Exception {
    try {
      return result.get();
    } catch (ErrorResponseException e) {
      if ("NoSuchBucket".equals(S3Failures.code(e))) {
        return null;
      }
      throw e;
    }
  }

  private byte[] readOrNull(String key) throws Exception {
    try (GetObjectResponse in =
        client.getObject(
            GetObjectArgs.builder().bucket(location.bucket()).object(objectName(key)).build())) {
      return in.readAllBytes();
    } catch (ErrorResponseException e) {
      if (S3Failures.isNotFound(e)) {
        return null;
      }
      throw e;
    }
  }

  private void ensureBucket() {
    if (bucketReady) {
      return;
    }
    synchronized (this) {
      if (bucketReady) {
        return;
      }
      String bucket = location.bucket();
      call(
          "create bucket",
          "",
          attempt -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
              try {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                LOG.info(
                    "created bucket bucket={} endpoint={}", bucket, options.effectiveEndpoint());
              } catch (ErrorResponseException e) {
                String code = S3Failures.code(e);
                if (!"BucketAlreadyOwnedByYou".equals(code)
                    && !"BucketAlreadyExists".equals(code)) {
                  throw e;
                }
              }
            }
            return null;
          });
      bucketReady = true;
    }
  }

  private String objectName(String key) {
    checkKey(key);
    return location.objectName(key);
  }

  /** Keys are relative paths: no leading '/', no '.' or '..' segments (as on the filesystem). */
  private static void checkKey(String key) {
    if (key.isEmpty() || key.startsWith("/")) {
      throw new IllegalArgumentException("invalid store key \"" + key + "\"");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("key escapes the store root: " + key);
      }
    }
  }

  /** A prefix as a directory: '' or ending with '/'. */
  private static String directory(String prefix) {
    if (prefix.isEmpty() || prefix.endsWith("/")) {
      return prefix;
    }
    return prefix + "/";
  }

  private static String contentType(String key) {
    return key.endsWith(".json") ? "application/json" : "application/octet-stream";
  }

  @FunctionalInterface
  private interface S3Call<T> {
    T run(int attempt) throws Exception;
  }

  @FunctionalInterface
  private interface S3Once<T> {
    T run() throws Exception;
  }

  private <T> T callOnce(String what, String key, S3Once<T> call) {
    try {
      return call.run();
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw S3Failures.typed(what, describe(key), e);
    }
  }

  /** Runs one request, retrying outages (unreachable, throttled) with exponential backoff. */
  private <T> T call(String what, String key, S3Call<T> call) {
    long delay = FIRST_BACKOFF_MS;
    for (int attempt = 0; ; attempt++) {
      StoreException failure;
      try {
        return call.run(attempt);
      } catch (StoreException e) {
        failure = e;
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        failure = S3Failures.typed(what, describe(key), e);
      }
      boolean outage =
          failure.kind() == StoreException.Kind.UNREACHABLE
              || failure.kind() == StoreException.Kind.THROTTLED;
      if (!outage || attempt >= options.maxRetries()) {
        throw failure;
      }
      LOG.debug("store request failed, retrying in {} ms: {}", delay, failure.getMessage());
      try {
        Thread.sleep(delay);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw failure;
      }
      delay = Math.min(delay * 2, MAX_BACKOFF_MS);
    }
  }
}
