package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.CsvScan;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.OciRegistry;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestEnvironment;
import dev.sigaudit.testenv.TestImages;
import dev.sigaudit.testenv.TestPods;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scan stops asking a registry once its request budget is used up; what is left is an error. */
@RealEnvironment
class RequestBudgetIT {

  @Test
  void lookupsPastTheBudgetAreErrorsNeverPassesOrFails(TestEnvironment env, KubeApiServer kube)
      throws Exception {
    OciRegistry registry = env.distributionRegistry();
    Path dir = env.newDirectory("budget-");
    env.cosignV2().generateKeyPair(dir, "k");
    String ns = kube.createNamespace("budget", Map.of());
    TestPods pods = new TestPods(kube.adminClient());
    for (int i = 0; i < 4; i++) {
      var img = TestImages.push(registry, "budget/app" + i, "1");
      pods.create(ns, "p" + i, Map.of("app", img.byTag()));
      pods.reportRunning(ns, "p" + i, Map.of("app", img.imageId()));
    }
    CsvScan.keyPolicy(dir, "k");
    // One lookup at a time, so the budget is exact: the first unsigned digest costs 3 requests
    // (referrers API, fallback tag, .sig), which is the whole budget.
    var run =
        CsvScan.scan(
            kube,
            dir,
            "-n",
            ns,
            "--policy",
            dir.resolve("policy.yaml").toString(),
            "--insecure-registry",
            registry.hostPort(),
            "--registry-request-budget",
            "3",
            "--concurrency",
            "1",
            "--no-cluster-policies",
            "--no-policy-reports",
            "--csv-dir",
            dir.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).contains("3 registry requests");
    List<String> results = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (var rec : CsvScan.rows(dir.resolve("results.csv"))) {
      results.add(rec.get("status"));
      reasons.add(rec.get("reason"));
    }
    assertThat(results).containsExactlyInAnyOrder("fail", "error", "error", "error");
    assertThat(reasons)
        .filteredOn(x -> x.contains("request budget of 3 requests to " + registry.hostPort()))
        .hasSize(3);
  }
}
