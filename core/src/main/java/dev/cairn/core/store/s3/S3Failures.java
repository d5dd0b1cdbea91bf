package dev.cairn.core.store.s3;

import dev.cairn.core.store.StoreException;
import dev.cairn.core.store.StoreException.Kind;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.security.InvalidKeyException;
import java.util.Set;

/**
 * Turns what the MinIO client throws into a typed {@link StoreException}, so callers know whether
 * waiting helps: connection failures and 5xx are outages, 429/503 and SlowDown are throttling,
 * 401/403 are credentials, NoSuchKey/NoSuchBucket are absence.
 */
final class S3Failures {
  static final String PRECONDITION_FAILED = "PreconditionFailed";

  /** S3's answer to two conditional writes racing on one key: retry, one of them will win. */
  static final String CONDITIONAL_CONFLICT = "ConditionalRequestConflict";

  private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject");
  private static final Set<String> AUTH =
      Set.of(
          "AccessDenied",
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "ExpiredToken",
          "InvalidToken",
          "AuthorizationHeaderMalformed",
          "AllAccessDisabled");
  private static final Set<String> THROTTLED =
      Set.of(
          "SlowDown",
          "Throttling",
          "ThrottlingException",
          "RequestLimitExceeded",
          "TooManyRequests");

  private S3Failures() {}

  static String code(Exception e) {
    return e instanceof ErrorResponseException r && r.errorResponse() != null
        ? r.errorResponse().code()
        : null;
  }

  static boolean isNotFound(Exception e) {
    return NOT_FOUND.contains(code(e));
  }

  static StoreException typed(String what, String where, Exception e) {
    Kind kind = kind(e);
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new StoreException(
        kind, "cannot " + what + " " + where + ": " + describe(kind) + " (" + detail + ")", e);
  }

  static Kind kind(Exception e) {
    if (e instanceof ErrorResponseException r) {
      String code = code(e);
      int status = r.response() == null ? 0 : r.response().code();
      if (NOT_FOUND.contains(code)) {
        return Kind.NOT_FOUND;
      }
      if (AUTH.contains(code) || status == 401 || status == 403) {
        return Kind.AUTH;
      }
      if (THROTTLED.contains(code) || status == 429 || status == 503) {
        return Kind.THROTTLED;
      }
      if (status >= 500 || "InternalError".equals(code) || "RequestTimeout".equals(code)) {
        return Kind.UNREACHABLE;
      }
      // Any other 4xx: the request itself is wrong (bucket name, argument...); sending it again
      // for ten minutes would only look like a hang.
      return status >= 400 && status < 500 ? Kind.REFUSED : Kind.IO;
    }
    if (e instanceof ServerException s) {
      return s.statusCode() == 503 || s.statusCode() == 429 ? Kind.THROTTLED : Kind.UNREACHABLE;
    }
    if (e instanceof InvalidResponseException) {
      // A non-S3 answer: a gateway or load balancer in front of the store is failing.
      return Kind.UNREACHABLE;
    }
    if (e instanceof InsufficientDataException) {
      // The data source ended early: the caller's stream, not the store.
      return Kind.IO;
    }
    if (e instanceof InvalidKeyException) {
      return Kind.AUTH;
    }
    if (e instanceof IOException) {
      return Kind.UNREACHABLE;
    }
    return Kind.IO;
  }

  private static String describe(Kind kind) {
    return switch (kind) {
      case UNREACHABLE -> "store unreachable";
      case THROTTLED -> "store throttling requests";
      case AUTH -> "access denied, check the credentials";
      case NOT_FOUND -> "not found";
      case CORRUPT -> "corrupt data";
      case REFUSED -> "refused";
      case IO -> "request failed";
    };
  }
}
