package dev.sigaudit.registry;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops a scan from waiting on a registry that has stopped answering. After {@code threshold}
 * consecutive exchanges with a host ended in a timeout or a refused connection, the host is
 * considered unresponsive and every later request to it fails at once, for the rest of the client's
 * life (one scan): without this, a registry that accepts connections and never answers costs every
 * lookup its full timeout times its retries — hours for a few hundred digests.
 *
 * <p>Any response at all (whatever its status) resets the count: a registry that answers slowly or
 * with errors is not unresponsive, and its answers are mapped as usual. The circuit never closes
 * again within one scan, so the outcome does not depend on timing: once open, every remaining
 * lookup of that registry is an {@code error} naming the cause, and the scan goes on with the
 * others.
 */
final class CircuitBreaker {
  /** Thrown instead of sending a request to a host whose circuit is open; never retried. */
  static final class Open extends IOException {
    Open(String host, int failures) {
      super(
          "registry "
              + host
              + " unresponsive: "
              + failures
              + " consecutive timeouts or connection failures; its remaining lookups were not"
              + " attempted");
    }
  }

  private final int threshold;
  private final ConcurrentMap<String, AtomicInteger> consecutive = new ConcurrentHashMap<>();

  /**
   * @param threshold consecutive failures that open the circuit of a host; at least 1
   */
  CircuitBreaker(int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("the circuit breaker threshold must be at least 1");
    }
    this.threshold = threshold;
  }

  /** Throws {@link Open} if {@code host} has been declared unresponsive. */
  void check(String host) throws Open {
    int failures = count(host).get();
    if (failures >= threshold) {
      throw new Open(host, failures);
    }
  }

  boolean isOpen(String host) {
    return count(host).get() >= threshold;
  }

  /** A response arrived from {@code host}: it is answering. */
  void succeeded(String host) {
    AtomicInteger c = count(host);
    // An open circuit stays open: late answers to requests sent before it opened do not undo it.
    c.getAndUpdate(n -> n >= threshold ? n : 0);
  }

  /** An exchange with {@code host} timed out or could not connect. */
  void failed(String host) {
    count(host).incrementAndGet();
  }

  private AtomicInteger count(String host) {
    return consecutive.computeIfAbsent(host, h -> new AtomicInteger());
  }
}
