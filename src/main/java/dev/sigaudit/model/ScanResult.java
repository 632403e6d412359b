package dev.sigaudit.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything one scan found, handed to the report writers.
 *
 * @param scanId unique per scan (UUID), in every CSV row
 * @param cluster the cluster name given on the command line (reports and metrics label it)
 * @param pods Pods listed
 * @param distinctImages distinct {@code repository@digest} checked
 * @param registryRequests HTTP requests sent to registries
 * @param inventory the signature inventory, when the scan had no policy to judge by
 * @param problems scan-level problems that did not stop the scan (a policy that failed to load is
 *     also an error row; this list is for the log and metrics)
 */
public record ScanResult(
    String scanId,
    String cluster,
    Instant started,
    Duration duration,
    int pods,
    int distinctImages,
    long registryRequests,
    List<AuditRow> rows,
    List<String> problems,
    List<InventoryRow> inventory) {
  /** A scan that judged by policies (no inventory). */
  public ScanResult(
      String scanId,
      String cluster,
      Instant started,
      Duration duration,
      int pods,
      int distinctImages,
      long registryRequests,
      List<AuditRow> rows,
      List<String> problems) {
    this(
        scanId,
        cluster,
        started,
        duration,
        pods,
        distinctImages,
        registryRequests,
        rows,
        problems,
        List.of());
  }

  public ScanResult {
    inventory = List.copyOf(inventory);
    Objects.requireNonNull(scanId);
    Objects.requireNonNull(cluster);
    Objects.requireNonNull(started);
    Objects.requireNonNull(duration);
    rows = List.copyOf(rows);
    problems = List.copyOf(problems);
  }

  public long count(Result r) {
    return rows.stream().filter(x -> x.finding().result() == r).count();
  }
}
