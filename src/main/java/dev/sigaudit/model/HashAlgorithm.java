package dev.sigaudit.model;

import java.util.Locale;
import java.util.Optional;

/**
 * The hash a policy tells its engine to verify signatures with ({@code signatureAlgorithm} of a
 * Kyverno key, {@code hashAlgorithm} of an ImageValidatingPolicy or ClusterImagePolicy key): the
 * values sigstore's {@code signature.LoadVerifier} is given by both engines.
 */
public enum HashAlgorithm {
  SHA224("sha224"),
  SHA256("sha256"),
  SHA384("sha384"),
  SHA512("sha512");

  private final String label;

  HashAlgorithm(String label) {
    this.label = label;
  }

  /** The name policies use, e.g. {@code sha384}. */
  public String label() {
    return label;
  }

  /** The algorithm spelled exactly {@code name} (lower case, as Kyverno's map requires). */
  public static Optional<HashAlgorithm> named(String name) {
    for (HashAlgorithm h : values()) {
      if (h.label.equals(name)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  /** As {@link #named}, ignoring case and surrounding blanks (policy-controller's reading). */
  public static Optional<HashAlgorithm> namedLoosely(String name) {
    return named(name.strip().toLowerCase(Locale.ROOT));
  }
}
