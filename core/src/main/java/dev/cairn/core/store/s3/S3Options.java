package dev.cairn.core.store.s3;

import java.time.Duration;
import java.util.Map;

/**
 * How to reach an S3-compatible store: endpoint, region and credentials. They come from explicit
 * options (command-line flags) or the usual AWS environment variables, never from a workflow spec.
 *
 * @param endpoint e.g. {@code http://minio.cairn-system:9000}; AWS when null
 * @param region signing region; {@code us-east-1} when null
 * @param accessKey anonymous requests when null
 * @param partSize part size of multipart uploads: the memory one streamed upload holds at a time
 * @param maxRetries how often one request is retried on an outage (unreachable, throttled) before
 *     the typed failure reaches the caller, which may keep waiting at its own level
 */
public record S3Options(
    String endpoint,
    String region,
    String accessKey,
    String secretKey,
    String sessionToken,
    long partSize,
    int maxRetries,
    Duration connectTimeout,
    Duration ioTimeout) {

  public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";

  /** Takes precedence over {@link #AWS_ENDPOINT_URL}, as in the AWS SDKs. */
  public static final String AWS_ENDPOINT_URL_S3 = "AWS_ENDPOINT_URL_S3";

  public static final String AWS_REGION = "AWS_REGION";
  public static final String AWS_DEFAULT_REGION = "AWS_DEFAULT_REGION";
  public static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  public static final String AWS_SESSION_TOKEN = "AWS_SESSION_TOKEN";

  public static final String AWS_ENDPOINT = "https://s3.amazonaws.com";
  public static final String DEFAULT_REGION = "us-east-1";

  /** S3's smallest allowed part. */
  public static final long MIN_PART_SIZE = 5L << 20;

  public static final long DEFAULT_PART_SIZE = 16L << 20;

  public S3Options {
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException(
          "part size " + partSize + " is below S3's minimum of " + MIN_PART_SIZE + " bytes");
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0");
    }
  }

  /** Defaults only: AWS, us-east-1, anonymous. */
  public static S3Options defaults() {
    return new S3Options(
        null,
        null,
        null,
        null,
        null,
        DEFAULT_PART_SIZE,
        3,
        Duration.ofSeconds(10),
        Duration.ofMinutes(2));
  }

  /** Reads {@code AWS_ENDPOINT_URL(_S3)}, {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}, ... */
  public static S3Options fromEnvironment(Map<String, String> env) {
    S3Options d = defaults();
    String endpoint = blankToNull(env.get(AWS_ENDPOINT_URL_S3));
    if (endpoint == null) {
      endpoint = blankToNull(env.get(AWS_ENDPOINT_URL));
    }
    String region = blankToNull(env.get(AWS_REGION));
    if (region == null) {
      region = blankToNull(env.get(AWS_DEFAULT_REGION));
    }
    return new S3Options(
        endpoint,
        region,
        blankToNull(env.get(AWS_ACCESS_KEY_ID)),
        blankToNull(env.get(AWS_SECRET_ACCESS_KEY)),
        blankToNull(env.get(AWS_SESSION_TOKEN)),
        d.partSize,
        d.maxRetries,
        d.connectTimeout,
        d.ioTimeout);
  }

  public static S3Options fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * These options with every non-null argument taking precedence: how command-line flags override
   * the environment.
   */
  public S3Options overriding(String endpoint, String region, String accessKey, String secretKey) {
    return new S3Options(
        endpoint != null ? endpoint : this.endpoint,
        region != null ? region : this.region,
        accessKey != null ? accessKey : this.accessKey,
        secretKey != null ? secretKey : this.secretKey,
        accessKey != null ? null : sessionToken,
        partSize,
        maxRetries,
        connectTimeout,
        ioTimeout);
  }

  public S3Options withPartSize(long bytes) {
    return new S3Options(
        endpoint,
        region,
        accessKey,
        secretKey,
        sessionToken,
        bytes,
        maxRetries,
        connectTimeout,
        ioTimeout);
  }

  public S3Options withMaxRetries(int retries) {
    return new S3Options(
        endpoint,
        region,
        accessKey,
        secretKey,
        sessionToken,
        partSize,
        retries,
        connectTimeout,
        ioTimeout);
  }

  public S3Options withTimeouts(Duration connect, Duration io) {
    return new S3Options(
        endpoint, region, accessKey, secretKey, sessionToken, partSize, maxRetries, connect, io);
  }

  public String effectiveEndpoint() {
    return endpoint != null ? endpoint : AWS_ENDPOINT;
  }

  public String effectiveRegion() {
    return region != null ? region : DEFAULT_REGION;
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "S3Options[endpoint="
        + effectiveEndpoint()
        + ", region="
        + effectiveRegion()
        + ", accessKey="
        + (accessKey == null ? "(anonymous)" : accessKey)
        + ", partSize="
        + partSize
        + ", maxRetries="
        + maxRetries
        + "]";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
