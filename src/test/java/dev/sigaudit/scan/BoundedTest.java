package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class BoundedTest {
  private final CountDownLatch never = new CountDownLatch(1);

  @Test
  void withoutADeadlineEveryTaskRunsAndNothingIsMissed() throws Exception {
    Set<Integer> ran = ConcurrentHashMap.newKeySet();

    Set<Integer> missed = new Bounded(2).runAll(List.of(1, 2, 3, 4, 5), ran::add);

    assertThat(ran).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    assertThat(missed).isEmpty();
  }

  @Test
  void whenTheDeadlinePassesRunningTasksAreInterruptedAndTheRestNeverStart() throws Exception {
    Set<String> started = ConcurrentHashMap.newKeySet();
    Set<String> interrupted = ConcurrentHashMap.newKeySet();
    Bounded pool = new Bounded(1, Clock.systemUTC(), Instant.now().plus(Duration.ofSeconds(1)));

    Set<String> missed =
        pool.runAll(
            List.of("stuck", "queued-1", "queued-2"),
            item -> {
              started.add(item);
              try {
                never.await(); // a registry that never answers
              } catch (InterruptedException e) {
                interrupted.add(item);
                Thread.currentThread().interrupt(); // as the registry client does
              }
            });

    assertThat(started).containsExactly("stuck");
    assertThat(interrupted).containsExactly("stuck");
    assertThat(missed).containsExactlyInAnyOrder("stuck", "queued-1", "queued-2");
  }

  @Test
  void tasksThatFinishBeforeTheDeadlineAreNotMissed() throws Exception {
    Set<Integer> ran = ConcurrentHashMap.newKeySet();
    Bounded pool = new Bounded(4, Clock.systemUTC(), Instant.now().plus(Duration.ofHours(1)));

    assertThat(pool.runAll(List.of(1, 2, 3), ran::add)).isEmpty();
    assertThat(ran).containsExactlyInAnyOrder(1, 2, 3);
  }
}
