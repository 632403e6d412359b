package dev.sigaudit.verify;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.TrustedKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * What a signature must prove to be {@link dev.sigaudit.model.Verdict.Verified}, as {@link
 * Verifier} checks it: a public key (with its transparency-log rule), or a keyless identity. The
 * trusted root is not part of a requirement: one root serves the whole scan and {@link Verifier}
 * holds it.
 *
 * <p>{@link #id()} names a requirement in the verification cache and across one scan's requests, so
 * it is canonical: equal requirements give equal ids in every JVM, whatever the order in which a
 * policy listed its identities.
 */
public sealed interface Requirement {

  /** A stable, canonical identifier (no hash-order, no {@code toString()} of collections). */
  String id();

  /** For messages. */
  String describe();

  /** A public key; with {@link TlogPolicy#REQUIRE}, a verified Rekor entry of the root as well. */
  record Key(TrustedKey key, TlogPolicy tlog) implements Requirement {
    public Key {
      Objects.requireNonNull(key);
      Objects.requireNonNull(tlog);
    }

    @Override
    public String id() {
      // The acceptance is part of the identity: one key read by two engines' rules may verify
      // under one reading and not the other (a P-384 signature hashed with SHA-384).
      return key.fingerprint()
          + key.acceptance().idSuffix()
          + (tlog == TlogPolicy.REQUIRE ? "+tlog" : "");
    }

    @Override
    public String describe() {
      return "key " + key.fingerprint();
    }
  }

  /**
   * A Fulcio certificate for one of {@code identities}, with the transparency and time evidence the
   * policy asks for (see {@link KeylessRequirements}).
   */
  record Keyless(
      List<KeylessIdentity> identities, TlogPolicy tlog, SctPolicy sct, TimestampPolicy timestamp)
      implements Requirement {
    public Keyless {
      identities = List.copyOf(identities);
      if (identities.isEmpty()) {
        throw new IllegalArgumentException("keyless verification needs at least one identity");
      }
      Objects.requireNonNull(tlog);
      Objects.requireNonNull(sct);
      Objects.requireNonNull(timestamp);
    }

    /** cosign's defaults: tlog and SCT required, timestamps optional. */
    public static Keyless of(List<KeylessIdentity> identities) {
      return new Keyless(
          identities, TlogPolicy.REQUIRE, SctPolicy.REQUIRE, TimestampPolicy.OPTIONAL);
    }

    /** The same requirement checked against {@code root}. */
    KeylessRequirements against(TrustedRoot root) {
      return new KeylessRequirements(this, root);
    }

    /**
     * {@code keyless:} and a hash of the canonical text: identities sorted (any one suffices, so
     * their order means nothing), each part length-prefixed so no two requirements share a text.
     */
    @Override
    public String id() {
      StringBuilder canonical = new StringBuilder();
      identities.stream()
          .map(i -> canonical(i.issuer()) + canonical(i.subject()))
          .sorted()
          .distinct()
          .forEach(canonical::append);
      canonical.append("|tlog=").append(tlog).append("|sct=").append(sct);
      canonical.append("|timestamp=").append(timestamp);
      return "keyless:"
          + Digest.sha256(canonical.toString().getBytes(StandardCharsets.UTF_8))
              .hex()
              .substring(0, 24);
    }

    private static String canonical(IdentityMatch m) {
      String kind;
      String value;
      switch (m) {
        case IdentityMatch.Exact e -> {
          kind = "exact";
          value = e.value();
        }
        case IdentityMatch.Wildcard w -> {
          kind = "wildcard";
          value = w.pattern();
        }
        case IdentityMatch.Regexp r -> {
          kind = "regexp";
          value = r.pattern();
        }
        case IdentityMatch.Any a -> {
          kind = "any";
          value = "";
        }
      }
      return kind + ":" + value.length() + ":" + value + ";";
    }

    @Override
    public String describe() {
      return "keyless ("
          + String.join(" or ", identities.stream().map(KeylessIdentity::describe).toList())
          + ")";
    }
  }
}
