package dev.sigaudit.scan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which workloads have every lookup their containers need done, as lookups complete in any order on
 * many threads: what lets a scan hand on a workload's rows ({@link JudgedWorkloads}) before the
 * whole signature stage is over. Each workload is reported complete exactly once.
 */
final class WorkloadCompletion {
  /** The targets of one workload and the lookups it still waits for. */
  private static final class Pending {
    final List<Target> targets = new ArrayList<>();
    final Set<LookupKey> waiting = new HashSet<>();
    boolean handedOn;
  }

  private final List<Pending> workloads;
  private final Map<LookupKey, List<Pending>> byLookup = new HashMap<>();

  /** The workloads of {@code plan}: its targets grouped by workload, with what each needs. */
  WorkloadCompletion(Planner.Plan plan) {
    Map<String, Pending> grouped = new LinkedHashMap<>();
    for (int i = 0; i < plan.targets().size(); i++) {
      Target t = plan.targets().get(i);
      Pending p = grouped.computeIfAbsent(t.container().workload().identity(), k -> new Pending());
      p.targets.add(t);
      p.waiting.addAll(plan.needs().get(i));
    }
    this.workloads = List.copyOf(grouped.values());
    for (Pending p : workloads) {
      p.waiting.forEach(k -> byLookup.computeIfAbsent(k, x -> new ArrayList<>()).add(p));
    }
  }

  /** The workloads that need no lookup at all (none of their containers has a digest). */
  List<List<Target>> needingNothing() {
    List<List<Target>> out = new ArrayList<>();
    for (Pending p : workloads) {
      synchronized (p) {
        if (p.waiting.isEmpty() && !p.handedOn) {
          p.handedOn = true;
          out.add(List.copyOf(p.targets));
        }
      }
    }
    return out;
  }

  /** {@code k} is done: the workloads it was the last lookup of, each once. */
  List<List<Target>> done(LookupKey k) {
    List<List<Target>> out = new ArrayList<>();
    for (Pending p : byLookup.getOrDefault(k, List.of())) {
      synchronized (p) {
        p.waiting.remove(k);
        if (p.waiting.isEmpty() && !p.handedOn) {
          p.handedOn = true;
          out.add(List.copyOf(p.targets));
        }
      }
    }
    return out;
  }
}
