package dev.sigaudit.scan;

import dev.sigaudit.cluster.Inventory;
import dev.sigaudit.cluster.PodInventory;
import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.InventoryRow;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.AuditTarget;
import dev.sigaudit.policy.Authority;
import dev.sigaudit.policy.PodInfo;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyEvaluator;
import dev.sigaudit.policy.VerificationRequest;
import dev.sigaudit.verify.KeyRequirements;
import dev.sigaudit.verify.KeylessVerifier;
import dev.sigaudit.verify.SignatureInventory;
import dev.sigaudit.verify.SignatureVerifier;
import dev.sigaudit.verify.TrustedRoot;
import io.kubernetes.client.openapi.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One scan: inventory → digests to check (deduplicated) → signatures looked up once per
 * (repository, digest), concurrently → verified offline → judged by every policy → rows.
 *
 * <p>Nothing here talks to a registry or the apiserver directly; both come in through interfaces,
 * and the verification core is pure.
 */
public final class Scanner {
  private final PodInventory inventory;
  private final RegistryAccess registries;
  private final SignatureVerifier verifier;
  private final List<Policy> policies;
  private final List<String> policyProblems;
  private final Clock clock;
  private final ScanListener listener;
  private final String cluster;
  private final int concurrency;
  private final VerificationCache cache;
  private final TrustedRoot trustedRoot;

  public Scanner(
      PodInventory inventory,
      RegistryAccess registries,
      SignatureVerifier verifier,
      List<Policy> policies,
      List<String> policyProblems,
      Clock clock,
      ScanListener listener,
      String cluster,
      int concurrency,
      VerificationCache cache,
      TrustedRoot trustedRoot) {
    this.inventory = inventory;
    this.registries = registries;
    this.verifier = verifier;
    this.policies = List.copyOf(policies);
    this.policyProblems = List.copyOf(policyProblems);
    this.clock = clock;
    this.listener = listener;
    this.cluster = cluster;
    this.concurrency = concurrency;
    this.cache = cache;
    this.trustedRoot = trustedRoot;
  }

  /**
   * Runs the scan.
   *
   * @throws ApiException when the cluster cannot be listed (the scan cannot complete)
   */
  public ScanResult scan() throws ApiException, InterruptedException {
    Instant started = clock.instant();
    Inventory inv = inventory.list(listener::podsListed);
    Instant mark = stage("inventory", started);
    listener.inventoryDone(inv.pods(), inv.containers().size());
    List<String> problems = new ArrayList<>(policyProblems);
    registries.prepare(inv.containers());
    problems.addAll(registries.warnings());

    Bounded pool = new Bounded(concurrency);
    Map<TagKey, Resolution> resolved = resolveTags(inv.containers(), pool);
    List<Planned> planned =
        inv.containers().stream().map(c -> plan(c, registries.scopeOf(c), resolved)).toList();

    Map<LookupKey, SignatureLookup.Lookup> lookups = lookUpAll(planned, pool);
    mark = stage("signatures", mark);
    Map<VerifyKey, Verdict> verdicts = new ConcurrentHashMap<>();
    List<AuditRow> rows = new ArrayList<>();
    List<InventoryRow> inventory = new ArrayList<>();
    if (inventoryMode()) {
      SignatureInventory describer = new SignatureInventory(trustedRoot);
      for (Planned p : planned) {
        InventoryRow row = inventoryRow(p, lookups, describer);
        inventory.add(row);
        rows.add(row.asAuditRow(p.digestSource()));
      }
    } else {
      for (Planned p : planned) {
        rows.addAll(judge(p, lookups, verdicts));
      }
      recordInCache(lookups, verdicts);
    }
    stage("evaluation", mark);
    Set<String> distinct = new HashSet<>();
    lookups.keySet().forEach(k -> distinct.add(k.repository().name() + "@" + k.digest()));
    return new ScanResult(
        UUID.randomUUID().toString(),
        cluster,
        started,
        Duration.between(started, clock.instant()),
        inv.pods(),
        distinct.size(),
        registries.requests(),
        rows,
        problems,
        inventory);
  }

  private Instant stage(String name, Instant since) {
    Instant now = clock.instant();
    listener.stageDone(name, Duration.between(since, now));
    return now;
  }

  /** A container with the reference whose signatures will be checked, or why there is none. */
  private record Planned(
      RunningContainer container,
      String scope,
      Optional<AuditTarget> target,
      Optional<ImageRef> checked,
      String digestSource,
      Optional<String> problem) {}

  private record Resolution(Optional<Digest> digest, Optional<String> error) {}

  /** A tag to resolve under one credential scope. */
  private record TagKey(ImageRef image, String scope) {}

  private record LookupKey(ImageRef repository, Digest digest, String scope) {}

  private record VerifyKey(LookupKey lookup, String keyFingerprint, Set<SignatureFormat> formats) {}

  private Map<TagKey, Resolution> resolveTags(List<RunningContainer> containers, Bounded pool)
      throws InterruptedException {
    Set<TagKey> toResolve = new HashSet<>();
    for (RunningContainer c : containers) {
      if (c.running().isEmpty() && c.image().isPresent() && c.image().get().digest() == null) {
        toResolve.add(new TagKey(c.image().get(), registries.scopeOf(c)));
      }
    }
    Map<TagKey, Resolution> out = new ConcurrentHashMap<>();
    pool.runAll(
        toResolve,
        k -> {
          try {
            out.put(
                k,
                new Resolution(
                    Optional.of(registries.resolve(k.image(), k.scope())), Optional.empty()));
          } catch (RegistryAccess.TagResolutionException e) {
            out.put(k, new Resolution(Optional.empty(), Optional.of(e.getMessage())));
          }
        });
    return out;
  }

  private static Planned plan(RunningContainer c, String scope, Map<TagKey, Resolution> resolved) {
    if (c.image().isEmpty()) {
      return new Planned(c, scope, Optional.empty(), Optional.empty(), "none", c.imageProblem());
    }
    ImageRef spec = c.image().get();
    if (c.running().isPresent()) {
      Digest d = c.running().get().digest();
      return new Planned(
          c,
          scope,
          Optional.of(target(c, spec, d)),
          Optional.of(spec.atDigest(d)),
          "imageID",
          Optional.empty());
    }
    if (spec.digest() != null) {
      return new Planned(
          c,
          scope,
          Optional.of(target(c, spec, spec.digest())),
          Optional.of(spec.atDigest(spec.digest())),
          "spec-digest",
          Optional.empty());
    }
    Resolution r = resolved.get(new TagKey(spec, scope));
    if (r != null && r.digest().isPresent()) {
      Digest d = r.digest().get();
      return new Planned(
          c,
          scope,
          Optional.of(target(c, spec, d)),
          Optional.of(spec.atDigest(d)),
          "tag-resolved",
          Optional.empty());
    }
    String why =
        c.imageIdNote().orElse("no running digest")
            + "; resolving tag "
            + spec
            + " failed: "
            + (r == null ? "not attempted" : r.error().orElse("unknown"));
    return new Planned(
        c,
        scope,
        Optional.of(
            new AuditTarget(
                c.namespace(), c.namespaceLabels(), spec, Optional.empty(), podInfo(c))),
        Optional.empty(),
        "unresolved",
        Optional.of(why));
  }

  private static AuditTarget target(RunningContainer c, ImageRef spec, Digest d) {
    return new AuditTarget(c.namespace(), c.namespaceLabels(), spec, Optional.of(d), podInfo(c));
  }

  /** What cluster policies may select on: Pod name and labels, container kind, image text. */
  private static PodInfo podInfo(RunningContainer c) {
    return new PodInfo(
        Optional.ofNullable(c.pod()),
        Optional.of(c.podLabels()),
        Optional.ofNullable(c.type()),
        Optional.ofNullable(c.imageAsWritten()));
  }

  private static LookupKey lookupKey(VerificationRequest r, String scope) {
    ImageRef repo = r.signatureRepository().orElse(r.image());
    return new LookupKey(repo.atDigest(r.image().digest()), r.image().digest(), scope);
  }

  private Map<LookupKey, SignatureLookup.Lookup> lookUpAll(List<Planned> planned, Bounded pool)
      throws InterruptedException {
    // Which requests (key and accepted formats) each lookup must answer: once bundles verify for
    // all of them, the legacy lookup is skipped.
    Map<LookupKey, Set<VerificationRequest>> keys = new HashMap<>();
    for (Planned p : planned) {
      if (inventoryMode() && p.target().isPresent() && p.target().get().digest().isPresent()) {
        keys.computeIfAbsent(inventoryKey(p), k -> new HashSet<>());
        continue;
      }
      p.target()
          .ifPresent(
              t ->
                  PolicyEvaluator.requests(policies, t)
                      .forEach(
                          r ->
                              keys.computeIfAbsent(lookupKey(r, p.scope()), k -> new HashSet<>())
                                  .add(r)));
    }
    listener.lookupsPlanned(keys.size());
    Map<LookupKey, SignatureLookup.Lookup> out = new ConcurrentHashMap<>();
    pool.runAll(
        keys.keySet(),
        k -> {
          SignatureLookup.Lookup l;
          try {
            Set<VerificationRequest> needed = keys.get(k);
            // The inventory describes the signatures themselves: nothing cached stands for them.
            Optional<SignatureLookup.Lookup> cached =
                inventoryMode() ? Optional.empty() : fromCache(k, needed);
            if (cached.isPresent()) {
              out.put(k, cached.get());
              listener.lookupDone(false);
              return;
            }
            l =
                registries.find(
                    k.repository(),
                    k.digest(),
                    k.scope(),
                    bundles ->
                        !needed.isEmpty()
                            && needed.stream()
                                .allMatch(
                                    r ->
                                        verifyAccepted(
                                                verifier, trustedRoot, k.digest(), bundles, r)
                                            instanceof Verdict.Verified));
          } catch (RuntimeException e) {
            // A bug or an unexpected answer must become an error result, never a lost container.
            l = new SignatureLookup.Lookup.Failed("looking up signatures failed: " + e);
          }
          out.put(k, l);
          listener.lookupDone(l instanceof SignatureLookup.Lookup.Failed);
        });
    return out;
  }

  private List<AuditRow> judge(
      Planned p, Map<LookupKey, SignatureLookup.Lookup> lookups, Map<VerifyKey, Verdict> verdicts) {
    if (p.target().isEmpty()) {
      // The image reference itself is invalid: every policy gets an error for it.
      String why = "image reference does not parse: " + p.problem().orElse("?");
      return policies.stream()
          .map(
              pol ->
                  new AuditRow(
                      p.container(), errorFinding(pol, why), Optional.empty(), p.digestSource()))
          .toList();
    }
    PolicyEvaluator evaluator =
        new PolicyEvaluator(
            request -> {
              LookupKey k = lookupKey(request, p.scope());
              return verdicts.computeIfAbsent(
                  new VerifyKey(k, request.verdictId(), request.formats()),
                  vk ->
                      switch (lookups.getOrDefault(
                          k, new SignatureLookup.Lookup.Failed("not looked up"))) {
                        case SignatureLookup.Lookup.Failed f -> new Verdict.CheckError(f.cause());
                        case SignatureLookup.Lookup.Found f -> verify(k, f.candidates(), request);
                        case SignatureLookup.Lookup.Partial f -> partial(k, f, request);
                        case SignatureLookup.Lookup.Cached c ->
                            c.verdicts()
                                .getOrDefault(
                                    verdictKey(request.verdictId(), request.formats()),
                                    new Verdict.CheckError("no cached verdict for this key"));
                      });
            });
    List<AuditRow> rows = new ArrayList<>();
    for (Finding f : evaluator.evaluate(policies, p.target().get())) {
      Finding finding = f;
      if (f.result() == Result.ERROR && p.checked().isEmpty() && p.problem().isPresent()) {
        finding = withMessage(f, f.message() + " (" + p.problem().get() + ")");
      }
      rows.add(new AuditRow(p.container(), finding, p.checked(), p.digestSource()));
    }
    return rows;
  }

  /**
   * Verdicts depend on the key and on the signature formats a policy reads (a Kyverno {@code
   * Cosign} rule ignores bundles), so both name a cached verdict.
   */
  private static String verdictKey(String fingerprint, Set<SignatureFormat> formats) {
    return fingerprint + " " + formats.stream().map(Enum::name).sorted().toList();
  }

  /** No policy given and none found: describe who signs what instead of judging. */
  private boolean inventoryMode() {
    return policies.isEmpty();
  }

  private static LookupKey inventoryKey(Planned p) {
    AuditTarget t = p.target().orElseThrow();
    Digest d = t.digest().orElseThrow();
    return new LookupKey(t.image().atDigest(d), d, p.scope());
  }

  private static InventoryRow inventoryRow(
      Planned p, Map<LookupKey, SignatureLookup.Lookup> lookups, SignatureInventory describer) {
    if (p.target().isEmpty() || p.target().get().digest().isEmpty()) {
      return InventoryRow.error(
          p.container(), p.checked(), p.problem().orElse("no digest to look up"));
    }
    LookupKey k = inventoryKey(p);
    return switch (lookups.getOrDefault(k, new SignatureLookup.Lookup.Failed("not looked up"))) {
      case SignatureLookup.Lookup.Found f ->
          InventoryRow.of(
              p.container(), p.checked(), describer.describe(k.digest(), f.candidates()));
      case SignatureLookup.Lookup.Failed f ->
          InventoryRow.error(p.container(), p.checked(), f.cause());
      case SignatureLookup.Lookup.Partial f ->
          InventoryRow.error(p.container(), p.checked(), f.cause());
      case SignatureLookup.Lookup.Cached c ->
          InventoryRow.error(
              p.container(), p.checked(), "internal: a cached lookup in inventory mode");
    };
  }

  private static String cacheKey(LookupKey k) {
    return k.scope() + "|" + k.repository().name() + "@" + k.digest();
  }

  /**
   * Cached verdicts for {@code k}, if the signatures are provably unchanged. Only the formats that
   * could change the outcome are checked: a pass from bundles stands while the bundles do (a new
   * {@code .sig} cannot take it away), likewise from {@code .sig}; anything else checks both.
   */
  private Optional<SignatureLookup.Lookup> fromCache(LookupKey k, Set<VerificationRequest> needed) {
    List<String> fps = needed.stream().map(r -> verdictKey(r.verdictId(), r.formats())).toList();
    var entry = cache.lookup(cacheKey(k), fps);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Verdict> verdicts = new HashMap<>();
    try {
      for (String fp : fps) {
        verdicts.put(fp, entry.get().verdicts().get(fp).toVerdict());
      }
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
    boolean allVerified = verdicts.values().stream().allMatch(v -> v instanceof Verdict.Verified);
    boolean viaLegacy =
        verdicts.values().stream()
            .allMatch(
                v -> v instanceof Verdict.Verified ok && ok.format() == SignatureFormat.LEGACY_TAG);
    boolean viaBundles =
        verdicts.values().stream()
            .allMatch(
                v -> v instanceof Verdict.Verified ok && ok.format() != SignatureFormat.LEGACY_TAG);
    // An ImageValidatingPolicy's .sig pass stands only while no bundle appears: any new bundle
    // (anyone's attestation) makes Kyverno read bundles instead.
    boolean checkBundles =
        !(allVerified && viaLegacy)
            || needed.stream()
                .anyMatch(r -> r.reading() == VerificationRequest.Reading.BUNDLES_WHEN_PRESENT);
    boolean checkLegacy = !(allVerified && viaBundles);
    var now = registries.state(k.repository(), k.digest(), k.scope(), checkBundles, checkLegacy);
    var then = entry.get().state();
    if (now.isEmpty()
        || (checkBundles && !now.get().bundles().equals(then.bundles()))
        || (checkLegacy && !now.get().legacy().equals(then.legacy()))) {
      return Optional.empty();
    }
    cache.keep(entry.get());
    return Optional.of(new SignatureLookup.Lookup.Cached(verdicts));
  }

  /** Stores fresh verdicts (every key a lookup was for) for the next run. */
  private void recordInCache(
      Map<LookupKey, SignatureLookup.Lookup> lookups, Map<VerifyKey, Verdict> verdicts) {
    Map<LookupKey, Map<String, Verdict>> byLookup = new HashMap<>();
    verdicts.forEach(
        (vk, v) ->
            byLookup
                .computeIfAbsent(vk.lookup(), x -> new HashMap<>())
                .put(verdictKey(vk.keyFingerprint(), vk.formats()), v));
    byLookup.forEach(
        (k, byKey) -> {
          if (lookups.get(k) instanceof SignatureLookup.Lookup.Found f) {
            cache.record(cacheKey(k), f.state(), byKey);
          }
        });
  }

  private Verdict partial(
      LookupKey k, SignatureLookup.Lookup.Partial p, VerificationRequest request) {
    Verdict v = verify(k, p.candidates(), request);
    return v instanceof Verdict.Verified ? v : new Verdict.CheckError(p.cause());
  }

  /**
   * Verifies only the candidates in a format the request accepts (a Kyverno {@code Cosign} rule
   * never sees a bundle); candidates in other formats are named in the rejection, so a report says
   * "signed, but not in a format this policy reads" instead of "unsigned".
   */
  private Verdict verify(
      LookupKey k, List<SignatureCandidate> candidates, VerificationRequest request) {
    return verifyAccepted(verifier, trustedRoot, k.digest(), candidates, request);
  }

  /** {@link #verify}, without the scanner's state. */
  static Verdict verifyAccepted(
      SignatureVerifier verifier,
      TrustedRoot trustedRoot,
      Digest digest,
      List<SignatureCandidate> candidates,
      VerificationRequest request) {
    List<SignatureCandidate> accepted = request.select(candidates);
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
      case Authority.Key key ->
          key.requireTlog()
              ? verifier.verify(
                  digest, accepted, key.key(), KeyRequirements.requireTlog(trustedRoot))
              : verifier.verify(digest, accepted, key.key());
      case Authority.Presence p ->
          accepted.isEmpty()
              ? new Verdict.Unsigned()
              : new Verdict.CheckError(Authority.Presence.SIGNED);
      case Authority.Keyless keyless -> {
        var req = KeylessPolicies.requirements(keyless.entry(), trustedRoot);
        yield req.requirements().isPresent()
            ? new KeylessVerifier().verify(digest, accepted, req.requirements().get())
            : new Verdict.CheckError(keyless.describe() + ": " + req.unsupported().orElseThrow());
      }
    };
  }

  private static Finding errorFinding(Policy pol, String why) {
    return new Finding(
        pol.name(),
        Finding.NO_RULE,
        Result.ERROR,
        why,
        pol.severity(),
        pol.category(),
        pol.source().label(),
        List.of());
  }

  private static Finding withMessage(Finding f, String message) {
    return new Finding(
        f.policy(),
        f.rule(),
        f.result(),
        message,
        f.severity(),
        f.category(),
        f.source(),
        f.evidence(),
        f.engineNotes());
  }
}
