package dev.sigaudit.scan;

import dev.sigaudit.model.AuditRow;
import java.time.Instant;
import java.util.List;

/**
 * Where a scan hands on each workload's rows as soon as they are final: when every lookup its
 * containers need is done, while other workloads' lookups still wait on registries. An output can
 * then be written during the scan instead of after it (a cold scan otherwise spends as long
 * creating PolicyReports as looking up signatures: docs/benchmarks.md).
 *
 * <p>Called from many threads at once, at most once per workload, with all of that workload's rows.
 * The scan's result has the same rows for it, unless the deadline cut one of its lookups short
 * after the hand-off (then the result says so): an output written from these must still make itself
 * match the result at the end. A workload whose lookups did not all complete is not handed on here;
 * only the result has it.
 */
@FunctionalInterface
public interface JudgedWorkloads {
  JudgedWorkloads NONE = (started, rows) -> {};

  /**
   * @param scanStarted the scan's start, the timestamp of its results
   * @param rows every row of one workload (namespace, kind and name: {@code
   *     WorkloadRef.identity()})
   */
  void judged(Instant scanStarted, List<AuditRow> rows);
}
