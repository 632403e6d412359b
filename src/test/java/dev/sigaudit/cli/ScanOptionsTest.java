package dev.sigaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Flags become one immutable configuration; what a flag implies is decided there, once. */
class ScanOptionsTest {

  private static ScanConfig config(String... args) throws UsageException {
    ScanCommand command = new ScanCommand();
    new CommandLine(command).parseArgs(args);
    return command.options.config();
  }

  @Test
  void defaultsAreTheDocumentedOnes() throws UsageException {
    ScanConfig c = config();
    assertThat(c.limits())
        .isEqualTo(new ScanConfig.Limits(32, 500, 15, java.time.Duration.ofMinutes(55)));
    assertThat(c.registries().concurrencyPerRegistry()).isEqualTo(64);
    assertThat(c.registries().requestBudget()).isEqualTo(100_000);
    assertThat(c.outputs().maxReportResults()).isEqualTo(1000);
    assertThat(c.outputs().policyReports()).isTrue();
    assertThat(c.clusterPolicies()).containsExactlyInAnyOrder(PolicyEngine.values());
    assertThat(c.cache()).isEqualTo(new ScanConfig.Cache(Optional.empty(), Duration.ofHours(24)));
    assertThat(c.namespaces().selects("anything")).isTrue();
  }

  @Test
  void clusterPoliciesSelectsEnginesOrNone() throws UsageException {
    assertThat(config("--cluster-policies", "kyverno").clusterPolicies())
        .containsExactly(PolicyEngine.KYVERNO);
    assertThat(config("--cluster-policies", "policy-controller").clusterPolicies())
        .containsExactly(PolicyEngine.POLICY_CONTROLLER);
    assertThat(config("--cluster-policies", "policy-controller,kyverno").clusterPolicies())
        .containsExactlyInAnyOrder(PolicyEngine.values());
    assertThat(config("--cluster-policies", "none").clusterPolicies()).isEmpty();
    assertThat(config("--no-cluster-policies").clusterPolicies()).isEmpty();
    assertThat(Wiring.dialects(config("--cluster-policies", "policy-controller").clusterPolicies()))
        .extracting(d -> d.resources().get(0).plural())
        .containsExactly("clusterimagepolicies");
  }

  @Test
  void reportApiIsAutoUnlessNamed() throws UsageException {
    assertThat(config().outputs().reportApi()).isEmpty();
    assertThat(config("--report-api", "openreports").outputs().reportApi())
        .contains(dev.sigaudit.report.ReportApi.OPENREPORTS);
    assertThat(config("--report-api", "wgpolicyk8s").outputs().reportApi())
        .contains(dev.sigaudit.report.ReportApi.WGPOLICYK8S);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> config("--report-api", "polr"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--report-api: must be auto, wgpolicyk8s or openreports");
  }

  @Test
  void clusterPoliciesRefusesWhatItCannotUse() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> config("--cluster-policies", "kyvern"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--cluster-policies: must be kyverno, policy-controller or none");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> config("--cluster-policies", "none,kyverno"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("none cannot be combined");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> config("--cluster-policies", "kyverno", "--no-cluster-policies"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--no-cluster-policies");
  }

  @Test
  void aDryRunPushesNoMetricsButStillWritesLocalFiles() throws UsageException {
    ScanConfig c =
        config(
            "--dry-run",
            "--pushgateway",
            "http://pg:9091",
            "--metrics-file",
            "m.prom",
            "--csv-dir",
            "out");
    assertThat(c.outputs().dryRun()).isTrue();
    assertThat(c.outputs().pushgateway()).isEmpty();
    assertThat(c.outputs().metricsFile()).contains(Path.of("m.prom"));
    assertThat(c.outputs().csvDir()).contains(Path.of("out"));
    assertThat(config("--pushgateway", "http://pg:9091").outputs().pushgateway())
        .contains(URI.create("http://pg:9091"));
  }

  @Test
  void onlyAScanThatWritesReportsHasWorkloadsHandedOnWhileItRuns() throws UsageException {
    var kube = new io.kubernetes.client.openapi.ApiClient();
    var policies = new Policies(java.util.List.of(), java.util.List.of());
    var cache = dev.sigaudit.scan.VerificationCache.none();
    var writing = new Wiring(config("--report-api", "wgpolicyk8s"), System.out, System.err, null);
    var dryRun =
        new Wiring(
            config("--report-api", "wgpolicyk8s", "--dry-run"), System.out, System.err, null);

    assertThat(writing.outputs(kube, policies, cache).early())
        .isNotSameAs(dev.sigaudit.scan.JudgedWorkloads.NONE);
    // A dry run prints its reports at the end: judging workloads early for it is wasted work.
    assertThat(dryRun.outputs(kube, policies, cache).early())
        .isSameAs(dev.sigaudit.scan.JudgedWorkloads.NONE);
  }

  @Test
  void namespaceFlagsBecomeOneFilter() throws UsageException {
    ScanConfig c = config("-n", "team-*,ops", "--exclude-namespace", "team-old");
    assertThat(c.namespaces().selects("team-a")).isTrue();
    assertThat(c.namespaces().selects("ops")).isTrue();
    assertThat(c.namespaces().selects("team-old")).isFalse();
    assertThat(c.namespaces().selects("kube-system")).isFalse();
  }
}
