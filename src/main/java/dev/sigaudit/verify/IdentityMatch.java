package dev.sigaudit.verify;

import java.util.Objects;

/**
 * How one part of a keyless identity (the OIDC issuer or the certificate subject) must match. The
 * policy dialects do not agree, so each rule is its own case and the policy compiler picks the one
 * its source means:
 *
 * <ul>
 *   <li>{@link Exact} — cosign {@code --certificate-identity}/{@code --certificate-oidc-issuer},
 *       policy-controller {@code identities[].subject}/{@code issuer}, Kyverno {@code
 *       ImageValidatingPolicy} and {@code type: SigstoreBundle}: string equality.
 *   <li>{@link Wildcard} — Kyverno {@code ClusterPolicy} {@code keyless.subject}/{@code issuer}
 *       with {@code type: Cosign}: Kyverno matches them with {@code wildcard.Match} ({@code *} and
 *       {@code ?}, whole value), not by equality ({@code pkg/image/verifiers/cpol/cosign/cosign.go
 *       matchCertificateData}).
 *   <li>{@link Regexp} — every dialect's {@code subjectRegExp}/{@code issuerRegExp}: Go {@code
 *       regexp.MatchString}, which is <b>not anchored</b>.
 *   <li>{@link Any} — no constraint (Kyverno and cosign allow leaving one side out).
 * </ul>
 */
public sealed interface IdentityMatch {

  /** The constraint for messages, e.g. {@code "x@example.com"} or {@code regexp "^x@.*$"}. */
  String describe();

  static IdentityMatch exact(String value) {
    return new Exact(value);
  }

  static IdentityMatch regexp(String pattern) {
    return new Regexp(pattern);
  }

  static IdentityMatch wildcard(String pattern) {
    return new Wildcard(pattern);
  }

  static IdentityMatch any() {
    return new Any();
  }

  /** The value must equal {@code value}, byte for byte (no case folding, no trimming). */
  record Exact(String value) implements IdentityMatch {
    public Exact {
      Objects.requireNonNull(value);
      if (value.isEmpty()) {
        throw new IllegalArgumentException("an exact identity must not be empty (use any())");
      }
    }

    @Override
    public String describe() {
      return Texts.quote(value);
    }
  }

  /**
   * The value must contain a match of a Go regular expression.
   *
   * <p>Anchoring, checked in the sources: cosign {@code pkg/cosign/verify.go
   * CheckCertificatePolicy} calls {@code regexp.Compile(identity.SubjectRegExp)} then {@code
   * regex.MatchString(san)}; sigstore-go {@code pkg/verify/certificate_identity.go} documents
   * "regexp matching is not anchored by default; use ^...$"; Kyverno {@code
   * pkg/image/verifiers/cpol/cosign/cosign.go matchCertificateData} and policy-controller ({@code
   * pkg/webhook/validator.go checkOptsFromAuthority} → cosign) do the same. So {@code
   * subjectRegExp: .*@acme\.com} also matches {@code mallory@acme.com.attacker.example}, and {@code
   * https://github\.com/acme/} matches a URI that merely contains it. sigaudit reports what the
   * admission controllers decide, so it matches unanchored too; policy authors must write {@code
   * ^…$}.
   */
  record Regexp(String pattern) implements IdentityMatch {
    /**
     * @throws IllegalArgumentException when {@code pattern} is not a valid Go regular expression
     */
    public Regexp {
      GoRegexp.compile(pattern); // fail at policy load, not while checking an image
    }

    @Override
    public String describe() {
      return "regexp " + Texts.quote(pattern);
    }
  }

  /** Kyverno's wildcard match ({@link dev.sigaudit.model.Wildcard}) over the whole value. */
  record Wildcard(String pattern) implements IdentityMatch {
    public Wildcard {
      Objects.requireNonNull(pattern);
    }

    @Override
    public String describe() {
      return "wildcard " + Texts.quote(pattern);
    }
  }

  /** No constraint. */
  record Any() implements IdentityMatch {
    @Override
    public String describe() {
      return "any";
    }
  }
}
