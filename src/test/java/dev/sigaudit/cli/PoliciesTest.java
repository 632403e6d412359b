package dev.sigaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.model.Severity;
import dev.sigaudit.model.WorkloadRef;
import dev.sigaudit.policy.PemKeyParser;
import dev.sigaudit.policy.file.PolicyFileLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The base's template policy, left as shipped, is named in the summary as matching nothing. */
class PoliciesTest {
  private static final Policies BASE = load();

  private static Policies load() {
    var loaded =
        new PolicyFileLoader(new PemKeyParser()).load(Path.of("cronjob", "base", "policy.yaml"));
    return new Policies(loaded.policies(), loaded.problems());
  }

  @Test
  void aFilePolicyWithOnlySkipResultsOrNoneMatchedNothing() {
    var scan =
        scan(
            row("kubernetes-release-images", Result.PASS),
            row("your-images", Result.SKIP),
            row("your-images", Result.SKIP));
    assertThat(BASE.unmatchedFilePolicies(scan)).containsExactly("your-images");
    assertThat(BASE.unmatchedFilePolicies(scan()))
        .containsExactly("kubernetes-release-images", "your-images");
  }

  @Test
  void aPolicyThatDecidedSomethingIsNotNamed() {
    var scan =
        scan(row("kubernetes-release-images", Result.ERROR), row("your-images", Result.FAIL));
    assertThat(BASE.unmatchedFilePolicies(scan)).isEmpty();
  }

  @Test
  void theSummarySaysWhatToDo() {
    var buf = new ByteArrayOutputStream();
    var scan = scan(row("your-images", Result.SKIP));
    Summary.print(
        new PrintStream(buf, true, StandardCharsets.UTF_8),
        scan,
        List.of(),
        BASE.unmatchedFilePolicies(scan),
        List.of());
    assertThat(buf.toString(StandardCharsets.UTF_8))
        .contains("Policies that matched no running image (2):")
        .contains("  your-images\n")
        .contains("put your image patterns and your public key in it");
  }

  private static AuditRow row(String policy, Result result) {
    ImageRef ref = ImageRef.parse("ghcr.io/acme/web:1");
    var c =
        new RunningContainer(
            new WorkloadRef("apps/v1", "Deployment", "shop", "web", "uid-web"),
            "web-1",
            Map.of(),
            "app",
            ContainerType.REGULAR,
            ref.toString(),
            Optional.of(ref),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "default",
            List.of());
    var f =
        new Finding(
            policy,
            "r",
            result,
            "m",
            Severity.HIGH,
            "Image Signatures",
            "sigaudit-file",
            List.of());
    return new AuditRow(c, f, Optional.empty(), "imageID");
  }

  private static ScanResult scan(AuditRow... rows) {
    return new ScanResult(
        "scan-1",
        "test",
        Instant.parse("2026-11-22T10:00:00Z"),
        Duration.ofSeconds(1),
        1,
        1,
        0,
        List.of(rows),
        List.of());
  }
}
