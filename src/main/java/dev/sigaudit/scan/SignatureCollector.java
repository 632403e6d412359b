package dev.sigaudit.scan;

import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.Authority;
import dev.sigaudit.policy.VerificationRequest;
import dev.sigaudit.signature.Discovery;
import dev.sigaudit.signature.SignatureRoute;
import dev.sigaudit.signature.SignatureState;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

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
  private final UnaryOperator<String> deadlineMissed;

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
    this.deadlineMissed = settings::deadlineMissed;
  }

  /**
   * What stage 2 hands on: for each lookup, either what the registry has now ({@code found}) or the
   * verdicts of a previous scan for unchanged signatures ({@code cached}), never both; and, for the
   * lookups whose requests need the image itself ({@link Authority.Presence#imageMustExist()}), why
   * it could not be read ({@code unreadable}).
   */
  record Collected(
      Map<LookupKey, Discovery> found,
      Map<LookupKey, Map<VerdictKey, Verdict>> cached,
      Map<LookupKey, String> unreadable,
      Set<LookupKey> pastDeadline) {
    Collected {
      found = Map.copyOf(found);
      cached = Map.copyOf(cached);
      unreadable = Map.copyOf(unreadable);
      pastDeadline = Set.copyOf(pastDeadline);
    }

    Collected(Map<LookupKey, Discovery> found, Map<LookupKey, Map<VerdictKey, Verdict>> cached) {
      this(found, cached, Map.of(), Set.of());
    }
  }

  /**
   * What each lookup found; every key of {@code lookups} gets an answer.
   *
   * @param done told of each lookup that completed, with what it alone found, as soon as it did
   *     (from the lookup's own thread); a lookup the deadline cuts short later is in the result's
   *     {@code pastDeadline} all the same
   */
  Collected collect(
      Map<LookupKey, Set<VerificationRequest>> lookups,
      Bounded pool,
      BiConsumer<LookupKey, Collected> done)
      throws InterruptedException {
    listener.lookupsPlanned(lookups.size());
    Map<LookupKey, Discovery> found = new ConcurrentHashMap<>();
    Map<LookupKey, Map<VerdictKey, Verdict>> cached = new ConcurrentHashMap<>();
    Map<LookupKey, String> unreadable = new ConcurrentHashMap<>();
    // Lookups whose answer was recorded before any interrupt: complete, even when the deadline
    // then interrupts the hand-off that follows in the same task.
    Set<LookupKey> recorded = ConcurrentHashMap.newKeySet();
    Set<LookupKey> unfinished =
        pool.runAll(
            lookups.keySet(),
            k -> {
              Set<VerificationRequest> needed = lookups.get(k);
              Discovery d;
              try {
                // The inventory describes the signatures themselves: nothing cached stands for
                // them.
                Optional<Map<VerdictKey, Verdict>> reused =
                    inventoryMode ? Optional.empty() : fromCache(k, needed);
                if (reused.isPresent()) {
                  // A digest can be deleted while its signatures stay: asked again every run.
                  Optional<String> problem = imageProblem(k, needed);
                  problem.ifPresent(cause -> unreadable.put(k, cause));
                  cached.put(k, reused.get());
                  listener.lookupDone(false);
                  tell(
                      done,
                      recorded,
                      k,
                      new Collected(
                          Map.of(),
                          Map.of(k, reused.get()),
                          problem.map(cause -> Map.of(k, cause)).orElse(Map.of()),
                          Set.of()));
                  return;
                }
                d = lookUp(k, needed);
                if (d instanceof Discovery.Found) {
                  imageProblem(k, needed).ifPresent(cause -> unreadable.put(k, cause));
                }
              } catch (RuntimeException e) {
                // A bug or an unexpected answer must become an error result, never a lost
                // container.
                d = Discovery.Failed.of("looking up signatures failed: " + e);
              }
              found.put(k, d);
              if (!d.notes().isEmpty()) {
                listener.lookupNotes(k.image(), d.notes());
              }
              listener.lookupDone(d instanceof Discovery.Failed f && f.candidates().isEmpty());
              String problem = unreadable.get(k);
              tell(
                  done,
                  recorded,
                  k,
                  new Collected(
                      Map.of(k, d),
                      Map.of(),
                      problem == null ? Map.of() : Map.of(k, problem),
                      Set.of()));
            });
    listener.lookupRoundTrips(registries.roundTrips());
    Set<LookupKey> missed = new java.util.HashSet<>(unfinished);
    missed.removeAll(recorded);
    for (LookupKey k : missed) {
      cached.remove(k);
      found.put(k, Discovery.Failed.of(deadlineMissed.apply("its signatures were looked up")));
    }
    return new Collected(found, cached, unreadable, missed);
  }

  /**
   * Records one lookup as complete and hands it on. A lookup the deadline's interrupt cut short is
   * neither: its answer may be the interrupt's. The hand-off only lets outputs start early, and the
   * scan's result has this lookup whatever becomes of it, so neither its failure nor an interrupt
   * while it runs may turn the lookup into one that did not complete.
   */
  private static void tell(
      BiConsumer<LookupKey, Collected> done,
      Set<LookupKey> recorded,
      LookupKey k,
      Collected alone) {
    if (Thread.currentThread().isInterrupted()) {
      return;
    }
    recorded.add(k);
    try {
      done.accept(k, alone);
    } catch (RuntimeException e) {
      // Nothing is lost: the workloads waiting on k are judged with the rest after the stage.
    }
  }

  /**
   * Why the image of {@code k} cannot be read, when a request needs it read: one manifest request,
   * made only for such lookups (an ImageValidatingPolicy's), so other policies pay nothing.
   */
  private Optional<String> imageProblem(LookupKey k, Set<VerificationRequest> needed) {
    boolean asked =
        needed.stream()
            .anyMatch(r -> r.authority() instanceof Authority.Presence p && p.imageMustExist());
    return asked ? registries.unreadableImage(k.repository(), k.scope()) : Optional.empty();
  }

  private Discovery lookUp(LookupKey k, Set<VerificationRequest> needed) {
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
   * Cached verdicts for {@code k}, if the signatures are provably unchanged. Only the routes that
   * could change the outcome are checked: a pass from bundles stands while the bundles do (a new
   * {@code .sig} cannot take it away), likewise from {@code .sig}; anything else checks every
   * route.
   */
  private Optional<Map<VerdictKey, Verdict>> fromCache(
      LookupKey k, Set<VerificationRequest> needed) {
    Optional<VerificationCache.Hit> hit =
        cache.lookup(k, needed.stream().map(r -> verification.key(k, r)).toList());
    if (hit.isEmpty()) {
      return Optional.empty();
    }
    Set<SignatureRoute> routes = routesThatCouldChange(hit.get().verdicts().values());
    // An ImageValidatingPolicy's .sig pass stands only while no bundle appears: any new bundle
    // (anyone's attestation) makes Kyverno read bundles instead.
    if (needed.stream()
        .anyMatch(r -> r.reading() == VerificationRequest.Reading.BUNDLES_WHEN_PRESENT)) {
      routes = EnumSet.copyOf(routes);
      routes.add(SignatureRoute.REFERRERS);
    }
    SignatureState then = hit.get().state();
    Optional<SignatureState> now =
        registries.state(k.repository(), k.digest(), k.scope(), routes, then);
    if (now.isEmpty() || routes.stream().anyMatch(r -> !now.get().token(r).equals(then.token(r)))) {
      return Optional.empty();
    }
    cache.keep(hit.get());
    return Optional.of(hit.get().verdicts());
  }

  /** The one route every verdict verified through, else all of them. */
  private static Set<SignatureRoute> routesThatCouldChange(Collection<Verdict> verdicts) {
    Set<SignatureRoute> passedOn = EnumSet.noneOf(SignatureRoute.class);
    for (Verdict v : verdicts) {
      if (!(v instanceof Verdict.Verified ok)) {
        return EnumSet.allOf(SignatureRoute.class);
      }
      passedOn.add(SignatureRoute.of(ok.format()));
    }
    return passedOn.size() == 1 ? passedOn : EnumSet.allOf(SignatureRoute.class);
  }

  /** Stores the fresh verdicts of every complete lookup for the next run. */
  void record(Collected collected, Map<VerdictKey, Verdict> verdicts) {
    Map<LookupKey, Map<VerdictKey, Verdict>> byLookup = new HashMap<>();
    verdicts.forEach(
        (vk, v) -> byLookup.computeIfAbsent(vk.lookup(), x -> new HashMap<>()).put(vk, v));
    byLookup.forEach(
        (k, fresh) -> {
          if (collected.found().get(k) instanceof Discovery.Found f) {
            cache.record(k, f.state(), fresh);
          }
        });
  }
}
