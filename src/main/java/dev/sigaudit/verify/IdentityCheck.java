package dev.sigaudit.verify;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Signer;
import dev.sigaudit.verify.FulcioCertificate.SubjectAltName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides whether a certificate's identity is one a policy accepts: some {@link KeylessIdentity}
 * whose issuer constraint matches the OIDC issuer and whose subject constraint matches one of the
 * SANs (cosign {@code CheckCertificatePolicy}: any identity, any SAN).
 */
final class IdentityCheck {
  private IdentityCheck() {}

  /** The signer as reports show it: the matched SAN and the issuer. */
  static Signer match(FulcioCertificate cert, List<KeylessIdentity> identities) throws Rejection {
    List<String> problems = new ArrayList<>();
    for (KeylessIdentity identity : identities) {
      if (!matches(identity.issuer(), cert.oidcIssuer(), problems)) {
        continue;
      }
      for (SubjectAltName san : cert.subjectAltNames()) {
        if (matches(identity.subject(), san.value(), problems)) {
          return new Signer(san.value(), Optional.of(cert.oidcIssuer()));
        }
      }
    }
    String got =
        "subject "
            + cert.subjectAltNames().stream()
                .map(SubjectAltName::toString)
                .collect(Collectors.joining(", "))
            + " with issuer "
            + Texts.quote(cert.oidcIssuer());
    String expected =
        identities.stream().map(KeylessIdentity::describe).collect(Collectors.joining("; or "));
    String notes = problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")";
    throw new Rejection(
        "certificate identity not trusted: got " + got + ", expected " + expected + notes,
        Cause.WRONG_IDENTITY);
  }

  private static boolean matches(IdentityMatch match, String value, List<String> problems) {
    try {
      return switch (match) {
        case IdentityMatch.Exact e -> e.value().equals(value);
        case IdentityMatch.Wildcard w -> dev.sigaudit.model.Wildcard.matches(w.pattern(), value);
        case IdentityMatch.Regexp r -> GoRegexp.compile(r.pattern()).find(value);
        case IdentityMatch.Any a -> true;
      };
    } catch (Rejection r) {
      problems.add(r.getMessage());
      return false;
    }
  }
}
