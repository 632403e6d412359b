package dev.sigaudit.registry;

import java.time.Duration;

/**
 * Waits between retries. Injected so tests assert the requested waits instead of measuring time.
 */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps on the calling thread (cheap with virtual threads). */
  Sleeper SYSTEM = Thread::sleep;

  void sleep(Duration duration) throws InterruptedException;
}
