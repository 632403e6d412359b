package dev.sigaudit.cli;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.report.EnforceReadiness;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text printed at the end of a scan: results per policy; every failing and every undecided
 * (workload, policy), grouped under its short cause (with the fix, when the user has one); what
 * each policy would block if enforced; and where the outputs went.
 *
 * <p>A group shows at most {@link #LINES_PER_GROUP} lines and then how many more, so the summary of
 * a thousand workloads stays a screenful per cause; the cause is always printed before any line is
 * left out, and lines are never cut.
 */
final class Summary {
  static final int LINES_PER_GROUP = 10;

  /** What to do about a policy that matched nothing: usually, fill in the template. */
  static final String UNMATCHED_HINT =
      "if it is still the template (cronjob/base/policy.yaml, examples/policy.yaml), put your"
          + " image patterns and your public key in it (docs/policy-file.md)";

  private Summary() {}

  /** The summary of a scan that wrote no outputs. */
  static void print(
      PrintStream out, ScanResult scan, List<EnforceReadiness.PolicyReadiness> readiness) {
    print(out, scan, readiness, List.of(), List.of());
  }

  static void print(
      PrintStream out,
      ScanResult scan,
      List<EnforceReadiness.PolicyReadiness> readiness,
      List<String> unmatched,
      List<Written> written) {
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
    Breakdown breakdown = Breakdown.of(scan.rows());
    if (!breakdown.failures().isEmpty()) {
      out.printf(
          "%nFailing (%d workloads; %s), by cause:%n",
          breakdown.failingWorkloads(), pairs(breakdown.failures()));
      breakdown.failures().forEach(g -> group(out, g));
    }
    if (!breakdown.errors().isEmpty()) {
      out.printf("%nCould not check (%s), by cause:%n", pairs(breakdown.errors()));
      breakdown.errors().forEach(g -> group(out, g));
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
    if (!written.isEmpty()) {
      out.printf("%nOutputs:%n");
      written.forEach(w -> out.println("  " + w.line()));
    }
  }

  /** The fix line of a group, naming the hosts when the fix is per registry. */
  static String fix(Breakdown.Group g) {
    if (g.cause() == Cause.PLAIN_HTTP && !g.hosts().isEmpty()) {
      return "add "
          + String.join(" ", g.hosts().stream().map(h -> "--insecure-registry " + h).toList())
          + " if "
          + (g.hosts().size() == 1 ? "it serves" : "they serve")
          + " plain HTTP on purpose";
    }
    return g.cause().fix().orElse("");
  }

  private static void group(PrintStream out, Breakdown.Group g) {
    String fix = fix(g);
    out.printf(
        "  %s (%d)%s%n",
        g.cause().label(), g.items().size(), fix.isEmpty() ? "" : " — fix: " + fix);
    int w =
        Math.min(
            48,
            g.items().stream()
                .limit(LINES_PER_GROUP)
                .mapToInt(i -> i.workload().length())
                .max()
                .orElse(0));
    int p =
        Math.min(
            48,
            g.items().stream()
                .limit(LINES_PER_GROUP)
                .mapToInt(i -> i.policy().length())
                .max()
                .orElse(0));
    g.items().stream()
        .limit(LINES_PER_GROUP)
        .forEach(
            i ->
                out.printf(
                    "    %-" + w + "s  %-" + p + "s  %s%n",
                    i.workload(),
                    i.policy(),
                    String.join(", ", i.images())));
    if (g.items().size() > LINES_PER_GROUP) {
      out.printf(
          "    … and %d more (results.csv, or kubectl get polr -A)%n",
          g.items().size() - LINES_PER_GROUP);
    }
  }

  private static String pairs(List<Breakdown.Group> groups) {
    int n = groups.stream().mapToInt(g -> g.items().size()).sum();
    return n + (n == 1 ? " workload × policy" : " workload × policy pairs");
  }
}
