package dev.sigaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigaudit.model.Inventory;
import dev.sigaudit.model.WorkloadRef;
import dev.sigaudit.testenv.SigauditCli;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sigaudit explain}: which workload is meant, and what is said when none runs. */
class ExplainCommandTest {
  @Test
  void aWorkloadIsNamespaceKindAndNameAndTheKindIgnoresCase() throws Exception {
    var w = ExplainCommand.Workload.parse("shop/deployment/checkout");

    assertThat(w.is(new WorkloadRef("apps/v1", "Deployment", "shop", "checkout", "u"))).isTrue();
    assertThat(w.is(new WorkloadRef("apps/v1", "Deployment", "shop", "frontend", "u"))).isFalse();
    assertThat(w.is(new WorkloadRef("apps/v1", "Deployment", "prod", "checkout", "u"))).isFalse();
    assertThat(w.is(new WorkloadRef("v1", "Pod", "shop", "checkout", "u"))).isFalse();
  }

  @Test
  void anythingButThreePartsIsAUsageError() {
    for (String bad : List.of("shop/checkout", "shop//checkout", "a/b/c/d", "")) {
      assertThatThrownBy(() -> ExplainCommand.Workload.parse(bad))
          .isInstanceOf(UsageException.class)
          .hasMessageContaining("NAMESPACE/KIND/NAME");
    }
    var run = SigauditCli.run("explain", "shop/checkout");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr()).contains("expected three parts such as shop/Deployment/checkout");
  }

  @Test
  void notFoundNamesWhatRunsInTheNamespaceInstead() throws Exception {
    var inventory =
        new Inventory(
            List.of(
                ExplanationPrinterTest.container("app-1"),
                ExplanationPrinterTest.container("app-2")),
            2);

    String message =
        ExplainCommand.notFound(
            ExplainCommand.Workload.parse("shop/Deployment/chekout"), inventory);

    assertThat(message)
        .isEqualTo(
            "no running Pod of deployment chekout in namespace shop (the workload does not exist,"
                + " or runs no Pod now); running in namespace shop: Deployment/app");
  }
}
