package dev.sigaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.InventoryRow;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadCountsTest {

  private static ResultRow row(
      String ns, String workload, String container, String policy, Severity sev, Result status) {
    return new ResultRow(
        ns,
        "Deployment",
        workload,
        container,
        "regular",
        "ghcr.io/a/b:1",
        "sha256:" + "a".repeat(64),
        "imageID",
        "ghcr.io",
        "a/b",
        "1",
        "sigaudit-file",
        policy,
        "rule",
        status,
        "why",
        "",
        "",
        "",
        sev,
        "Image Signatures",
        "",
        3,
        "");
  }

  private static ResultRow inventory(String ns, String workload, String container, Result r) {
    return new ResultRow(
        ns,
        "Deployment",
        workload,
        container,
        "regular",
        "ghcr.io/a/b:1",
        "",
        "imageID",
        "ghcr.io",
        "a/b",
        "1",
        "sigaudit",
        InventoryRow.POLICY,
        "",
        r,
        "why",
        "",
        "",
        "",
        Severity.INFO,
        "Signature Inventory",
        "",
        1,
        "");
  }

  @Test
  void aWorkloadFailingTwoRulesOfTwoPoliciesCountsOnce() {
    var rows =
        List.of(
            row("prod", "web", "app", "p1", Severity.HIGH, Result.FAIL),
            row("prod", "web", "sidecar", "p1", Severity.HIGH, Result.PASS),
            row("prod", "web", "app", "p2", Severity.MEDIUM, Result.FAIL),
            row("prod", "api", "app", "p1", Severity.HIGH, Result.ERROR),
            row("prod", "api", "app", "p2", Severity.MEDIUM, Result.PASS),
            row("dev", "job", "app", "p2", Severity.MEDIUM, Result.SKIP));

    Map<List<String>, Integer> overall = WorkloadCounts.overall(rows);

    String all = "critical|high|medium|low|info";
    assertThat(overall)
        .containsEntry(List.of("prod", all, "fail"), 1)
        .containsEntry(List.of("prod", all, "error"), 1)
        .containsEntry(List.of("dev", all, "skip"), 1)
        .doesNotContainKey(List.of("prod", all, "pass"));
    // Only high and critical policies: p1 alone.
    assertThat(overall)
        .containsEntry(List.of("prod", "critical|high", "fail"), 1)
        .containsEntry(List.of("prod", "critical|high", "error"), 1)
        .doesNotContainKey(List.of("dev", "critical|high", "skip"));
    assertThat(overall.keySet()).noneMatch(k -> k.get(1).equals("critical"));

    assertThat(WorkloadCounts.perPolicy(rows))
        .containsEntry(List.of("prod", "p1", "high", "fail"), 1)
        .containsEntry(List.of("prod", "p1", "high", "error"), 1)
        .containsEntry(List.of("prod", "p2", "medium", "fail"), 1)
        .containsEntry(List.of("prod", "p2", "medium", "pass"), 1)
        .containsEntry(List.of("dev", "p2", "medium", "skip"), 1)
        .hasSize(5);
  }

  @Test
  void theInventoryIsCountedApartFromPoliciesByItsWeakestState() {
    var rows =
        List.of(
            inventory("prod", "web", "app", Result.PASS), // verified
            inventory("prod", "web", "sidecar", Result.FAIL), // unsigned
            inventory("prod", "api", "app", Result.SKIP), // signed, signer not verified
            inventory("prod", "db", "app", Result.PASS));

    assertThat(WorkloadCounts.inventory(rows))
        .isEqualTo(
            Map.of(
                List.of("prod", "unsigned"), 1,
                List.of("prod", "signed"), 1,
                List.of("prod", "verified"), 1));
    assertThat(WorkloadCounts.overall(rows)).isEmpty();
    assertThat(WorkloadCounts.perPolicy(rows)).isEmpty();
  }

  @Test
  void aSeverityThresholdListsItselfAndEverythingAbove() {
    assertThat(WorkloadCounts.atLeast(Severity.CRITICAL)).isEqualTo("critical");
    assertThat(WorkloadCounts.atLeast(Severity.MEDIUM)).isEqualTo("critical|high|medium");
    assertThat(WorkloadCounts.atLeast(Severity.INFO)).isEqualTo("critical|high|medium|low|info");
  }
}
