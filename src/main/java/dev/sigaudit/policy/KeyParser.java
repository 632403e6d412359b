package dev.sigaudit.policy;

import dev.sigaudit.model.TrustedKey;

/**
 * Turns the PEM text of a public key found in a policy into a {@link TrustedKey}. An interface so
 * that policy loaders can share one parser with the verifier.
 */
@FunctionalInterface
public interface KeyParser {
  /**
   * Parses exactly one {@code PUBLIC KEY} block.
   *
   * @throws IllegalArgumentException with a short reason (no block, wrong block type, unsupported
   *     algorithm or curve, bad encoding) when {@code pem} is not an acceptable public key
   */
  TrustedKey parse(String pem);
}
