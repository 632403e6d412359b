package dev.sigaudit.scan;

import dev.sigaudit.policy.Policy;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * What one scan is configured with, besides the components it talks to.
 *
 * @param policies the policies to judge by; none means inventory mode (describe who signs what)
 * @param policyProblems problems met while loading them, reported with the scan's own
 * @param cluster the cluster's name in results
 * @param concurrency tag resolutions, lookups and verifications in flight at once (at least one)
 * @param clock for the scan's start and stage durations
 * @param listener progress, for logs and metrics
 */
public record ScanSettings(
    List<Policy> policies,
    List<String> policyProblems,
    String cluster,
    int concurrency,
    Clock clock,
    ScanListener listener) {
  public ScanSettings {
    policies = List.copyOf(policies);
    policyProblems = List.copyOf(policyProblems);
    Objects.requireNonNull(cluster);
    Objects.requireNonNull(clock);
    Objects.requireNonNull(listener);
  }

  /** No policy given and none found: describe who signs what instead of judging. */
  public boolean inventoryMode() {
    return policies.isEmpty();
  }
}
