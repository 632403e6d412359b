package dev.sigaudit.policy;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.model.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link VerdictSource} for tests: which digests carry a signature by which key in which format,
 * answered as the scanner answers (a signature in a format the request does not accept is named in
 * a rejection, never verified). Everything else is unsigned.
 */
public final class FakeVerdicts implements VerdictSource {
  private record Signature(Digest digest, String fingerprint) {}

  private final Map<Signature, SignatureFormat> signed = new HashMap<>();
  private final Map<Signature, String> errors = new HashMap<>();
  public final List<VerificationRequest> asked = new ArrayList<>();

  /** {@code digest} carries a signature by {@code key} in {@code format}. */
  public FakeVerdicts signed(Digest digest, TrustedKey key, SignatureFormat format) {
    signed.put(new Signature(digest, key.fingerprint()), format);
    return this;
  }

  /** {@code digest} carries a legacy {@code .sig} signature by {@code key}. */
  public FakeVerdicts signed(Digest digest, TrustedKey key) {
    return signed(digest, key, SignatureFormat.LEGACY_TAG);
  }

  /** {@code digest} carries a legacy signature by {@code authority} (a key or a keyless signer). */
  public FakeVerdicts signed(Digest digest, Authority authority) {
    signed.put(new Signature(digest, id(authority)), SignatureFormat.LEGACY_TAG);
    return this;
  }

  /** Checking {@code authority}'s signatures of {@code digest} fails. */
  public FakeVerdicts failing(Digest digest, Authority authority, String cause) {
    errors.put(new Signature(digest, id(authority)), cause);
    return this;
  }

  /** Looking up signatures of {@code digest} for {@code key} fails. */
  public FakeVerdicts failing(Digest digest, TrustedKey key, String cause) {
    errors.put(new Signature(digest, key.fingerprint()), cause);
    return this;
  }

  /** Whether the digest carries any signature, as the scanner answers a presence request. */
  private Verdict presence(VerificationRequest r) {
    List<SignatureFormat> found =
        signed.entrySet().stream()
            .filter(e -> e.getKey().digest().equals(r.image().digest()))
            .map(Map.Entry::getValue)
            .toList();
    if (found.isEmpty()) {
      return new Verdict.Unsigned();
    }
    if (found.stream().noneMatch(r.formats()::contains)) {
      return new Verdict.Rejected(
          found.stream()
              .map(f -> f.label() + ": a signature format the policy does not read")
              .toList());
    }
    return new Verdict.CheckError("signed, but sigaudit cannot verify who signed");
  }

  /**
   * The authority's id without how its key is read: which hash or predicate a signature uses is the
   * verifier's business (tested in {@code dev.sigaudit.verify}); here a key signs or does not.
   */
  private static String id(Authority a) {
    return a instanceof Authority.Key k
        ? k.key().fingerprint() + (k.requireTlog() ? "+tlog" : "")
        : a.id();
  }

  @Override
  public Verdict verdict(VerificationRequest r) {
    asked.add(r);
    if (r.authority() instanceof Authority.Presence) {
      return presence(r);
    }
    Signature s = new Signature(r.image().digest(), id(r.authority()));
    if (errors.containsKey(s)) {
      return new Verdict.CheckError(errors.get(s));
    }
    SignatureFormat f = signed.get(s);
    if (f == null) {
      return new Verdict.Unsigned();
    }
    if (!r.formats().contains(f)) {
      return new Verdict.Rejected(
          List.of(f.label() + ": a signature format the policy does not read"));
    }
    return new Verdict.Verified(f, Signer.key(r.authority().id()), r.image().digest());
  }
}
