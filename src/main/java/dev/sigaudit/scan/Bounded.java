package dev.sigaudit.scan;

import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Runs tasks on virtual threads with at most {@code limit} in flight. Registry I/O is the work; the
 * per-registry limit lives in the registry client, this one bounds the scan as a whole.
 */
final class Bounded {
  private final Semaphore permits;

  Bounded(int limit) {
    this.permits = new Semaphore(Math.max(1, limit));
  }

  <T> void runAll(Collection<T> items, Consumer<T> task) throws InterruptedException {
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      for (T item : items) {
        permits.acquire();
        ex.submit(
            () -> {
              try {
                task.accept(item);
              } finally {
                permits.release();
              }
            });
      }
    } // close() waits for every task
  }
}
