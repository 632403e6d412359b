package dev.sigaudit.scan;

import dev.sigaudit.policy.Policy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one scan is configured with, besides the components it talks to.
 *
 * @param policies the policies to judge by; none means inventory mode (describe who signs what)
 * @param policyProblems problems met while loading them, reported with the scan's own
 * @param cluster the cluster's name in results
 * @param concurrency tag resolutions, lookups and verifications in flight at once (at least one)
 * @param clock for the scan's start and stage durations
 * @param listener progress, for logs and metrics
 * @param deadline how long the registry stages (tag resolution, signature lookups) may take in all,
 *     counted from the scan's start; what is not looked up by then is an {@code error} saying so,
 *     and the scan still completes
 */
public record ScanSettings(
    List<Policy> policies,
    List<String> policyProblems,
    String cluster,
    int concurrency,
    Clock clock,
    ScanListener listener,
    Optional<Duration> deadline) {
  public ScanSettings {
    policies = List.copyOf(policies);
    policyProblems = List.copyOf(policyProblems);
    Objects.requireNonNull(cluster);
    Objects.requireNonNull(clock);
    Objects.requireNonNull(listener);
    Objects.requireNonNull(deadline);
  }

  /** Without a deadline. */
  public ScanSettings(
      List<Policy> policies,
      List<String> policyProblems,
      String cluster,
      int concurrency,
      Clock clock,
      ScanListener listener) {
    this(policies, policyProblems, cluster, concurrency, clock, listener, Optional.empty());
  }

  /** What an item cut off by the deadline reports. */
  String deadlineMissed(String what) {
    return "scan deadline ("
        + deadline.map(ScanSettings::text).orElse("none")
        + ", --deadline) reached before "
        + what;
  }

  private static String text(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    return d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
  }

  /** No policy given and none found: describe who signs what instead of judging. */
  public boolean inventoryMode() {
    return policies.isEmpty();
  }
}
