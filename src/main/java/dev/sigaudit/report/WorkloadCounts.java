package dev.sigaudit.report;

import dev.sigaudit.model.Result;
import dev.sigaudit.model.Severity;
import dev.sigaudit.model.SignatureState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Distinct workloads, counted once each at the level a dashboard reads them, so that no panel has
 * to add up counts over rules, containers or policies (which counts a workload that fails two rules
 * twice). A workload's status for a set of rules is its worst: {@code fail}, then {@code error},
 * {@code pass}, {@code skip}. Every count is per namespace, and a workload lives in one namespace,
 * so sums over namespaces stay exact. The signature inventory is counted apart from policies.
 */
final class WorkloadCounts {
  /** Worst first. */
  private static final List<Result> SEVERITY_OF_STATUS =
      List.of(Result.FAIL, Result.ERROR, Result.WARN, Result.PASS, Result.SKIP);

  /** Worst first: a workload with one unsigned container is an unsigned workload. */
  private static final List<SignatureState> WORST_SIGNATURE =
      List.of(
          SignatureState.UNSIGNED,
          SignatureState.UNKNOWN,
          SignatureState.SIGNED,
          SignatureState.VERIFIED);

  private WorkloadCounts() {}

  /**
   * The value of the {@code severities} label for "this severity or higher": {@code high} gives
   * {@code critical|high}, which is also the regular expression a dashboard filters per-policy
   * series with.
   */
  static String atLeast(Severity s) {
    List<String> names = new ArrayList<>();
    for (Severity x : Severity.values()) {
      if (x.ordinal() <= s.ordinal()) {
        names.add(x.wire());
      }
    }
    return String.join("|", names);
  }

  /**
   * {namespace, policy, severity, status} → workloads: each workload once per policy, with its
   * worst status under that policy's rules.
   */
  static Map<List<String>, Integer> perPolicy(List<ResultRow> rows) {
    Map<List<String>, Result> worst = new HashMap<>();
    for (ResultRow r : policyRows(rows)) {
      worst.merge(
          List.of(r.namespace(), r.workloadKey(), r.policy(), r.severity().wire()),
          r.status(),
          WorkloadCounts::worse);
    }
    Map<List<String>, Integer> out = new TreeMap<>(WorkloadCounts::compare);
    worst.forEach(
        (k, status) ->
            out.merge(List.of(k.get(0), k.get(2), k.get(3), status.wire()), 1, Integer::sum));
    return out;
  }

  /**
   * {namespace, severities, status} → workloads: for each "this severity or higher", each workload
   * once, with its worst status under every policy of those severities.
   */
  static Map<List<String>, Integer> overall(List<ResultRow> rows) {
    Map<List<String>, Integer> out = new TreeMap<>(WorkloadCounts::compare);
    for (Severity threshold : Severity.values()) {
      Map<List<String>, Result> worst = new HashMap<>();
      for (ResultRow r : policyRows(rows)) {
        if (r.severity().ordinal() <= threshold.ordinal()) {
          worst.merge(List.of(r.namespace(), r.workloadKey()), r.status(), WorkloadCounts::worse);
        }
      }
      String label = atLeast(threshold);
      worst.forEach(
          (k, status) -> out.merge(List.of(k.get(0), label, status.wire()), 1, Integer::sum));
    }
    return out;
  }

  /**
   * {namespace, signature} → workloads of a signature inventory: each workload once, in its weakest
   * state ({@code unsigned} before {@code unknown}, {@code signed}, {@code verified}).
   */
  static Map<List<String>, Integer> inventory(List<ResultRow> rows) {
    Map<List<String>, SignatureState> weakest = new HashMap<>();
    for (ResultRow r : rows) {
      if (ResultRows.isInventory(r.policy(), r.source())) {
        weakest.merge(
            List.of(r.namespace(), r.workloadKey()),
            SignatureState.ofInventoryResult(r.status()),
            (a, b) -> WORST_SIGNATURE.indexOf(a) <= WORST_SIGNATURE.indexOf(b) ? a : b);
      }
    }
    Map<List<String>, Integer> out = new TreeMap<>(WorkloadCounts::compare);
    weakest.forEach((k, s) -> out.merge(List.of(k.get(0), s.wire()), 1, Integer::sum));
    return out;
  }

  /**
   * The rows of policies: the signature inventory judges nothing, so it is counted apart ({@link
   * #inventory}) and is never a policy that fails or is not ready.
   */
  private static List<ResultRow> policyRows(List<ResultRow> rows) {
    return rows.stream().filter(r -> !ResultRows.isInventory(r.policy(), r.source())).toList();
  }

  private static Result worse(Result a, Result b) {
    return SEVERITY_OF_STATUS.indexOf(a) <= SEVERITY_OF_STATUS.indexOf(b) ? a : b;
  }

  private static int compare(List<String> a, List<String> b) {
    return String.join("\u0000", a).compareTo(String.join("\u0000", b));
  }
}
