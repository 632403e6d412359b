package dev.sigaudit.verify;

import dev.sigaudit.model.TrustedKey;
import java.util.stream.Collectors;

/** Verifies raw signature bytes with a trusted key, trying each scheme its key type allows. */
final class KeySignatures {
  private KeySignatures() {}

  /**
   * The scheme under which {@code signature} verifies over {@code message}.
   *
   * @param what names the signed bytes in the message, e.g. "payload" or "DSSE PAE"
   * @throws Rejection naming the key and the schemes tried when none verifies
   */
  static SignatureScheme verify(TrustedKey key, byte[] message, byte[] signature, String what)
      throws Rejection {
    KeyType type = KeyType.of(key.key());
    for (SignatureScheme scheme : type.acceptedSchemes()) {
      if (scheme.verifies(key.key(), message, signature)) {
        return scheme;
      }
    }
    String tried =
        type.acceptedSchemes().stream()
            .map(SignatureScheme::label)
            .collect(Collectors.joining(", "));
    throw new Rejection(
        "signature over the "
            + what
            + " does not verify with key "
            + key.fingerprint()
            + " ("
            + KeyType.describe(key.key())
            + "; tried "
            + tried
            + ")");
  }
}
