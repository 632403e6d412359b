package dev.sigaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.policy.PemKeyParser;
import dev.sigaudit.policy.file.PolicyFileLoader;
import dev.sigaudit.report.CsvExport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The files the README points at stay true. */
class ExamplesTest {

  @Test
  void theQuickstartPolicyLoadsWithoutProblems() {
    var loaded = new PolicyFileLoader(new PemKeyParser()).load(Path.of("examples", "policy.yaml"));
    assertThat(loaded.problems()).isEmpty();
    assertThat(loaded.policies())
        .extracting(p -> p.name())
        .containsExactly("kubernetes-release-images", "your-images");
  }

  @Test
  void theExampleCsvHasTheDocumentedColumns() throws Exception {
    String header = Files.readAllLines(Path.of("reports", "examples", "results.csv")).get(0);
    assertThat(header).isEqualTo(String.join(",", CsvExport.COLUMNS));
    String doc0 = Files.readString(Path.of("reports", "README.md"));
    for (String column : dev.sigaudit.report.InventoryExport.COLUMNS.subList(13, 22)) {
      assertThat(doc0).contains("| `" + column + "` |");
    }
    for (String column : dev.sigaudit.report.EnforceReadinessExport.COLUMNS) {
      assertThat(doc0).contains("| `" + column + "` |");
    }
    String doc = Files.readString(Path.of("reports", "README.md"));
    for (String column : CsvExport.COLUMNS) {
      assertThat(doc).contains("| `" + column + "` |");
    }
  }
}
