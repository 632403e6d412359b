package dev.sigaudit.verify;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Rekor's signed entry timestamp (SET, the bundle's "inclusion promise"): the log's signature over
 * the RFC 8785 canonical JSON of {@code {body, integratedTime, logID, logIndex}} ({@code
 * sigstore/rekor pkg/verify/verify.go VerifySignedEntryTimestamp}). It is what makes the integrated
 * time trustworthy: an inclusion proof alone proves the entry is in the log, not when it got there.
 */
final class SignedEntryTimestamp {
  private SignedEntryTimestamp() {}

  /**
   * The signed bytes. RFC 8785 orders keys by UTF-16 code units ({@code body < integratedTime <
   * logID < logIndex}) and writes integers plainly; the body is standard padded base64 of the
   * canonicalized body and the log ID lower-case hex, as Rekor signs them, so neither string needs
   * escaping.
   */
  static byte[] canonicalPayload(TlogEntry entry) {
    String json =
        "{\"body\":\""
            + Base64.getEncoder().encodeToString(entry.body())
            + "\",\"integratedTime\":"
            + entry.integratedTime()
            + ",\"logID\":\""
            + entry.logIdHex()
            + "\",\"logIndex\":"
            + entry.logIndex()
            + "}";
    return json.getBytes(StandardCharsets.US_ASCII);
  }

  static boolean verifies(TlogEntry entry, byte[] set, TrustedRoot.TransparencyLog log) {
    return log.scheme().verifies(log.publicKey(), canonicalPayload(entry), set);
  }
}
