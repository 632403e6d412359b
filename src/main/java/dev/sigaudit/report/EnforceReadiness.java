package dev.sigaudit.report;

import dev.sigaudit.model.Result;
import dev.sigaudit.model.ScanResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each policy would block if it were enforced now, whatever its current mode: the running
 * workloads with a {@code fail} (an admission controller would refuse them), and those with an
 * {@code error} (it could not decide; most controllers fail closed). Computed from the scan's rows,
 * so it agrees with every other export by construction.
 */
public final class EnforceReadiness {

  /** A workload a policy would block, with the first reason. */
  public record Workload(
      String namespace, String kind, String name, Result result, String reason) {}

  /**
   * One policy's readiness.
   *
   * @param severity the policy's severity ({@code high}…), empty when not known
   */
  public record PolicyReadiness(
      String policy,
      String source,
      String mode,
      String severity,
      List<Workload> blocked,
      List<Workload> unverifiable) {
    public boolean ready() {
      return blocked.isEmpty() && unverifiable.isEmpty();
    }

    public long namespaces() {
      return java.util.stream.Stream.concat(blocked.stream(), unverifiable.stream())
          .map(Workload::namespace)
          .distinct()
          .count();
    }
  }

  private EnforceReadiness() {}

  /**
   * @param policies every policy of the scan, by name, with its source, current mode and
   *     (optionally) severity (a policy that matched nothing is listed as ready)
   */
  public static List<PolicyReadiness> of(ScanResult scan, Map<String, String[]> policies) {
    return of(ResultRows.of(scan), policies);
  }

  /**
   * The same from {@code results.csv}'s rows (a scan's, or read back from the cluster's reports):
   * the reason shown for a workload is that of its first row in {@link ResultRow#ORDER}.
   */
  public static List<PolicyReadiness> of(List<ResultRow> rows, Map<String, String[]> policies) {
    Map<String, Map<String, Workload>> byPolicy = new TreeMap<>();
    policies.keySet().forEach(p -> byPolicy.put(p, new LinkedHashMap<>()));
    for (ResultRow r : rows.stream().sorted(ResultRow.ORDER).toList()) {
      Result res = r.status();
      if ((res != Result.FAIL && res != Result.ERROR)
          || ResultRows.isInventory(r.policy(), r.source())) {
        continue; // the inventory judges nothing: there is no policy to enforce
      }
      String key = r.workloadKey();
      Map<String, Workload> m = byPolicy.computeIfAbsent(r.policy(), k -> new LinkedHashMap<>());
      Workload existing = m.get(key);
      // A workload failing anywhere is blocked, even if another container only errored.
      if (existing == null || (existing.result() == Result.ERROR && res == Result.FAIL)) {
        m.put(
            key, new Workload(r.namespace(), r.workloadKind(), r.workloadName(), res, r.reason()));
      }
    }
    List<PolicyReadiness> out = new ArrayList<>();
    byPolicy.forEach(
        (policy, workloads) -> {
          String[] meta = policies.getOrDefault(policy, new String[] {"", ""});
          List<Workload> sorted =
              workloads.values().stream()
                  .sorted(
                      Comparator.comparing(Workload::namespace)
                          .thenComparing(Workload::kind)
                          .thenComparing(Workload::name))
                  .toList();
          out.add(
              new PolicyReadiness(
                  policy,
                  meta[0],
                  meta[1],
                  meta.length > 2 ? meta[2] : "",
                  sorted.stream().filter(w -> w.result() == Result.FAIL).toList(),
                  sorted.stream().filter(w -> w.result() == Result.ERROR).toList()));
        });
    return out;
  }
}
