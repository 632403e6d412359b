package dev.sigaudit.registry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;

/**
 * Bounds the number of in-flight requests per host. Thousands of virtual threads may scan at once;
 * a registry sees at most {@code permitsPerHost} of them. A permit is held for one HTTP exchange
 * only — never across a retry wait or a token fetch — so it cannot deadlock.
 */
final class HostLimiter {
  private final int permitsPerHost;
  private final ConcurrentMap<String, Semaphore> semaphores = new ConcurrentHashMap<>();

  HostLimiter(int permitsPerHost) {
    if (permitsPerHost < 1) {
      throw new IllegalArgumentException("permits per registry must be at least 1");
    }
    this.permitsPerHost = permitsPerHost;
  }

  void acquire(String host) throws InterruptedException {
    semaphore(host).acquire();
  }

  void release(String host) {
    semaphore(host).release();
  }

  private Semaphore semaphore(String host) {
    // Fair, so a burst of new requests cannot starve one waiting for long.
    return semaphores.computeIfAbsent(host, h -> new Semaphore(permitsPerHost, true));
  }
}
