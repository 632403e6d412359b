package dev.sigaudit.verify;

import java.util.Base64;

/** Base64 decoding of signature material, turning garbage into a {@link Rejection}. */
final class Encodings {
  private Encodings() {}

  /**
   * Standard-alphabet base64, as cosign writes the {@code dev.cosignproject.cosign/signature}
   * annotation and decodes it ({@code base64.StdEncoding} in {@code pkg/cosign/verify.go}).
   */
  static byte[] standardBase64(String text, String what) throws Rejection {
    try {
      return nonEmpty(Base64.getDecoder().decode(text), what);
    } catch (IllegalArgumentException e) {
      throw new Rejection(what + " is not valid base64 (" + Texts.clip(e.getMessage()) + ")");
    }
  }

  /**
   * Standard or URL-safe base64, padded or not: protobuf JSON {@code bytes} fields (the bundle's
   * DSSE payload and signatures) may use either alphabet, and the DSSE spec allows both. Accepting
   * both cannot weaken anything: what is verified is the decoded bytes.
   */
  static byte[] protoJsonBytes(String text, String what) throws Rejection {
    boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
    try {
      return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
    } catch (IllegalArgumentException e) {
      throw new Rejection(what + " is not valid base64 (" + Texts.clip(e.getMessage()) + ")");
    }
  }

  static byte[] nonEmpty(byte[] bytes, String what) throws Rejection {
    if (bytes.length == 0) {
      throw new Rejection(what + " is empty");
    }
    return bytes;
  }
}
