package dev.sigaudit.scan;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.Authority;
import dev.sigaudit.policy.KeylessCompiler;
import dev.sigaudit.policy.VerificationRequest;
import dev.sigaudit.signature.Discovery;
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

  /**
   * The key naming {@code request}'s verdict when its signatures are read through {@code k}: by the
   * compiled requirement's canonical id, so equal requirements share a verdict whichever policy
   * dialect spelled them; an entry sigaudit cannot check keeps its authority's id.
   */
  VerdictKey key(LookupKey k, VerificationRequest request) {
    String requirement =
        switch (request.authority()) {
              case Authority.Key key -> key.requirement().id();
              case Authority.Presence p -> p.id();
              case Authority.Keyless kl ->
                  keyless.of(kl.entry()) instanceof KeylessCompiler.Compiled.Supported s
                      ? s.requirement().id()
                      : kl.id();
            }
            // An engine that reads only some of the candidates may decide otherwise.
            + request.readingId();
    return new VerdictKey(k, requirement, request.formats(), verifier.trustedRootDigest());
  }

  /**
   * Verifies each distinct request of {@code lookups} once.
   *
   * @param known verdicts already reached from the same lookups' findings ({@link #verifyLookup}),
   *     kept as they are unless the deadline has since cut their lookup short
   */
  Map<VerdictKey, Verdict> verifyAll(
      Map<LookupKey, Set<VerificationRequest>> requests,
      SignatureCollector.Collected collected,
      Map<VerdictKey, Verdict> known,
      Bounded pool)
      throws InterruptedException {
    Map<VerdictKey, VerificationRequest> distinct = new HashMap<>();
    Map<VerdictKey, Verdict> out = new ConcurrentHashMap<>();
    requests.forEach(
        (k, rs) ->
            rs.forEach(
                r -> {
                  VerdictKey vk = key(k, r);
                  Verdict v = known.get(vk);
                  if (v != null && !collected.pastDeadline().contains(k)) {
                    out.put(vk, v);
                  } else {
                    distinct.putIfAbsent(vk, r);
                  }
                }));
    pool.runAll(
        distinct.keySet(),
        vk -> {
          Verdict v;
          try {
            v = verdict(vk, distinct.get(vk), collected);
          } catch (RuntimeException e) {
            // A bug must become an error result, never a lost verdict or a pass.
            v = new Verdict.CheckError("verifying signatures failed: " + e);
          }
          out.put(vk, v);
        });
    return out;
  }

  /**
   * The verdicts of one completed lookup's requests, from what it alone found ({@code alone}), in
   * the calling thread: the same verdicts {@link #verifyAll} reaches for them.
   */
  Map<VerdictKey, Verdict> verifyLookup(
      LookupKey k, Set<VerificationRequest> requests, SignatureCollector.Collected alone) {
    Map<VerdictKey, Verdict> out = new HashMap<>();
    for (VerificationRequest r : requests) {
      VerdictKey vk = key(k, r);
      Verdict v;
      try {
        v = verdict(vk, r, alone);
      } catch (RuntimeException e) {
        v = new Verdict.CheckError("verifying signatures failed: " + e);
      }
      out.put(vk, v);
    }
    return out;
  }

  private Verdict verdict(
      VerdictKey vk, VerificationRequest request, SignatureCollector.Collected collected) {
    String unreadable = collected.unreadable().get(vk.lookup());
    if (unreadable != null
        && request.authority() instanceof Authority.Presence p
        && p.imageMustExist()) {
      return new Verdict.CheckError(unreadable);
    }
    Map<VerdictKey, Verdict> cached = collected.cached().get(vk.lookup());
    if (cached != null) {
      return cached.getOrDefault(vk, new Verdict.CheckError("no cached verdict for this key"));
    }
    Discovery found =
        collected.found().getOrDefault(vk.lookup(), Discovery.Failed.of("not looked up"));
    Verdict v = verify(vk.lookup().digest(), found.candidates(), request);
    return switch (found) {
      case Discovery.Found f -> v;
      // A verified candidate proves the signature; anything else might be behind the failure.
      case Discovery.Failed f ->
          v instanceof Verdict.Verified
              ? v
              : new Verdict.CheckError(
                  f.cause(),
                  collected.pastDeadline().contains(vk.lookup())
                      ? Cause.DEADLINE
                      : Causes.of(f.kind()));
    };
  }

  /**
   * Verifies only the candidates in a format the request accepts (a Kyverno {@code Cosign} rule
   * never sees a bundle); candidates in other formats are named in the rejection, so a report says
   * "signed, but not in a format this policy reads" instead of "unsigned".
   */
  Verdict verify(Digest digest, List<SignatureCandidate> candidates, VerificationRequest request) {
    List<SignatureCandidate> accepted = request.select(candidates);
    if (accepted.isEmpty() && !candidates.isEmpty()) {
      boolean onlyLegacy =
          candidates.stream().allMatch(c -> c.format() == SignatureFormat.LEGACY_TAG);
      return new Verdict.Rejected(
          candidates.stream()
              .map(
                  c ->
                      c.format().label()
                          + " "
                          + c.sourceManifest().shortForm()
                          + ": a signature format the policy does not read")
              .toList(),
          onlyLegacy ? Cause.LEGACY_NOT_READ : Cause.BUNDLE_NOT_READ);
    }
    return switch (request.authority()) {
      case Authority.Key key -> verifier.verify(digest, accepted, key.requirement());
      // A signer sigaudit cannot verify: only whether the engine would find signatures at all.
      case Authority.Presence p ->
          accepted.isEmpty()
              ? new Verdict.Unsigned()
              : new Verdict.CheckError(Authority.Presence.SIGNED, Cause.SIGNER_NOT_CHECKABLE);
      case Authority.Keyless k ->
          switch (keyless.of(k.entry())) {
            case KeylessCompiler.Compiled.Supported s ->
                verifier.verify(digest, accepted, s.requirement());
            case KeylessCompiler.Compiled.Unsupported u ->
                new Verdict.CheckError(k.describe() + ": " + u.reason(), Cause.UNSUPPORTED);
          };
    };
  }
}
