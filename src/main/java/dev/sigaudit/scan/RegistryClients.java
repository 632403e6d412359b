package dev.sigaudit.scan;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.registry.CredentialProvider;
import dev.sigaudit.registry.Endpoint;
import dev.sigaudit.registry.RegistryClient;
import dev.sigaudit.registry.RegistryException;
import dev.sigaudit.registry.RegistryListener;
import dev.sigaudit.signature.Discovery;
import dev.sigaudit.signature.SignatureDiscovery;
import dev.sigaudit.signature.SignatureRoute;
import dev.sigaudit.signature.SignatureState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * {@link RegistryAccess} over real registries: one {@link RegistryClient} per credential scope
 * (each with its own token cache), built on first use.
 */
public final class RegistryClients implements RegistryAccess {
  private final CredentialScopes scopes;
  private final BiFunction<CredentialProvider, RegistryListener, RegistryClient> factory;
  private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final Map<String, AtomicLong> perRegistry = new ConcurrentHashMap<>();
  private final long budget;

  /** HTTP exchanges made by the current thread (the client makes them on the caller's thread). */
  private static final ThreadLocal<long[]> EXCHANGES_ON_THREAD =
      ThreadLocal.withInitial(() -> new long[1]);

  /**
   * Per repository and scope: did the bundles alone settle the last lookup there? A team signs its
   * images one way, so this predicts the next digest of the repository: where bundles settle it,
   * the {@code .sig} lookup waits for them (it is usually not needed); elsewhere both routes are
   * read at once, one round trip sooner. Only the requests depend on it, never a verdict.
   */
  private final Map<String, Boolean> bundlesSettled = new ConcurrentHashMap<>();

  /** Sequential round trips of each lookup (state check and full lookup added up). */
  private final Map<String, Integer> chains = new ConcurrentHashMap<>();

  /**
   * @param factory builds a client for a set of credentials, reporting to the given listener
   */
  public RegistryClients(
      CredentialScopes scopes,
      BiFunction<CredentialProvider, RegistryListener, RegistryClient> factory) {
    this(scopes, factory, Long.MAX_VALUE);
  }

  /**
   * @param budget requests one scan may send to one registry; lookups past it are errors ("could
   *     not check"), so a scan cannot exhaust a rate limit shared with the cluster's own pulls. The
   *     check is made before each lookup, so in-flight requests may exceed it by the registry's
   *     concurrency at most.
   */
  public RegistryClients(
      CredentialScopes scopes,
      BiFunction<CredentialProvider, RegistryListener, RegistryClient> factory,
      long budget) {
    this.scopes = scopes;
    this.factory = factory;
    this.budget = budget;
  }

  private Optional<String> overBudget(ImageRef repository) {
    AtomicLong used = perRegistry.get(repository.registry());
    return used != null && used.get() >= budget
        ? Optional.of(
            "request budget of "
                + budget
                + " requests to "
                + repository.registry()
                + " for this scan is used up (--registry-request-budget)")
        : Optional.empty();
  }

  /** Counts requests for {@link #requests()}. */
  private final RegistryListener counter =
      new RegistryListener() {
        @Override
        public void onResponse(String registry, Endpoint endpoint, int status) {
          EXCHANGES_ON_THREAD.get()[0]++;
          requests.incrementAndGet();
          perRegistry.computeIfAbsent(registry, r -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public void onAwaited(String registry, Endpoint endpoint) {
          // A round trip of this thread's lookup, but not a request: another lookup sent it.
          EXCHANGES_ON_THREAD.get()[0]++;
        }
      };

  @Override
  public void prepare(List<RunningContainer> containers) {
    scopes.prepare(containers);
  }

  @Override
  public List<String> warnings() {
    return scopes.warnings();
  }

  @Override
  public String scopeOf(RunningContainer c) {
    return scopes.scopeOf(c);
  }

  private RegistryClient client(String scope) {
    return clients.computeIfAbsent(scope, s -> factory.apply(scopes.credentials(s), counter));
  }

  @Override
  public Discovery find(
      ImageRef repository,
      Digest digest,
      String scope,
      Predicate<List<SignatureCandidate>> bundlesSuffice) {
    Optional<String> over = overBudget(repository);
    if (over.isPresent()) {
      return Discovery.Failed.of(over.get());
    }
    String repo = scope + "\n" + repository.registry() + "/" + repository.name();
    SignatureDiscovery.Order order =
        Boolean.TRUE.equals(bundlesSettled.get(repo))
            ? SignatureDiscovery.Order.BUNDLES_FIRST
            : SignatureDiscovery.Order.TOGETHER;
    AtomicBoolean settled = new AtomicBoolean();
    TimedSource timed = timed(scope);
    Discovery d =
        new SignatureDiscovery(timed)
            .discover(
                repository,
                digest,
                bundles -> {
                  boolean enough = bundlesSuffice.test(bundles);
                  settled.set(enough);
                  return enough;
                },
                order);
    if (d instanceof Discovery.Found) {
      bundlesSettled.put(repo, settled.get());
    }
    chains.merge(lookupId(repository, digest, scope), timed.chain(), Integer::sum);
    return d;
  }

  @Override
  public Optional<SignatureState> state(
      ImageRef repository,
      Digest digest,
      String scope,
      Set<SignatureRoute> routes,
      SignatureState before) {
    if (overBudget(repository).isPresent()) {
      return Optional.empty(); // the full lookup that follows reports the budget
    }
    TimedSource timed = timed(scope);
    try {
      return Optional.of(new SignatureDiscovery(timed).state(repository, digest, routes, before));
    } catch (RegistryException e) {
      return Optional.empty(); // the full lookup that follows reports the error
    } finally {
      chains.merge(lookupId(repository, digest, scope), timed.chain(), Integer::sum);
    }
  }

  private TimedSource timed(String scope) {
    return new TimedSource(client(scope), () -> EXCHANGES_ON_THREAD.get()[0]);
  }

  private static String lookupId(ImageRef repository, Digest digest, String scope) {
    return scope + "\n" + repository.registry() + "/" + repository.name() + "@" + digest;
  }

  @Override
  public RoundTrips roundTrips() {
    return RoundTrips.of(chains.values());
  }

  @Override
  public Digest resolve(ImageRef image, String scope) throws TagResolutionException {
    Optional<String> over = overBudget(image);
    if (over.isPresent()) {
      throw new TagResolutionException(over.get(), null);
    }
    try {
      return client(scope).resolveTag(image);
    } catch (RegistryException e) {
      throw new TagResolutionException(e.getMessage(), e);
    }
  }

  /** Platforms of an index read at most, so a hostile index cannot make a scan fetch thousands. */
  private static final int MAX_PLATFORMS = 32;

  @Override
  public Set<Digest> configDigests(ImageRef image, String scope) throws TagResolutionException {
    Optional<String> over = overBudget(image);
    if (over.isPresent()) {
      throw new TagResolutionException(over.get(), null);
    }
    try {
      RegistryClient client = client(scope);
      var manifest = client.manifest(image, image.digest());
      Set<Digest> configs = new java.util.HashSet<>();
      manifest.image().flatMap(m -> m.config()).ifPresent(c -> configs.add(c.digest()));
      if (manifest.index().isPresent()) {
        for (var child :
            manifest.index().get().manifests().stream().limit(MAX_PLATFORMS).toList()) {
          client
              .manifest(image, child.digest())
              .image()
              .flatMap(m -> m.config())
              .ifPresent(c -> configs.add(c.digest()));
        }
      }
      return configs;
    } catch (RegistryException e) {
      throw new TagResolutionException(e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> unreadableImage(ImageRef image, String scope) {
    Optional<String> over = overBudget(image);
    if (over.isPresent()) {
      return over;
    }
    try {
      client(scope).manifest(image, image.digest());
      return Optional.empty();
    } catch (RegistryException e) {
      return Optional.of(
          e.kind() == RegistryException.Kind.NOT_FOUND
              ? "the registry does not have "
                  + image
                  + " (deleted since the Pod started?), so the engine cannot read the image"
              : "reading " + image + " failed: " + e.getMessage());
    }
  }

  @Override
  public long requests() {
    return requests.get();
  }

  @Override
  public void close() {
    List.copyOf(clients.values()).forEach(RegistryClient::close);
  }
}
