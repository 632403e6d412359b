package dev.sigaudit.registry;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds the number of in-flight requests per host. Thousands of virtual threads may scan at once;
 * a registry sees at most its current {@link AdaptiveLimit} of them, which grows from {@code start}
 * toward {@code ceiling} while the host's latency stays flat and shrinks when it queues or
 * throttles. A permit is held for one HTTP exchange only — never across a retry wait or a token
 * fetch — so it cannot deadlock.
 */
final class HostLimiter {
  /** Where every host starts: the fixed limit sigaudit used before it adapted. */
  static final int START = 8;

  private final int ceiling;
  private final ConcurrentMap<String, Host> hosts = new ConcurrentHashMap<>();

  /**
   * @param ceiling the most requests in flight to one host, at least 1
   */
  HostLimiter(int ceiling) {
    if (ceiling < 1) {
      throw new IllegalArgumentException("permits per registry must be at least 1");
    }
    this.ceiling = ceiling;
  }

  /** Waits until {@code host} has room for one more request. */
  void acquire(String host) throws InterruptedException {
    host(host).acquire();
  }

  /** The exchange ended with a response after {@code latency}. */
  void answered(String host, int status, Duration latency) {
    Host h = host(host);
    if (status == 429 || status == 503) {
      h.release(h.limit::throttled);
    } else {
      h.release(() -> h.limit.answered(latency));
    }
  }

  /** The exchange timed out: as much a sign of overload as a 429. */
  void timedOut(String host) {
    Host h = host(host);
    h.release(h.limit::throttled);
  }

  /** The exchange ended without saying anything about load (refused, reset, interrupted). */
  void release(String host) {
    host(host).release(() -> {});
  }

  /** The current limit of {@code host} (for tests and logs). */
  int limit(String host) {
    return host(host).limit.limit();
  }

  private Host host(String host) {
    return hosts.computeIfAbsent(
        host, h -> new Host(new AdaptiveLimit(Math.min(START, ceiling), ceiling)));
  }

  /** One host's permits; a fair lock, so a burst of new requests cannot starve one waiting long. */
  private static final class Host {
    final AdaptiveLimit limit;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition room = lock.newCondition();
    private int inFlight;

    Host(AdaptiveLimit limit) {
      this.limit = limit;
    }

    void acquire() throws InterruptedException {
      lock.lockInterruptibly();
      try {
        while (inFlight >= limit.limit()) {
          room.await();
        }
        inFlight++;
      } finally {
        lock.unlock();
      }
    }

    void release(Runnable learn) {
      lock.lock();
      try {
        learn.run();
        inFlight--;
        // One waiter per free permit (the limit may just have grown or shrunk); signalAll would
        // wake
        // thousands of waiting lookups for a single slot.
        for (int free = limit.limit() - inFlight; free > 0; free--) {
          room.signal();
        }
      } finally {
        lock.unlock();
      }
    }
  }
}
