package dev.sigaudit.scan;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.Authority;
import dev.sigaudit.policy.KeylessCompiler;
import dev.sigaudit.policy.VerificationRequest;
import dev.sigaudit.verify.Requirement;
import dev.sigaudit.verify.Verifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stage 3: every distinct request of the plan verified once, concurrently, from what the lookups
 * found; the judge then only reads the verdicts. A request's authority becomes a {@link
 * Requirement} (keyless entries were compiled once, with the policies) and only candidates in a
 * format the request accepts are verified.
 */
final class Verification {
  private final Verifier verifier;
  private final KeylessCompiler.Table keyless;

  Verification(Verifier verifier, KeylessCompiler.Table keyless) {
    this.verifier = verifier;
    this.keyless = keyless;
  }

  /** The key naming {@code request}'s verdict when its signatures are read through {@code k}. */
  VerdictKey key(LookupKey k, VerificationRequest request) {
    return new VerdictKey(
        k, request.authority().id(), request.formats(), verifier.trustedRootDigest());
  }

  /** Verifies each distinct request of {@code lookups} once. */
  Map<VerdictKey, Verdict> verifyAll(
      Map<LookupKey, Set<VerificationRequest>> requests,
      Map<LookupKey, SignatureLookup.Lookup> lookups,
      Bounded pool)
      throws InterruptedException {
    Map<VerdictKey, VerificationRequest> distinct = new HashMap<>();
    requests.forEach((k, rs) -> rs.forEach(r -> distinct.putIfAbsent(key(k, r), r)));
    Map<VerdictKey, Verdict> out = new ConcurrentHashMap<>();
    pool.runAll(
        distinct.keySet(),
        vk -> {
          Verdict v;
          try {
            v = verdict(vk, distinct.get(vk), lookups.get(vk.lookup()));
          } catch (RuntimeException e) {
            // A bug must become an error result, never a lost verdict or a pass.
            v = new Verdict.CheckError("verifying signatures failed: " + e);
          }
          out.put(vk, v);
        });
    return out;
  }

  private Verdict verdict(
      VerdictKey vk, VerificationRequest request, SignatureLookup.Lookup lookup) {
    return switch (lookup == null ? new SignatureLookup.Lookup.Failed("not looked up") : lookup) {
      case SignatureLookup.Lookup.Failed f -> new Verdict.CheckError(f.cause());
      case SignatureLookup.Lookup.Found f -> verify(vk.lookup().digest(), f.candidates(), request);
      case SignatureLookup.Lookup.Partial p -> {
        // A verified candidate proves the signature; anything else might be behind the failure.
        Verdict v = verify(vk.lookup().digest(), p.candidates(), request);
        yield v instanceof Verdict.Verified ? v : new Verdict.CheckError(p.cause());
      }
      case SignatureLookup.Lookup.Cached c ->
          c.verdicts().getOrDefault(vk, new Verdict.CheckError("no cached verdict for this key"));
    };
  }

  /**
   * Verifies only the candidates in a format the request accepts (a Kyverno {@code Cosign} rule
   * never sees a bundle); candidates in other formats are named in the rejection, so a report says
   * "signed, but not in a format this policy reads" instead of "unsigned".
   */
  Verdict verify(Digest digest, List<SignatureCandidate> candidates, VerificationRequest request) {
    List<SignatureCandidate> accepted =
        candidates.stream().filter(c -> request.formats().contains(c.format())).toList();
    if (accepted.isEmpty() && !candidates.isEmpty()) {
      return new Verdict.Rejected(
          candidates.stream()
              .map(
                  c ->
                      c.format().label()
                          + " "
                          + c.sourceManifest().shortForm()
                          + ": a signature format the policy does not read")
              .toList());
    }
    return switch (request.authority()) {
      case Authority.Key key -> verifier.verify(digest, accepted, key.requirement());
      case Authority.Keyless k ->
          switch (keyless.of(k.entry())) {
            case KeylessCompiler.Compiled.Supported s ->
                verifier.verify(digest, accepted, s.requirement());
            case KeylessCompiler.Compiled.Unsupported u ->
                new Verdict.CheckError(k.describe() + ": " + u.reason());
          };
    };
  }
}
