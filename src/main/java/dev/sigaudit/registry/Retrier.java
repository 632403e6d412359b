package dev.sigaudit.registry;

import dev.sigaudit.io.RetryAfter;
import dev.sigaudit.registry.RegistryException.Kind;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Runs an idempotent request under a {@link RetryPolicy}. Retried: 429, 500, 502, 503, 504, network
 * errors, timeouts and bodies cut short. Not retried: other statuses (the caller maps them), TLS
 * failures (a bad certificate does not heal in a second), oversized bodies, and {@link
 * RegistryException}s thrown by the attempt itself (they already went through their own retries,
 * e.g. the token exchange).
 */
final class Retrier {
  /** One try; may throw, or return any response. */
  @FunctionalInterface
  interface Attempt {
    Response run() throws IOException, InterruptedException, RegistryException;
  }

  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final Clock clock;
  private final RegistryListener listener;
  private final CircuitBreaker breaker;

  Retrier(
      RetryPolicy policy,
      Sleeper sleeper,
      Clock clock,
      RegistryListener listener,
      CircuitBreaker breaker) {
    this.policy = policy;
    this.sleeper = sleeper;
    this.clock = clock;
    this.listener = listener;
    this.breaker = breaker;
  }

  /** Returns the first non-retryable response; throws when retries run out. */
  Response run(CallContext ctx, Attempt attempt) throws RegistryException {
    Duration waited = Duration.ZERO;
    for (int n = 1; ; n++) {
      Duration wait;
      Optional<Duration> retryAfter = Optional.empty();
      Response response = null;
      IOException ioFailure = null;
      try {
        response = attempt.run();
        if (!retryable(response.status())) {
          return response;
        }
        if (response.status() == 429 || response.status() == 503) {
          retryAfter = response.header("Retry-After").flatMap(v -> RetryAfter.parse(v, clock));
        }
        wait = retryAfter.isPresent() ? retryAfter.get() : policy.backoff(n);
      } catch (LimitedBody.TooLarge e) {
        throw ctx.fail(Kind.TOO_LARGE, e.getMessage(), 0, e);
      } catch (CircuitBreaker.Open e) {
        throw ctx.fail(Kind.UNRESPONSIVE, e.getMessage(), 0, e);
      } catch (SSLException e) {
        throw ctx.fail(
            plainHttp(e) ? Kind.PLAIN_HTTP : Kind.NETWORK,
            "TLS failure (" + describe(e) + ")",
            0,
            e);
      } catch (IOException e) {
        ioFailure = e;
        wait = policy.backoff(n);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ctx.fail(Kind.INTERRUPTED, "interrupted", 0, e);
      }

      String stop = null;
      if (n >= policy.maxAttempts()) {
        stop = n == 1 ? "" : "; gave up after " + attempts(n);
      } else if (waited.plus(wait).compareTo(policy.maxTotalWait()) > 0) {
        Duration left = policy.maxTotalWait().minus(waited);
        stop =
            retryAfter.isPresent()
                ? "; Retry-After of "
                    + seconds(wait)
                    + " exceeds the remaining retry budget of "
                    + seconds(left)
                    + " (after "
                    + attempts(n)
                    + ")"
                : "; gave up after " + attempts(n);
      }
      if (stop == null && ioFailure != null && breaker.isOpen(ctx.registry())) {
        // This failure (or a concurrent one) declared the registry unresponsive: waiting to retry
        // would only spend the scan's time on a registry that is not answering.
        throw ctx.fail(
            Kind.UNRESPONSIVE,
            "registry "
                + ctx.registry()
                + " unresponsive ("
                + describe(ioFailure)
                + "; gave up after "
                + attempts(n)
                + ")",
            0,
            ioFailure);
      }
      if (stop != null) {
        throw response != null ? ctx.failure(response, stop) : ioFailure(ctx, ioFailure, stop);
      }
      listener.onRetry(ctx.registry(), ctx.endpoint(), wait);
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ctx.fail(Kind.INTERRUPTED, "interrupted while waiting to retry", 0, e);
      }
      waited = waited.plus(wait);
    }
  }

  static boolean retryable(int status) {
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }

  private static RegistryException ioFailure(CallContext ctx, IOException e, String stop) {
    if (e instanceof LimitedBody.Truncated) {
      return ctx.fail(Kind.INVALID_RESPONSE, e.getMessage() + stop, 0, e);
    }
    if (e instanceof HttpTimeoutException) {
      return ctx.fail(Kind.TIMEOUT, "timed out (" + describe(e) + ")" + stop, 0, e);
    }
    return ctx.fail(Kind.NETWORK, "network error (" + describe(e) + ")" + stop, 0, e);
  }

  /**
   * Whether the TLS handshake failed because the server answered in plain HTTP: the JDK's TLS
   * engine reports a first record it cannot parse as an "unrecognized SSL message" (the only trace
   * it leaves; the exception has no more specific type).
   */
  static boolean plainHttp(SSLException e) {
    String m = e.getMessage();
    return m != null
        && (m.contains("plaintext connection") || m.contains("nrecognized SSL message"));
  }

  /** Class and message of a JDK I/O exception (these never contain request headers). */
  private static String describe(Throwable e) {
    String m = e.getMessage();
    String name = e.getClass().getSimpleName();
    return m == null || m.isBlank() ? name : name + ": " + Untrusted.text(m, 200);
  }

  private static String attempts(int n) {
    return n == 1 ? "1 attempt" : n + " attempts";
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + "s";
  }
}
