package dev.sigaudit.registry;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * A read-only client of the <a
 * href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md">OCI distribution
 * API</a>: manifests, tags, tag lists, blobs and referrers — what signature discovery needs,
 * nothing more.
 *
 * <p>Every manifest and blob it returns has been checked against its digest; everything it reads is
 * size-limited while streaming. Authentication (anonymous, Basic, Bearer token), retries with
 * {@code Retry-After}, per-registry concurrency limits and redirect handling live in one shared
 * caller; this class only wires the endpoint classes together.
 *
 * <p>Thread-safe: one instance is meant to be shared by all scanning threads.
 */
public final class RegistryClient implements OciSource, AutoCloseable {
  private final HttpClient http;
  private final boolean ownsHttp;
  private final ManifestPuller manifests;
  private final TagResolver tags;
  private final BlobPuller blobs;
  private final ReferrersLister referrers;
  private final TagLister tagLists;

  private RegistryClient(Builder b) {
    this.ownsHttp = b.httpClient == null;
    this.http = ownsHttp ? b.newHttpClient() : b.httpClient;
    RegistryHosts hosts = new RegistryHosts(b.insecureRegistries);
    HostLimiter limiter = new HostLimiter(b.maxConcurrentPerRegistry);
    CircuitBreaker breaker = new CircuitBreaker(b.unresponsiveAfter);
    HttpTransport transport =
        new HttpTransport(
            http, b.firstByteTimeout, b.requestTimeout, limiter, breaker, b.userAgent, b.listener);
    Retrier retrier = new Retrier(b.retryPolicy, b.sleeper, b.clock, b.listener, breaker);
    TokenClient tokenClient = new TokenClient(transport, retrier, b.clock, b.maxTokenBytes);
    Authorizer authorizer = new Authorizer(hosts, b.credentials, tokenClient, b.clock);
    RegistryCaller caller = new RegistryCaller(hosts, transport, retrier, authorizer);
    this.manifests = new ManifestPuller(caller, b.maxManifestBytes);
    this.tags = new TagResolver(caller, manifests);
    this.blobs = new BlobPuller(caller);
    this.referrers = new ReferrersLister(caller, b.maxManifestBytes);
    this.tagLists = new TagLister(caller, b.listener);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The manifest {@code repo@digest}, verified against {@code digest}.
   *
   * @param repo registry and repository; its tag/digest are ignored
   * @throws RegistryException {@code NOT_FOUND} if absent, {@code INVALID_RESPONSE} on a digest
   *     mismatch, or any transport/auth failure
   */
  @Override
  public Manifest manifest(ImageRef repo, Digest digest) throws RegistryException {
    return manifests.byDigest(repo, digest);
  }

  /**
   * The manifest a tag points to, or empty if the tag (or repository) does not exist. Its digest is
   * computed from the bytes and cross-checked with {@code Docker-Content-Digest}.
   */
  @Override
  public Optional<Manifest> manifestByTag(ImageRef repo, String tag) throws RegistryException {
    return manifests.byTag(repo, tag);
  }

  /**
   * The digest {@code ref}'s tag ({@code latest} if none) points to now; {@code ref}'s digest if it
   * has one (no request).
   */
  public Digest resolveTag(ImageRef ref) throws RegistryException {
    return tags.resolve(ref);
  }

  /**
   * The blob {@code repo@digest}, verified against {@code digest}.
   *
   * @param maxBytes larger blobs fail with {@code TOO_LARGE} without being read entirely
   */
  @Override
  public byte[] blob(ImageRef repo, Digest digest, long maxBytes) throws RegistryException {
    return blobs.fetch(repo, digest, maxBytes);
  }

  /** The referrers of {@code subject} in {@code repo}, or {@link ReferrersAnswer.Unsupported}. */
  @Override
  public ReferrersAnswer referrers(ImageRef repo, Digest subject) throws RegistryException {
    return referrers.list(repo, subject);
  }

  /**
   * Every tag of {@code repo}, read once for the life of this client (concurrent callers share the
   * one read), or why it could not be read. Never throws: a list is an optimization.
   */
  @Override
  public TagList tags(ImageRef repo) {
    return tagLists.list(repo);
  }

  /** Closes the HTTP client if this instance created it. */
  @Override
  public void close() {
    if (ownsHttp) {
      http.close();
    }
  }

  /** Options; every one has a production default. */
  public static final class Builder {
    private CredentialProvider credentials = CredentialProvider.anonymous();
    private Set<String> insecureRegistries = Set.of();
    private int maxConcurrentPerRegistry = 64;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration firstByteTimeout = Duration.ofSeconds(15);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int unresponsiveAfter = 3;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Clock clock = Clock.systemUTC();
    private RegistryListener listener = RegistryListener.NOOP;
    private long maxManifestBytes = 4L << 20;
    private long maxTokenBytes = 1L << 20;
    private String userAgent = "sigaudit";
    private SSLContext sslContext;
    private HttpClient httpClient;

    private Builder() {}

    public Builder credentials(CredentialProvider credentials) {
      this.credentials = Objects.requireNonNull(credentials);
      return this;
    }

    /** {@code HOST[:PORT]} names (as in image references) to reach over plain HTTP. */
    public Builder insecureRegistries(Set<String> hosts) {
      this.insecureRegistries = Set.copyOf(hosts);
      return this;
    }

    /**
     * The most in-flight requests per registry host (default 64). Each host starts at {@value
     * HostLimiter#START} (or this, if lower) and adapts to the registry: more while its latency
     * stays flat, fewer when it queues, half on 429 ({@link AdaptiveLimit}).
     */
    public Builder maxConcurrentPerRegistry(int permits) {
      this.maxConcurrentPerRegistry = permits;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * Deadline for the response headers of one exchange (default 15 s): registries answer in
     * milliseconds, so a silent one is detected long before the whole-exchange deadline.
     */
    public Builder firstByteTimeout(Duration timeout) {
      this.firstByteTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * Consecutive timeouts or refused connections after which a registry is declared unresponsive
     * and its remaining requests fail at once (default 3; see {@link CircuitBreaker}).
     */
    public Builder unresponsiveAfter(int failures) {
      this.unresponsiveAfter = failures;
      return this;
    }

    /** Deadline of one whole HTTP exchange, headers and body (default 60 s). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy);
      return this;
    }

    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper);
      return this;
    }

    /** For token expiry and {@code Retry-After} dates. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public Builder listener(RegistryListener listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    /** Limit for manifests and referrers answers (default 4 MiB). */
    public Builder maxManifestBytes(long bytes) {
      this.maxManifestBytes = bytes;
      return this;
    }

    /** Limit for token service answers (default 1 MiB). */
    public Builder maxTokenBytes(long bytes) {
      this.maxTokenBytes = bytes;
      return this;
    }

    public Builder userAgent(String userAgent) {
      this.userAgent = Objects.requireNonNull(userAgent);
      return this;
    }

    /** TLS trust for registries with a private CA; certificates are always verified. */
    public Builder sslContext(SSLContext context) {
      this.sslContext = Objects.requireNonNull(context);
      return this;
    }

    /**
     * Uses this HTTP client (not closed by the registry client). It must not follow redirects: the
     * registry client follows them itself so credentials stay with the registry.
     */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Objects.requireNonNull(client);
      return this;
    }

    public RegistryClient build() {
      return new RegistryClient(this);
    }

    private HttpClient newHttpClient() {
      HttpClient.Builder b =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NEVER)
              .connectTimeout(connectTimeout);
      if (sslContext != null) {
        b.sslContext(sslContext);
      }
      return b.build();
    }
  }
}
