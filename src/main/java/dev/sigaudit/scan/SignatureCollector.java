package dev.sigaudit.scan;

import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.VerificationRequest;
import dev.sigaudit.signature.SignatureState;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stage 2: the signatures of each planned lookup, concurrently, or the cached verdicts when a cheap
 * check shows the signatures unchanged (docs/decisions/0005-verification-cache.md). After the
 * judgement, {@link #record} stores the fresh verdicts for the next run.
 *
 * <p>Bundles are read first; once a bundle verified for every request of a lookup, its {@code .sig}
 * lookup is skipped, as cosign stops at the first format that verifies.
 */
final class SignatureCollector {
  private final RegistryAccess registries;
  private final VerificationCache cache;
  private final Verification verification;
  private final ScanListener listener;
  private final boolean inventoryMode;

  SignatureCollector(
      RegistryAccess registries,
      VerificationCache cache,
      Verification verification,
      ScanSettings settings) {
    this.registries = registries;
    this.cache = cache;
    this.verification = verification;
    this.listener = settings.listener();
    this.inventoryMode = settings.inventoryMode();
  }

  /** What each lookup found; every key of {@code lookups} gets an answer. */
  Map<LookupKey, SignatureLookup.Lookup> collect(
      Map<LookupKey, Set<VerificationRequest>> lookups, Bounded pool) throws InterruptedException {
    listener.lookupsPlanned(lookups.size());
    Map<LookupKey, SignatureLookup.Lookup> out = new ConcurrentHashMap<>();
    pool.runAll(
        lookups.keySet(),
        k -> {
          SignatureLookup.Lookup l;
          try {
            l = lookUp(k, lookups.get(k));
          } catch (RuntimeException e) {
            // A bug or an unexpected answer must become an error result, never a lost container.
            l = new SignatureLookup.Lookup.Failed("looking up signatures failed: " + e);
          }
          out.put(k, l);
          listener.lookupDone(l instanceof SignatureLookup.Lookup.Failed);
        });
    return out;
  }

  private SignatureLookup.Lookup lookUp(LookupKey k, Set<VerificationRequest> needed) {
    // The inventory describes the signatures themselves: nothing cached stands for them.
    Optional<SignatureLookup.Lookup> cached =
        inventoryMode ? Optional.empty() : fromCache(k, needed);
    if (cached.isPresent()) {
      return cached.get();
    }
    return registries.find(
        k.repository(),
        k.digest(),
        k.scope(),
        bundles ->
            !needed.isEmpty()
                && needed.stream()
                    .allMatch(
                        r ->
                            verification.verify(k.digest(), bundles, r)
                                instanceof Verdict.Verified));
  }

  /**
   * Cached verdicts for {@code k}, if the signatures are provably unchanged. Only the formats that
   * could change the outcome are checked: a pass from bundles stands while the bundles do (a new
   * {@code .sig} cannot take it away), likewise from {@code .sig}; anything else checks both.
   */
  private Optional<SignatureLookup.Lookup> fromCache(LookupKey k, Set<VerificationRequest> needed) {
    Optional<VerificationCache.Hit> hit =
        cache.lookup(k, needed.stream().map(r -> verification.key(k, r)).toList());
    if (hit.isEmpty()) {
      return Optional.empty();
    }
    var verdicts = hit.get().verdicts().values();
    boolean allVerified = verdicts.stream().allMatch(v -> v instanceof Verdict.Verified);
    boolean viaLegacy =
        verdicts.stream()
            .allMatch(
                v -> v instanceof Verdict.Verified ok && ok.format() == SignatureFormat.LEGACY_TAG);
    boolean viaBundles =
        verdicts.stream()
            .allMatch(
                v -> v instanceof Verdict.Verified ok && ok.format() != SignatureFormat.LEGACY_TAG);
    boolean checkBundles = !(allVerified && viaLegacy);
    boolean checkLegacy = !(allVerified && viaBundles);
    Optional<SignatureState> now =
        registries.state(k.repository(), k.digest(), k.scope(), checkBundles, checkLegacy);
    SignatureState then = hit.get().state();
    if (now.isEmpty()
        || (checkBundles && !now.get().bundles().equals(then.bundles()))
        || (checkLegacy && !now.get().legacy().equals(then.legacy()))) {
      return Optional.empty();
    }
    cache.keep(hit.get());
    return Optional.of(new SignatureLookup.Lookup.Cached(hit.get().verdicts()));
  }

  /** Stores the fresh verdicts of every complete lookup for the next run. */
  void record(Map<LookupKey, SignatureLookup.Lookup> lookups, Map<VerdictKey, Verdict> verdicts) {
    Map<LookupKey, Map<VerdictKey, Verdict>> byLookup = new HashMap<>();
    verdicts.forEach(
        (vk, v) -> byLookup.computeIfAbsent(vk.lookup(), x -> new HashMap<>()).put(vk, v));
    byLookup.forEach(
        (k, fresh) -> {
          if (lookups.get(k) instanceof SignatureLookup.Lookup.Found f) {
            cache.record(k, f.state(), fresh);
          }
        });
  }
}
