package dev.sigaudit.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Performs exactly one HTTP exchange: no redirects, no retries, no auth decisions. It owns the
 * per-host concurrency permit (and tells the host's adaptive limit how the exchange went), two
 * deadlines — the first byte (response headers, {@link HttpRequest#timeout}) and the whole exchange
 * (headers <em>and</em> body: the first alone would let a server trickle a body forever) — the body
 * size limit, and the host's {@link CircuitBreaker}.
 */
final class HttpTransport {
  /** Error bodies are only summarized; more than this is dropped. */
  static final long ERROR_BODY_LIMIT = 64 * 1024;

  /**
   * @param registry the registry this exchange is for (listener label)
   * @param endpoint listener label
   * @param limiterKey the host whose concurrency budget this exchange uses
   * @param body a request body (token POST), or null
   * @param maxBytes limit for a 2xx body; exceeding it fails the exchange
   */
  record Request(
      String registry,
      Endpoint endpoint,
      String limiterKey,
      String method,
      URI uri,
      Map<String, String> headers,
      byte[] body,
      long maxBytes) {}

  private final HttpClient http;
  private final Duration firstByteTimeout;
  private final Duration timeout;
  private final HostLimiter limiter;
  private final CircuitBreaker breaker;
  private final String userAgent;
  private final RegistryListener listener;

  HttpTransport(
      HttpClient http,
      Duration firstByteTimeout,
      Duration timeout,
      HostLimiter limiter,
      CircuitBreaker breaker,
      String userAgent,
      RegistryListener listener) {
    if (http.followRedirects() != HttpClient.Redirect.NEVER) {
      // Redirects are followed by RegistryCaller, which must decide per hop whether the
      // Authorization header may go along.
      throw new IllegalArgumentException("the HttpClient must not follow redirects");
    }
    this.http = http;
    this.firstByteTimeout = firstByteTimeout;
    this.timeout = timeout;
    this.limiter = limiter;
    this.breaker = breaker;
    this.userAgent = userAgent;
    this.listener = listener;
  }

  /** Sends {@code r} and reports the outcome to the listener (status, or -1 on I/O failure). */
  Response exchange(Request r) throws IOException, InterruptedException {
    breaker.check(r.limiterKey()); // before any wait for a permit: an open circuit fails at once
    try {
      Response response = send(r);
      breaker.succeeded(r.limiterKey());
      listener.onResponse(r.registry(), r.endpoint(), response.status());
      return response;
    } catch (CircuitBreaker.Open e) {
      throw e;
    } catch (IOException e) {
      if (unresponsive(e)) {
        breaker.failed(r.limiterKey());
      }
      listener.onResponse(r.registry(), r.endpoint(), -1);
      throw e;
    }
  }

  /**
   * Timeouts and refused connections say the host is not answering; a reset or truncated body, a
   * TLS failure or an oversized answer say it is answering, badly, and do not count.
   */
  private static boolean unresponsive(IOException e) {
    return e instanceof HttpTimeoutException || e instanceof java.net.ConnectException;
  }

  private Response send(Request r) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(r.uri())
            .method(
                r.method(),
                r.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(r.body()))
            .timeout(firstByteTimeout)
            .header("User-Agent", userAgent);
    if ("http".equals(r.uri().getScheme())) {
      b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with plain-HTTP registries
    }
    r.headers().forEach(b::header);
    boolean head = r.method().equals("HEAD");
    HttpResponse.BodyHandler<byte[]> handler =
        info ->
            info.statusCode() >= 200 && info.statusCode() < 300 && !head
                ? LimitedBody.create(info, r.maxBytes(), LimitedBody.Mode.FAIL)
                : LimitedBody.create(info, ERROR_BODY_LIMIT, LimitedBody.Mode.TRUNCATE);

    limiter.acquire(r.limiterKey());
    CompletableFuture<HttpResponse<byte[]>> future = null;
    // How the exchange ended, for the host's adaptive limit: an answer and its latency, a timeout
    // (overload), or nothing learned (refused, reset, interrupted).
    int status = -1;
    boolean timedOut = false;
    long sent = System.nanoTime();
    try {
      // Checked again with the permit held: the circuit may have opened while this request queued.
      breaker.check(r.limiterKey());
      sent = System.nanoTime();
      future = http.sendAsync(b.build(), handler);
      HttpResponse<byte[]> resp =
          future.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      status = resp.statusCode();
      return new Response(resp.statusCode(), resp.headers(), resp.body(), r.uri());
    } catch (TimeoutException e) {
      future.cancel(true);
      timedOut = true;
      throw new HttpTimeoutException("no complete response within " + text(timeout));
    } catch (InterruptedException e) {
      if (future != null) {
        future.cancel(true);
      }
      throw e;
    } catch (ExecutionException e) {
      IOException cause = unwrap(e);
      if (cause instanceof HttpTimeoutException t
          && !(t instanceof java.net.http.HttpConnectTimeoutException)) {
        // The client's own timer covers the wait for the response headers only.
        timedOut = true;
        throw new HttpTimeoutException("no response within " + text(firstByteTimeout));
      }
      throw cause;
    } finally {
      if (status >= 0) {
        limiter.answered(r.limiterKey(), status, Duration.ofNanos(System.nanoTime() - sent));
      } else if (timedOut) {
        limiter.timedOut(r.limiterKey());
      } else {
        limiter.release(r.limiterKey());
      }
    }
  }

  private static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /** Finds the most specific IOException in the cause chain (our body errors first). */
  private static IOException unwrap(ExecutionException e) {
    IOException firstIo = null;
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof LimitedBody.TooLarge || t instanceof LimitedBody.Truncated) {
        return (IOException) t;
      }
      if (firstIo == null && t instanceof IOException io) {
        firstIo = io;
      }
    }
    return firstIo != null ? firstIo : new IOException(String.valueOf(e.getCause()), e.getCause());
  }
}
