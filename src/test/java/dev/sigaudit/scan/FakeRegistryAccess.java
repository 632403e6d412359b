package dev.sigaudit.scan;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.signature.Discovery;
import dev.sigaudit.signature.SignatureRoute;
import dev.sigaudit.signature.SignatureState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Registries in memory for scan tests: which signatures each {@code repository@digest} carries,
 * what each tag points at, which lookups fail. Answers as {@link RegistryClients} does (bundles
 * first, the {@code .sig} lookup skipped when they suffice) and records every call.
 */
final class FakeRegistryAccess implements RegistryAccess {
  private final Map<String, List<SignatureCandidate>> signatures = new ConcurrentHashMap<>();
  private final Map<String, Digest> tags = new ConcurrentHashMap<>();
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private final Map<String, List<String>> notes = new ConcurrentHashMap<>();

  /** {@code repository@digest} of each full lookup, in call order. */
  final List<String> finds = new CopyOnWriteArrayList<>();

  /** {@code repository@digest} of each lookup whose {@code .sig} was read. */
  final List<String> legacyReads = new CopyOnWriteArrayList<>();

  /** {@code repository@digest} of each cheap state check. */
  final List<String> stateChecks = new CopyOnWriteArrayList<>();

  /** The cached state each state check was told (it decides which requests a registry sends). */
  final List<SignatureState> statesBefore = new CopyOnWriteArrayList<>();

  private static String name(ImageRef repository, Digest digest) {
    return repository.name() + "@" + digest;
  }

  FakeRegistryAccess sign(ImageRef repository, Digest digest, SignatureCandidate candidate) {
    signatures
        .computeIfAbsent(name(repository, digest), k -> new CopyOnWriteArrayList<>())
        .add(candidate);
    return this;
  }

  FakeRegistryAccess tag(ImageRef image, Digest digest) {
    tags.put(image.toString(), digest);
    return this;
  }

  /** Discovery of {@code repository@digest} notes {@code note} (a malformed layer…). */
  FakeRegistryAccess noting(ImageRef repository, Digest digest, String note) {
    notes.computeIfAbsent(name(repository, digest), k -> new CopyOnWriteArrayList<>()).add(note);
    return this;
  }

  private final Set<String> silent = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.CountDownLatch never =
      new java.util.concurrent.CountDownLatch(1);

  /** Lookups of this digest never get an answer (until interrupted, as the real client is). */
  FakeRegistryAccess silent(ImageRef repository, Digest digest) {
    silent.add(name(repository, digest));
    return this;
  }

  private final Map<String, java.util.concurrent.CountDownLatch> held = new ConcurrentHashMap<>();

  /**
   * Lookups of this digest answer only once {@code until} is released (or they are interrupted).
   */
  FakeRegistryAccess heldUntil(
      ImageRef repository, Digest digest, java.util.concurrent.CountDownLatch until) {
    held.put(name(repository, digest), until);
    return this;
  }

  FakeRegistryAccess failing(ImageRef repository, Digest digest, String cause) {
    failures.put(name(repository, digest), cause);
    return this;
  }

  @Override
  public String scopeOf(RunningContainer c) {
    return "";
  }

  @Override
  public Discovery find(
      ImageRef repository,
      Digest digest,
      String scope,
      Predicate<List<SignatureCandidate>> bundlesSuffice) {
    String name = name(repository, digest);
    finds.add(name);
    if (silent.contains(name)) {
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Discovery.Failed.of("fetching " + name + " failed: interrupted");
    }
    var until = held.get(name);
    if (until != null) {
      try {
        until.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Discovery.Failed.of("fetching " + name + " failed: interrupted");
      }
    }
    if (failures.containsKey(name)) {
      return new Discovery.Failed(
          failures.get(name), Optional.empty(), List.of(), notes.getOrDefault(name, List.of()));
    }
    List<SignatureCandidate> bundles = of(name, true);
    if (!bundles.isEmpty() && bundlesSuffice.test(bundles)) {
      return new Discovery.Found(bundles, List.of(), state(name, Set.of(SignatureRoute.REFERRERS)));
    }
    legacyReads.add(name);
    List<SignatureCandidate> all = new ArrayList<>(bundles);
    all.addAll(of(name, false));
    return new Discovery.Found(
        all, notes.getOrDefault(name, List.of()), state(name, EnumSet.allOf(SignatureRoute.class)));
  }

  @Override
  public Optional<SignatureState> state(
      ImageRef repository,
      Digest digest,
      String scope,
      Set<SignatureRoute> routes,
      SignatureState before) {
    String name = name(repository, digest);
    stateChecks.add(name);
    statesBefore.add(before);
    return failures.containsKey(name) ? Optional.empty() : Optional.of(state(name, routes));
  }

  @Override
  public Digest resolve(ImageRef image, String scope) throws TagResolutionException {
    Digest d = tags.get(image.toString());
    if (d == null) {
      throw new TagResolutionException("manifest unknown: " + image, null);
    }
    return d;
  }

  private final Map<String, Set<Digest>> configs = new ConcurrentHashMap<>();

  /** The config digest(s) of the image {@code repository@digest}. */
  FakeRegistryAccess config(ImageRef repository, Digest digest, Digest config) {
    configs
        .computeIfAbsent(name(repository, digest), k -> ConcurrentHashMap.newKeySet())
        .add(config);
    return this;
  }

  @Override
  public Set<Digest> configDigests(ImageRef image, String scope) {
    return configs.getOrDefault(name(image, image.digest()), Set.of());
  }

  private final Set<String> absent = ConcurrentHashMap.newKeySet();

  /** {@code repository@digest} of each image-presence check, in call order. */
  final List<String> imageReads = new CopyOnWriteArrayList<>();

  /** The registry no longer has the image {@code repository@digest} (its signatures may remain). */
  FakeRegistryAccess absent(ImageRef repository, Digest digest) {
    absent.add(name(repository, digest));
    return this;
  }

  @Override
  public Optional<String> unreadableImage(ImageRef image, String scope) {
    String name = name(image, image.digest());
    imageReads.add(name);
    return absent.contains(name)
        ? Optional.of("the registry does not have " + name)
        : Optional.ofNullable(failures.get(name));
  }

  @Override
  public long requests() {
    return finds.size() + stateChecks.size() + imageReads.size();
  }

  private List<SignatureCandidate> of(String name, boolean bundles) {
    return signatures.getOrDefault(name, List.of()).stream()
        .filter(c -> (c.format() != SignatureFormat.LEGACY_TAG) == bundles)
        .toList();
  }

  private SignatureState state(String name, Set<SignatureRoute> routes) {
    Map<SignatureRoute, String> tokens = new EnumMap<>(SignatureRoute.class);
    routes.forEach(r -> tokens.put(r, token(of(name, r == SignatureRoute.REFERRERS))));
    return new SignatureState(tokens);
  }

  /** Changes whenever a signature is added or removed, like the registry's tokens. */
  private static String token(List<SignatureCandidate> candidates) {
    return candidates.isEmpty()
        ? SignatureState.ABSENT
        : "set:" + candidates.stream().map(c -> c.sourceManifest().hex()).sorted().toList();
  }
}
