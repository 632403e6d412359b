package dev.sigaudit.cli;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.ScanResult;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/** The table printed at the end of a scan: results per policy, then what would be blocked. */
final class Summary {
  /** What to do about a policy that matched nothing: usually, fill in the template. */
  static final String UNMATCHED_HINT =
      "if it is still the template (cronjob/base/policy.yaml, examples/policy.yaml), put your"
          + " image patterns and your public key in it (docs/policy-file.md)";

  private Summary() {}

  static void print(
      PrintStream out,
      ScanResult scan,
      java.util.List<dev.sigaudit.report.EnforceReadiness.PolicyReadiness> readiness,
      java.util.List<String> unmatched) {
    Map<String, EnumMap<Result, Integer>> byPolicy = new TreeMap<>();
    for (AuditRow r : scan.rows()) {
      byPolicy
          .computeIfAbsent(r.finding().policy(), k -> new EnumMap<>(Result.class))
          .merge(r.finding().result(), 1, Integer::sum);
    }
    int width = Math.max(6, byPolicy.keySet().stream().mapToInt(String::length).max().orElse(6));
    out.printf(
        "%nsigaudit scan %s — cluster %s — %d pods, %d distinct images, %d registry requests, %.1fs%n",
        scan.scanId(),
        scan.cluster(),
        scan.pods(),
        scan.distinctImages(),
        scan.registryRequests(),
        scan.duration().toMillis() / 1000.0);
    out.printf("resources: %s%n", ResourceUsage.now());
    out.printf("%-" + width + "s %6s %6s %6s %6s%n", "POLICY", "PASS", "FAIL", "ERROR", "SKIP");
    byPolicy.forEach(
        (p, counts) ->
            out.printf(
                "%-" + width + "s %6d %6d %6d %6d%n",
                p,
                counts.getOrDefault(Result.PASS, 0),
                counts.getOrDefault(Result.FAIL, 0),
                counts.getOrDefault(Result.ERROR, 0),
                counts.getOrDefault(Result.SKIP, 0)));
    Map<String, String> failing = new TreeMap<>();
    for (AuditRow r : scan.rows()) {
      if (r.finding().result() == Result.FAIL) {
        var w = r.container().workload();
        failing.putIfAbsent(
            w.namespace() + "/" + w.kind() + "/" + w.name(),
            r.finding().policy() + ": " + r.finding().message());
      }
    }
    if (!failing.isEmpty()) {
      out.printf("%nFailing workloads (%d):%n", failing.size());
      failing.entrySet().stream()
          .limit(20)
          .forEach(e -> out.printf("  %s  (%s)%n", e.getKey(), abbreviate(e.getValue())));
      if (failing.size() > 20) {
        out.printf("  … and %d more (see the CSV export or PolicyReports)%n", failing.size() - 20);
      }
    }
    if (!readiness.isEmpty()) {
      out.printf("%nEnforce readiness (if enforced now):%n");
      out.printf(
          "%-" + width + "s %-8s %8s %13s %11s%n",
          "POLICY",
          "MODE",
          "BLOCKED",
          "UNDECIDABLE",
          "NAMESPACES");
      for (var r : readiness) {
        out.printf(
            "%-" + width + "s %-8s %8d %13d %11d%n",
            r.policy(),
            r.mode(),
            r.blocked().size(),
            r.unverifiable().size(),
            r.namespaces());
      }
    }
    if (!unmatched.isEmpty()) {
      out.printf("%nPolicies that matched no running image (%d):%n", unmatched.size());
      unmatched.forEach(p -> out.printf("  %s%n", p));
      out.printf("  (every result skip: %s)%n", UNMATCHED_HINT);
    }
    if (!scan.problems().isEmpty()) {
      out.printf("%nProblems (%d):%n", scan.problems().size());
      scan.problems().forEach(p -> out.println("  " + p));
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 160 ? s : s.substring(0, 160) + "…";
  }
}
