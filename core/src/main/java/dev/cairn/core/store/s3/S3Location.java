package dev.cairn.core.store.s3;

import java.util.regex.Pattern;

/**
 * {@code s3://bucket/prefix}: the bucket and the key prefix under which a store keeps its layout.
 * The prefix is kept without leading or trailing '/', empty for the bucket's root.
 */
public record S3Location(String bucket, String prefix) {
  public static final String SCHEME = "s3://";
  // S3's bucket naming rules, loosely: what MinIO and AWS both accept.
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  public S3Location {
    if (bucket == null || !BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException(
          "\""
              + bucket
              + "\" is not a valid bucket name (3-63 lower-case letters, digits, '.' and '-')");
    }
    prefix = trimSlashes(prefix == null ? "" : prefix);
    for (String segment : prefix.split("/", -1)) {
      if (!prefix.isEmpty() && (segment.isEmpty() || segment.equals(".") || segment.equals(".."))) {
        throw new IllegalArgumentException("invalid key prefix \"" + prefix + "\"");
      }
    }
  }

  public static boolean matches(String uri) {
    return uri != null && uri.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
  }

  /** Parses {@code s3://bucket} or {@code s3://bucket/some/prefix}. */
  public static S3Location parse(String uri) {
    if (!matches(uri)) {
      throw new IllegalArgumentException("\"" + uri + "\" is not an s3:// URI");
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    return slash < 0
        ? new S3Location(rest, "")
        : new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
  }

  /** The object name of a store key. */
  public String objectName(String key) {
    return prefix.isEmpty() ? key : prefix + "/" + key;
  }

  /** The store key of an object name under this location. */
  public String key(String objectName) {
    return prefix.isEmpty() ? objectName : objectName.substring(prefix.length() + 1);
  }

  @Override
  public String toString() {
    return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }

  private static String trimSlashes(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && s.charAt(from) == '/') {
      from++;
    }
    while (to > from && s.charAt(to - 1) == '/') {
      to--;
    }
    return s.substring(from, to);
  }
}
