package dev.cairn.core.store;

import dev.cairn.core.json.Digests;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code checksum} of a commit record. Unkeyed, it is a digest of the record: it finds damage,
 * not forgery. Keyed (the operator's record key, {@code CAIRN_RECORD_KEY}), it is an HMAC over the
 * record and the store key it lives under, so only a holder of the key can write a commit that is
 * used, and a commit copied to another key (another namespace, workflow or task) is not: whoever
 * else can write to the bucket (a task pod, a namespace's store credentials) cannot make a run
 * consume a result it did not compute.
 */
public interface RecordSeal {
  /** The prefix of keyed seals: readers without the key recognise them and cannot check them. */
  String KEYED = "hmac-sha256:";

  /** The checksum of {@code canonical}, the record's bytes, stored under {@code key}. */
  String seal(String key, byte[] canonical);

  /** Why a record with {@code checksum} cannot be used, or null if it can. */
  String verify(String key, byte[] canonical, String checksum);

  /** Whether this seal proves who wrote a record (a key), not only that it is intact. */
  default boolean keyed() {
    return false;
  }

  /**
   * A digest of the record (16 hex characters): records without a checksum (written before it
   * existed) and records sealed with a key this reader does not hold are trusted.
   */
  RecordSeal CHECKSUM =
      new RecordSeal() {
        @Override
        public String seal(String key, byte[] canonical) {
          return Digests.sha256Hex(canonical).substring(0, 16);
        }

        @Override
        public String verify(String key, byte[] canonical, String checksum) {
          if (checksum == null || checksum.startsWith(KEYED)) {
            return null;
          }
          return checksum.equals(seal(key, canonical))
              ? null
              : "its content does not match its checksum";
        }
      };

  /** An HMAC-SHA256 seal with {@code secret}: records without it are never used. */
  static RecordSeal keyed(byte[] secret) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("a record key needs at least 16 bytes");
    }
    SecretKeySpec spec = new SecretKeySpec(secret.clone(), "HmacSHA256");
    return new RecordSeal() {
      @Override
      public String seal(String key, byte[] canonical) {
        try {
          Mac mac = Mac.getInstance("HmacSHA256");
          mac.init(spec);
          // The key is part of what is sealed: a record is valid only where it was written.
          mac.update(key.getBytes(StandardCharsets.UTF_8));
          mac.update((byte) 0);
          return KEYED + HexFormat.of().formatHex(mac.doFinal(canonical));
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
      }

      @Override
      public String verify(String key, byte[] canonical, String checksum) {
        if (checksum == null || !checksum.startsWith(KEYED)) {
          return "it is not sealed with the operator's record key";
        }
        return java.security.MessageDigest.isEqual(
                checksum.getBytes(StandardCharsets.UTF_8),
                seal(key, canonical).getBytes(StandardCharsets.UTF_8))
            ? null
            : "its seal does not match its content and place (not written by this operator)";
      }

      @Override
      public boolean keyed() {
        return true;
      }

      @Override
      public String toString() {
        return "RecordSeal[keyed]";
      }
    };
  }

  /** The seal records of {@code store} are written and read with. */
  static RecordSeal of(CheckpointStore store) {
    return store instanceof SealedCheckpointStore sealed ? sealed.seal() : CHECKSUM;
  }
}
