package dev.sigaudit.scan;

import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.verify.IdentityMatch;
import dev.sigaudit.verify.KeylessIdentity;
import dev.sigaudit.verify.KeylessRequirements;
import dev.sigaudit.verify.SctPolicy;
import dev.sigaudit.verify.TlogPolicy;
import dev.sigaudit.verify.TrustedRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a policy's keyless attestor into what the keyless verifier checks: the identities (issuer
 * and subject, exact, wildcard or regular expression, as the policy's engine matches them) against
 * the scan's trusted root, with cosign's defaults (transparency-log evidence and SCT required).
 *
 * <p>What cannot be expressed is refused, so that the result is "could not check", never a pass:
 * roots given inline in the policy, certificate-extension requirements, and Kyverno's "issuer and
 * issuerRegExp both set" (both must match).
 */
final class KeylessPolicies {
  private KeylessPolicies() {}

  /** The requirements, or why the entry cannot be verified by sigaudit. */
  static Result requirements(AttestorEntry.Keyless k, TrustedRoot root) {
    if (k.roots().isPresent()) {
      return new Result(
          Optional.empty(),
          Optional.of("roots given in the policy are not supported yet (use --trusted-root)"));
    }
    if (!k.extensions().isEmpty()) {
      return new Result(
          Optional.empty(),
          Optional.of("certificate extension requirements are not supported yet"));
    }
    List<KeylessIdentity> ids = new ArrayList<>();
    for (AttestorEntry.Keyless.Identity i : k.identities()) {
      if (i.issuer().isPresent() && i.issuerRegExp().isPresent()) {
        return new Result(
            Optional.empty(),
            Optional.of("issuer and issuerRegExp together are not supported yet"));
      }
      IdentityMatch issuer =
          i.issuerRegExp()
              .map(IdentityMatch::regexp)
              .orElse(i.issuer().map(KeylessPolicies::plain).orElse(IdentityMatch.any()));
      // Kyverno: subject or subjectRegExp may match; two identities express "either".
      if (i.subject().isPresent()) {
        ids.add(new KeylessIdentity(issuer, plain(i.subject().get())));
      }
      if (i.subjectRegExp().isPresent()) {
        ids.add(new KeylessIdentity(issuer, IdentityMatch.regexp(i.subjectRegExp().get())));
      }
      if (i.subject().isEmpty() && i.subjectRegExp().isEmpty()) {
        ids.add(new KeylessIdentity(issuer, IdentityMatch.any()));
      }
    }
    if (ids.isEmpty()) {
      ids.add(new KeylessIdentity(IdentityMatch.any(), IdentityMatch.any()));
    }
    try {
      KeylessRequirements r = KeylessRequirements.of(ids, root);
      // What the policy itself waives (Kyverno rekor.ignoreTlog, ctlog.ignoreSCT).
      if (k.ignoreTlog()) {
        r = r.withTlog(TlogPolicy.IGNORE);
      }
      if (k.ignoreSct()) {
        r = r.withSct(SctPolicy.IGNORE);
      }
      return new Result(Optional.of(r), Optional.empty());
    } catch (IllegalArgumentException e) {
      return new Result(Optional.empty(), Optional.of("invalid identity: " + e.getMessage()));
    }
  }

  /**
   * An issuer or subject without a regular expression: Kyverno matches it with wildcards ({@code
   * *}, {@code ?}); a value without them is matched exactly, as policy-controller does.
   */
  private static IdentityMatch plain(String value) {
    return value.contains("*") || value.contains("?")
        ? IdentityMatch.wildcard(value)
        : IdentityMatch.exact(value);
  }

  /** Either requirements, or why there are none. */
  record Result(Optional<KeylessRequirements> requirements, Optional<String> unsupported) {}
}
