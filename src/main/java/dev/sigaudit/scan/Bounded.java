package dev.sigaudit.scan;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs tasks on virtual threads with at most {@code limit} in flight, until an optional deadline.
 * Registry I/O is the work; the per-registry limit lives in the registry client, this one bounds
 * the scan as a whole — in concurrency and in time.
 *
 * <p>When the deadline passes, no further task starts and the running ones are interrupted (the
 * registry client gives up at once on an interrupt). {@link #runAll} then returns the items whose
 * task did not complete, so the stage can give each an {@code error} saying so: a scan that runs
 * out of time still reports every container and still writes every output.
 */
final class Bounded {
  private final Semaphore permits;
  private final Clock clock;
  private final Instant deadline;

  /** No deadline. */
  Bounded(int limit) {
    this(limit, Clock.systemUTC(), Instant.MAX);
  }

  Bounded(int limit, Clock clock, Instant deadline) {
    this.permits = new Semaphore(Math.max(1, limit));
    this.clock = clock;
    this.deadline = deadline;
  }

  /**
   * Runs {@code task} for every item; returns the items whose task did not complete before the
   * deadline (never started, or interrupted when it passed). Empty without a deadline.
   */
  <T> Set<T> runAll(Collection<T> items, Consumer<T> task) throws InterruptedException {
    Set<T> completed = ConcurrentHashMap.newKeySet();
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      for (T item : items) {
        if (!permits.tryAcquire(remainingMillis(), TimeUnit.MILLISECONDS)) {
          break; // out of time: the rest never start
        }
        ex.submit(
            () -> {
              try {
                task.accept(item);
                // A task cut short by the deadline's interrupt did not really complete, whatever
                // it recorded (the registry client keeps the interrupt flag set).
                if (!Thread.currentThread().isInterrupted()) {
                  completed.add(item);
                }
              } finally {
                permits.release();
              }
            });
      }
      ex.shutdown();
      if (!ex.awaitTermination(remainingMillis(), TimeUnit.MILLISECONDS)) {
        ex.shutdownNow();
      }
    } // close() waits for the interrupted tasks to wind down
    Set<T> missed = ConcurrentHashMap.newKeySet();
    for (T item : items) {
      if (!completed.contains(item)) {
        missed.add(item);
      }
    }
    return missed;
  }

  private long remainingMillis() {
    if (deadline.equals(Instant.MAX)) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
  }
}
