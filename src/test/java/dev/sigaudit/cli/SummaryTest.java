package dev.sigaudit.cli;

import static dev.sigaudit.cli.Findings.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SummaryTest {

  private static String print(List<AuditRow> rows, List<Written> written) {
    var bytes = new ByteArrayOutputStream();
    Summary.print(
        new PrintStream(bytes, true, StandardCharsets.UTF_8),
        Findings.scan(rows),
        List.of(),
        List.of(),
        written);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static List<String> linesAfter(String text, String header) {
    List<String> lines = List.of(text.split("\n"));
    int i = lines.indexOf(header);
    assertThat(i).as("header %s in%n%s", header, text).isNotNegative();
    List<String> out = new ArrayList<>();
    for (String l : lines.subList(i + 1, lines.size())) {
      if (!l.startsWith("    ")) {
        break;
      }
      out.add(l.strip());
    }
    return out;
  }

  @Test
  void everyFailingPolicyOfAWorkloadHasItsOwnLineUnderItsCause() {
    String text =
        print(
            List.of(
                row("shop/Deployment/cart", "r.io/cart:1", "a-policy", Result.FAIL, Cause.UNSIGNED),
                row(
                    "shop/Deployment/cart",
                    "r.io/cart:1",
                    "b-policy",
                    Result.FAIL,
                    Cause.WRONG_KEY),
                row(
                    "shop/Deployment/web",
                    "r.io/web:1",
                    "a-policy",
                    Result.PASS,
                    Optional.empty())),
            List.of());

    assertThat(text).contains("Failing (1 workloads; 2 workload × policy pairs), by cause:");
    assertThat(linesAfter(text, "  unsigned (1)"))
        .containsExactly("shop/Deployment/cart  a-policy  r.io/cart@sha256:abababababab");
    assertThat(linesAfter(text, "  signed by another key (1)"))
        .containsExactly("shop/Deployment/cart  b-policy  r.io/cart@sha256:abababababab");
    assertThat(text).doesNotContain("web");
  }

  @Test
  void errorsAreGroupedByCauseWithTheFixNamingTheRegistry() {
    String text =
        print(
            List.of(
                row(
                    "a/Deployment/one",
                    "plain.local:5000/one:1",
                    "p",
                    Result.ERROR,
                    Cause.PLAIN_HTTP),
                row(
                    "a/Deployment/two",
                    "plain.local:5000/two:1",
                    "p",
                    Result.ERROR,
                    Cause.PLAIN_HTTP),
                row("b/Job/three", "ghcr.io/x/three:1", "p", Result.ERROR, Cause.UNAUTHORIZED)),
            List.of());

    assertThat(text)
        .contains("Could not check (3 workload × policy pairs), by cause:")
        .contains(
            "  registry unreachable: plain-HTTP registry (2) — fix: add --insecure-registry"
                + " plain.local:5000 if it serves plain HTTP on purpose\n")
        .contains(
            "  registry refused the credentials (1) — fix: give credentials: --docker-config FILE,"
                + " or --pull-secrets\n");
    assertThat(
            linesAfter(
                text,
                "  registry unreachable: plain-HTTP registry (2) — fix: add"
                    + " --insecure-registry plain.local:5000 if it serves plain HTTP on purpose"))
        .hasSize(2);
  }

  @Test
  void aFailAndAnErrorOfOnePairCountAsTheFail() {
    String text =
        print(
            List.of(
                row("a/Deployment/one", "r.io/one:1", "p", Result.ERROR, Cause.UNREACHABLE),
                row("a/Deployment/one", "r.io/one:1", "p", Result.FAIL, Cause.UNSIGNED)),
            List.of());

    assertThat(text).contains("  unsigned (1)").doesNotContain("Could not check");
  }

  @Test
  void aLargeGroupShowsItsCauseThenTenLinesThenHowManyMore() {
    List<AuditRow> rows = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      rows.add(
          row(
              "ns/Deployment/app-" + String.format("%04d", i),
              "r.io/app:1",
              "p",
              Result.FAIL,
              Cause.UNSIGNED));
    }

    String text = print(rows, List.of());

    List<String> lines = List.of(text.split("\n"));
    int header = lines.indexOf("  unsigned (1000)");
    assertThat(header).isNotNegative();
    assertThat(lines.subList(header + 1, header + 11)).allMatch(l -> l.startsWith("    ns/"));
    assertThat(lines.get(header + 11))
        .isEqualTo("    … and 990 more (results.csv, or kubectl get polr -A)");
    assertThat(lines).hasSizeLessThan(40);
  }

  @Test
  void linesAreNeverCut() {
    String longImage = "registry.example.com/" + "very-long-path/".repeat(12) + "app:1";
    String text =
        print(
            List.of(row("a/Deployment/one", longImage, "p", Result.FAIL, Cause.BUNDLE_NOT_READ)),
            List.of());

    assertThat(text)
        .contains("  bundle format this policy does not read (1)")
        .contains(longImage.substring(0, longImage.lastIndexOf(':')) + "@sha256:abababababab");
  }

  @Test
  void aFindingWithoutASpecificCauseIsListedUnderTheGenericOne() {
    String text =
        print(
            List.of(row("a/Deployment/one", "r.io/one:1", "p", Result.ERROR, Optional.empty())),
            List.of());

    assertThat(text)
        .contains("  could not check (1) — fix: " + Cause.CHECK_FAILED.fix().orElseThrow() + "\n");
  }

  @Test
  void theOutputsAreListedAtTheEndSayingWhichWereNotWritten() {
    String text =
        print(
            List.of(),
            List.of(
                new Written("results.csv", "out/results.csv", true),
                new Written("metrics file m.prom", "", false)));

    assertThat(text)
        .endsWith(
            "\nOutputs:\n  results.csv: out/results.csv\n"
                + "  NOT WRITTEN (see the log): metrics file m.prom\n");
  }
}
