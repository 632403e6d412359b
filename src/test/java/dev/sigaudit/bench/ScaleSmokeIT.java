package dev.sigaudit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The scale benchmark's harness at a small size, in every CI run, so that {@code scripts/bench}
 * keeps working; it asserts verdicts and request counts, never timings.
 */
@RealEnvironment
class ScaleSmokeIT {

  @Test
  void aSmallSyntheticClusterScansWithTheExpectedVerdictsAndRequestBudget(
      TestEnvironment env, KubeApiServer kube) throws Exception {
    var result = ScaleRun.run(env, kube, new ScaleRun.Config(4, 25, 40, 5), System.out);
    ScaleRun.print(result, System.out);
    for (ScaleRun.Scan s : java.util.List.of(result.cold(), result.warm())) {
      assertThat(s.exitCode()).as(s.output()).isZero();
      assertThat(s.output())
          .containsPattern(
              "bench\\s+" + result.expectedPass() + "\\s+" + result.expectedFail() + "\\s+0\\s+0");
      assertThat(s.apiserverRequests())
          .as("paged lists + report writes, not per Pod")
          .isLessThan(100);
    }
  }
}
