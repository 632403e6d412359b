package dev.sigaudit.verify;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * X.509 path validation (RFC 5280, the JDK's PKIX validator) of a leaf against the certificate
 * authorities of the trusted root. Only the trusted root's intermediates are used, never
 * certificates shipped with the signature (the legacy {@code chain} annotation, the rest of a
 * bundle's {@code x509CertificateChain}): sigstore-go builds Fulcio paths the same way, so a
 * signature cannot bring its own intermediate.
 */
final class CertificatePaths {
  private static final String ANY_EKU = "2.5.29.37.0";

  private CertificatePaths() {}

  /**
   * The Fulcio CAs {@code leaf} chains to. Validated at the leaf's {@code notBefore}, as cosign
   * does: a Fulcio leaf lives ten minutes, so "valid now" would fail every real signature. Whether
   * the signing time is inside the validity of every certificate and of the CA's {@code validFor}
   * is checked against the proven signing time later ({@link SigningTime}).
   */
  static List<TrustedRoot.CertificateAuthority> fulcioCas(X509Certificate leaf, TrustedRoot root)
      throws Rejection {
    if (root.certificateAuthorities().isEmpty()) {
      throw new Rejection("the trusted root has no Fulcio certificate authority");
    }
    Instant at = leaf.getNotBefore().toInstant();
    List<TrustedRoot.CertificateAuthority> chained = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (TrustedRoot.CertificateAuthority ca : root.certificateAuthorities()) {
      List<X509Certificate> path = new ArrayList<>();
      path.add(leaf);
      path.addAll(ca.intermediates());
      Optional<String> problem = validate(path, ca.root(), at);
      if (problem.isEmpty()) {
        problem = intermediatesAllowCodeSigning(ca.intermediates());
      }
      if (problem.isEmpty()) {
        chained.add(ca);
      } else {
        problems.add(
            ca.uri() + " " + Certificates.subject(ca.chain().get(0)) + ": " + problem.get());
      }
    }
    if (chained.isEmpty()) {
      throw new Rejection(
          "certificate (issuer "
              + Texts.clip(leaf.getIssuerX500Principal().getName())
              + ") does not chain to a Fulcio CA of the trusted root: "
              + String.join("; ", problems));
    }
    return List.copyOf(chained);
  }

  /**
   * Validates {@code path} (leaf first, up to but excluding the anchor) at {@code at}.
   *
   * @return empty when valid, else the validator's reason
   */
  static Optional<String> validate(List<X509Certificate> path, X509Certificate anchor, Instant at) {
    try {
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
      // Fulcio and TSA certificates carry no revocation information; cosign checks none either.
      params.setRevocationEnabled(false);
      params.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
      return Optional.empty();
    } catch (CertPathValidatorException e) {
      return Optional.of(Texts.clip(e.getMessage()));
    } catch (GeneralSecurityException e) {
      return Optional.of("cannot validate: " + Texts.clip(e.getMessage()));
    }
  }

  /**
   * Go's verifier (which cosign and sigstore-go use) requires every CA in the path that restricts
   * its extended key usage to allow code signing; the JDK's PKIX validator does not look.
   */
  private static Optional<String> intermediatesAllowCodeSigning(List<X509Certificate> cas) {
    for (X509Certificate ca : cas) {
      try {
        List<String> ekus = ca.getExtendedKeyUsage();
        if (ekus != null
            && !ekus.contains(FulcioCertificate.CODE_SIGNING)
            && !ekus.contains(ANY_EKU)) {
          return Optional.of(
              "intermediate " + Certificates.subject(ca) + " does not allow code signing");
        }
      } catch (CertificateParsingException e) {
        return Optional.of("intermediate " + Certificates.subject(ca) + " has a malformed EKU");
      }
    }
    return Optional.empty();
  }
}
