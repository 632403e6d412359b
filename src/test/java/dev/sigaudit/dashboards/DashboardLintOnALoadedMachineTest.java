package dev.sigaudit.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PromQL checks must not depend on how fast the machine is. CodeMirror parses within a 20 ms
 * wall-clock budget when an editor state is created; on a loaded machine (the unit suite under
 * {@code stress-ng}) the Prometheus linter was handed a partial tree and reported type errors in
 * valid expressions. Here the linter runs with a clock that leaps a second every few reads — what a
 * starved process sees — so this test fails exactly when the lint depends on timing, and passes
 * however fast or slow the machine really is.
 */
class DashboardLintOnALoadedMachineTest {

  @Test
  void theCommittedDashboardsLintCleanEvenWhenTheClockLeapsDuringParsing(@TempDir Path tmp)
      throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve("scripts/dashboard-lint"))) {
      root = root.getParent();
    }
    Path starvedClock =
        Files.writeString(
            tmp.resolve("starved-clock.cjs"),
            """
            // Every third clock read is a second later than the one before.
            const realNow = Date.now;
            let reads = 0;
            let skew = 0;
            Date.now = () => {
              if (++reads % 3 === 0) skew += 1000;
              return realNow() + skew;
            };
            """);
    List<Path> dashboards;
    try (Stream<Path> files = Files.list(root.resolve("dashboards"))) {
      dashboards = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }

    List<DashboardLint.Report> reports =
        DashboardLint.run(root, dashboards, Map.of("NODE_OPTIONS", "--require " + starvedClock));

    assertThat(reports).hasSize(dashboards.size());
    assertThat(reports.stream().flatMap(r -> r.expressions().stream()))
        .isNotEmpty()
        .allSatisfy(
            e -> {
              assertThat(e.syntaxErrors()).as(e.location()).isEmpty();
              assertThat(e.typeErrors()).as(e.location()).isEmpty();
            });
  }
}
