package dev.sigaudit.scan;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.policy.AuditTarget;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyEvaluator;
import dev.sigaudit.policy.VerificationRequest;
import dev.sigaudit.registry.RegistryException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Stage 1: containers → {@link Target}s and the lookups they need. A container's digest is its
 * {@code imageID}, else the digest written in its spec, else its tag resolved in the registry (each
 * distinct tag once per credential scope, concurrently). The lookups are what the policies will ask
 * about each target ({@link PolicyEvaluator#requests}), grouped by where the signatures are read;
 * in inventory mode, every digest's own repository.
 */
final class Planner {
  private final RegistryAccess registries;
  private final List<Policy> policies;
  private final boolean inventoryMode;
  private final UnaryOperator<String> deadlineMissed;

  Planner(RegistryAccess registries, ScanSettings settings) {
    this.registries = registries;
    this.policies = settings.policies();
    this.inventoryMode = settings.inventoryMode();
    this.deadlineMissed = settings::deadlineMissed;
  }

  /**
   * The plan.
   *
   * @param targets one per container, in inventory order
   * @param lookups each distinct lookup, with the requests it must answer (none in inventory mode)
   * @param needs the lookups each target's verdicts come from, index for index with {@code targets}
   *     (none for a target without a digest)
   */
  record Plan(
      List<Target> targets,
      Map<LookupKey, Set<VerificationRequest>> lookups,
      List<Set<LookupKey>> needs) {
    Plan {
      targets = List.copyOf(targets);
      lookups = Map.copyOf(lookups);
      needs = List.copyOf(needs);
      if (needs.size() != targets.size()) {
        throw new IllegalArgumentException("one set of lookups per target");
      }
    }

    /** Distinct {@code repository@digest} looked up, whatever the credential scope. */
    int distinctDigests() {
      Set<String> images = new HashSet<>();
      lookups.keySet().forEach(k -> images.add(k.image()));
      return images.size();
    }
  }

  Plan plan(List<RunningContainer> containers, Bounded pool) throws InterruptedException {
    Map<TagKey, TagAnswer> tags = resolveTags(containers, pool);
    List<Target> targets =
        containers.stream().map(c -> target(c, registries.scopeOf(c), tags)).toList();
    Map<LookupKey, Set<VerificationRequest>> lookups = new LinkedHashMap<>();
    List<Set<LookupKey>> needs = new ArrayList<>(targets.size());
    for (Target t : targets) {
      Set<LookupKey> needed = new HashSet<>();
      needs.add(needed);
      if (!(t instanceof Target.Resolved r)) {
        continue; // nothing to look up: its signature checks are errors saying why
      }
      if (inventoryMode) {
        LookupKey k = new LookupKey(r.checked(), r.checked().digest(), r.scope());
        lookups.computeIfAbsent(k, x -> new HashSet<>());
        needed.add(k);
        continue;
      }
      for (VerificationRequest q : PolicyEvaluator.requests(policies, r.target())) {
        LookupKey k = LookupKey.of(q, r.scope());
        lookups.computeIfAbsent(k, x -> new HashSet<>()).add(q);
        needed.add(k);
      }
    }
    return new Plan(targets, lookups, needs);
  }

  /** A tag to resolve under one credential scope. */
  private record TagKey(ImageRef image, String scope) {}

  /**
   * The digest a tag points at, or the registry's answer when it could not say; with the config
   * digests of that image when a container's runtime reported only a local image ID.
   */
  private record TagAnswer(
      Optional<Digest> digest, String error, Optional<Set<Digest>> configs, Cause cause) {}

  private Map<TagKey, TagAnswer> resolveTags(List<RunningContainer> containers, Bounded pool)
      throws InterruptedException {
    Set<TagKey> toResolve = new HashSet<>();
    Set<TagKey> withLocalId = new HashSet<>();
    for (RunningContainer c : containers) {
      if (c.running().isEmpty() && c.image().isPresent() && c.image().get().digest() == null) {
        TagKey k = new TagKey(c.image().get(), registries.scopeOf(c));
        toResolve.add(k);
        if (c.localImageId().isPresent()) {
          withLocalId.add(k);
        }
      }
    }
    Map<TagKey, TagAnswer> out = new ConcurrentHashMap<>();
    Set<TagKey> missed =
        pool.runAll(
            toResolve,
            k -> {
              try {
                Digest d = registries.resolve(k.image(), k.scope());
                Optional<Set<Digest>> configs = Optional.empty();
                if (withLocalId.contains(k)) {
                  // The runtime only told us the image's config digest: the tag's current image
                  // is what runs only if its config is that one.
                  configs = Optional.of(registries.configDigests(k.image().atDigest(d), k.scope()));
                }
                out.put(k, new TagAnswer(Optional.of(d), "", configs, Cause.CHECK_FAILED));
              } catch (RegistryAccess.TagResolutionException e) {
                out.put(
                    k,
                    new TagAnswer(
                        Optional.empty(),
                        e.getMessage(),
                        Optional.empty(),
                        e.getCause() instanceof RegistryException re
                            ? Causes.of(re.kind())
                            : Cause.CHECK_FAILED));
              }
            });
    missed.forEach(
        k ->
            out.put(
                k,
                new TagAnswer(
                    Optional.empty(),
                    deadlineMissed.apply("it was resolved"),
                    Optional.empty(),
                    Cause.DEADLINE)));
    return out;
  }

  private static Target target(RunningContainer c, String scope, Map<TagKey, TagAnswer> tags) {
    if (c.image().isEmpty()) {
      return new Target.Unparseable(c, scope, c.imageProblem().orElse("?"));
    }
    ImageRef spec = c.image().get();
    if (c.running().isPresent()) {
      return resolved(c, scope, spec, c.running().get().digest(), "imageID");
    }
    if (spec.digest() != null) {
      return resolved(c, scope, spec, spec.digest(), "spec-digest");
    }
    TagAnswer answer = tags.get(new TagKey(spec, scope));
    if (answer != null && answer.digest().isPresent()) {
      Digest d = answer.digest().get();
      if (c.localImageId().isPresent()
          && !answer.configs().orElse(Set.of()).contains(c.localImageId().get())) {
        // Judging the tag's image now would judge another image than the one running: a re-pushed
        // tag that is signed would read as pass for an unsigned running image.
        String why =
            "the running image (local image ID "
                + c.localImageId().get()
                + ") is not the one the tag "
                + spec
                + " names now ("
                + spec.atDigest(d)
                + ")";
        return new Target.Unresolved(
            c, scope, Target.auditTarget(c, spec, Optional.empty()), why, Cause.DIGEST_UNKNOWN);
      }
      return resolved(c, scope, spec, d, "tag-resolved");
    }
    String why =
        c.imageIdNote().orElse("no running digest")
            + "; resolving tag "
            + spec
            + " failed: "
            + (answer == null ? "not attempted" : answer.error());
    return new Target.Unresolved(
        c,
        scope,
        Target.auditTarget(c, spec, Optional.empty()),
        why,
        answer == null ? Cause.DIGEST_UNKNOWN : answer.cause());
  }

  private static Target resolved(
      RunningContainer c, String scope, ImageRef spec, Digest d, String source) {
    AuditTarget t = Target.auditTarget(c, spec, Optional.of(d));
    return new Target.Resolved(c, scope, t, spec.atDigest(d), source);
  }
}
