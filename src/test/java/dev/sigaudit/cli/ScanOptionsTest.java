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
    assertThat(c.clusterPolicies()).isTrue();
    assertThat(c.cache()).isEqualTo(new ScanConfig.Cache(Optional.empty(), Duration.ofHours(24)));
    assertThat(c.namespaces().selects("anything")).isTrue();
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
  void namespaceFlagsBecomeOneFilter() throws UsageException {
    ScanConfig c = config("-n", "team-*,ops", "--exclude-namespace", "team-old");
    assertThat(c.namespaces().selects("team-a")).isTrue();
    assertThat(c.namespaces().selects("ops")).isTrue();
    assertThat(c.namespaces().selects("team-old")).isFalse();
    assertThat(c.namespaces().selects("kube-system")).isFalse();
  }
}
