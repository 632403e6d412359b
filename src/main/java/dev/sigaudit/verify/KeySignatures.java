package dev.sigaudit.verify;

import dev.sigaudit.model.TrustedKey;
import java.security.PublicKey;
import java.util.stream.Collectors;

/** Verifies raw signature bytes with a public key, trying each scheme its key type allows. */
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
    return verify(key.key(), "key " + key.fingerprint(), message, signature, what);
  }

  /**
   * As {@link #verify(TrustedKey, byte[], byte[], String)} for any key, e.g. a certificate's.
   *
   * @param keyName how messages name the key, e.g. "the certificate's key"
   */
  static SignatureScheme verify(
      PublicKey key, String keyName, byte[] message, byte[] signature, String what)
      throws Rejection {
    KeyType type;
    try {
      type = KeyType.of(key);
    } catch (InvalidPublicKeyException e) {
      throw new Rejection(keyName + " is unusable: " + e.getMessage());
    }
    for (SignatureScheme scheme : type.acceptedSchemes()) {
      if (scheme.verifies(key, message, signature)) {
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
            + " does not verify with "
            + keyName
            + " ("
            + KeyType.describe(key)
            + "; tried "
            + tried
            + ")");
  }
}
