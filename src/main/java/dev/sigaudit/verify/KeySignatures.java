package dev.sigaudit.verify;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.TrustedKey;
import java.security.PublicKey;
import java.util.List;
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
    String keyName = "key " + key.fingerprint();
    KeyType type;
    try {
      type = KeyType.of(key.key());
    } catch (InvalidPublicKeyException e) {
      throw new Rejection(keyName + " is unusable: " + e.getMessage());
    }
    List<SignatureScheme> schemes = type.schemesFor(key.acceptance());
    if (schemes.isEmpty()) {
      // The engine cannot even load this key with the policy's hash, so it accepts nothing.
      throw new Rejection(
          keyName
              + " ("
              + KeyType.describe(key.key())
              + ") cannot be used with "
              + key.acceptance().engineHash().map(h -> h.label()).orElse("?")
              + " by the policy's engine (sigstore verifies RSA with SHA-256, SHA-384 or SHA-512)");
    }
    try {
      return verify(key.key(), type, schemes, keyName, message, signature, what);
    } catch (Rejection r) {
      // The policy's own key does not verify it: someone else signed (or the bytes changed since,
      // which no signature check can tell apart).
      throw new Rejection(r.getMessage(), Cause.WRONG_KEY);
    }
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
    return verify(key, type, type.acceptedSchemes(), keyName, message, signature, what);
  }

  private static SignatureScheme verify(
      PublicKey key,
      KeyType type,
      List<SignatureScheme> schemes,
      String keyName,
      byte[] message,
      byte[] signature,
      String what)
      throws Rejection {
    for (SignatureScheme scheme : schemes) {
      if (scheme.verifies(key, message, signature)) {
        return scheme;
      }
    }
    String tried = schemes.stream().map(SignatureScheme::label).collect(Collectors.joining(", "));
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
