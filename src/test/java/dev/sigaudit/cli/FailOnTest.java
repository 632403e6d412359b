package dev.sigaudit.cli;

import static dev.sigaudit.cli.Findings.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Result;
import dev.sigaudit.report.EnforceReadiness;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FailOnTest {
  private static final Set<FailOn> ALL = EnumSet.allOf(FailOn.class);

  private static EnforceReadiness.PolicyReadiness blocking(boolean blocks) {
    return new EnforceReadiness.PolicyReadiness(
        "p",
        "sigaudit-file",
        "audit",
        "medium",
        blocks
            ? List.of(
                new EnforceReadiness.Workload("a", "Deployment", "one", Result.FAIL, "unsigned"))
            : List.of(),
        List.of());
  }

  @Test
  void nothingAskedIsNothingMetWhateverTheScanFound() {
    var scan =
        Findings.scan(
            List.of(row("a/Deployment/one", "r.io/one:1", "p", Result.FAIL, Cause.UNSIGNED)));

    assertThat(FailOn.met(Set.of(), scan, List.of(blocking(true)), 1)).isEmpty();
  }

  @Test
  void eachConditionLooksForItsOwnFinding() {
    var passes =
        Findings.scan(
            List.of(row("a/Deployment/one", "r.io/one:1", "p", Result.PASS, Optional.empty())));
    var fails =
        Findings.scan(
            List.of(row("a/Deployment/one", "r.io/one:1", "p", Result.FAIL, Cause.UNSIGNED)));
    var errs =
        Findings.scan(
            List.of(row("a/Deployment/one", "r.io/one:1", "p", Result.ERROR, Cause.UNREACHABLE)));

    assertThat(FailOn.met(ALL, passes, List.of(blocking(false)), 0)).isEmpty();
    assertThat(FailOn.met(ALL, fails, List.of(blocking(true)), 0))
        .containsExactly(FailOn.FAIL, FailOn.WOULD_BLOCK);
    assertThat(FailOn.met(ALL, errs, List.of(blocking(false)), 0)).containsExactly(FailOn.ERROR);
    assertThat(FailOn.met(Set.of(FailOn.ERROR), passes, List.of(), 1))
        .as("a policy that did not load is an error")
        .containsExactly(FailOn.ERROR);
    assertThat(FailOn.met(Set.of(FailOn.ERROR), fails, List.of(blocking(true)), 0)).isEmpty();
  }
}
