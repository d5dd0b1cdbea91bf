package dev.cairn.core.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.UploadReport;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a task pod's upload report with its attempt's token: the operator gives each attempt's
 * upload container a token derived from its record key, and takes an attempt's output only from a
 * report sealed with that token. A report written by anyone else who can write to the bucket (the
 * store credentials of another namespace, another attempt's pod) is not one the operator acts on.
 */
public final class UploadSeal {
  private UploadSeal() {}

  /** The report with its seal set. */
  public static UploadReport seal(UploadReport report, String token) {
    return report.withSeal(of(report, token));
  }

  /** Whether {@code report} was sealed with {@code token}. */
  public static boolean verify(UploadReport report, String token) {
    if (report.seal() == null) {
      return false;
    }
    return MessageDigest.isEqual(
        report.seal().getBytes(StandardCharsets.UTF_8),
        of(report, token).getBytes(StandardCharsets.UTF_8));
  }

  private static String of(UploadReport report, String token) {
    ObjectNode tree = Json.MAPPER.valueToTree(report.withSeal(null));
    tree.remove("seal");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(Json.canonical(tree)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
