package dev.sigaudit.scan;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureFormat;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a verdict depends on, except the signatures themselves (whose state the cache compares
 * before reuse): where they were read ({@code lookup}: repository, digest, credential scope), the
 * requirement they must meet ({@code requirement}: the canonical {@code verify.Requirement} id, a
 * key fingerprint with its tlog rule or a hash of the keyless identities and evidence rules; the
 * authority's id for an entry sigaudit cannot check), the formats the policy reads, and the trusted
 * root keyless signatures and tlog entries are checked against. Names a verdict within a scan and
 * in the verification cache.
 */
public record VerdictKey(
    LookupKey lookup, String requirement, Set<SignatureFormat> formats, Digest trustedRoot) {
  public VerdictKey {
    Objects.requireNonNull(lookup);
    Objects.requireNonNull(requirement);
    formats = Set.copyOf(formats);
    Objects.requireNonNull(trustedRoot);
  }

  /**
   * The verdict's name inside its cache entry (the entry is the lookup): canonical, so that equal
   * keys give equal names in every run.
   */
  String cacheName() {
    return requirement
        + " "
        + formats.stream().map(Enum::name).sorted().toList()
        + " root:"
        + trustedRoot.hex();
  }
}
