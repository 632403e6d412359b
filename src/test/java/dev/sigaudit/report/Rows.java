package dev.sigaudit.report;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.model.Severity;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds audit rows for report tests. */
final class Rows {
  static final String HEX = "cd".repeat(32);

  private Rows() {}

  static AuditRow row(
      String ns, String workload, String pod, String image, Result result, String message) {
    ImageRef ref = ImageRef.parse(image);
    ImageRef running = ref.atDigest(dev.sigaudit.model.Digest.parse("sha256:" + HEX));
    var c =
        new RunningContainer(
            new WorkloadRef("apps/v1", "Deployment", ns, workload, "uid-" + workload),
            pod,
            Map.of(),
            "app",
            ContainerType.REGULAR,
            image,
            Optional.of(ref),
            Optional.empty(),
            Optional.of(running),
            Optional.empty(),
            "default",
            List.of());
    var f =
        new Finding(
            "require-signed",
            "release-key",
            result,
            message,
            Severity.HIGH,
            "Supply Chain",
            "sigaudit-file",
            result == Result.PASS
                ? List.of(
                    new Finding.Evidence(SignatureFormat.LEGACY_TAG, Signer.key("SHA256:abc")))
                : List.of());
    return new AuditRow(c, f, Optional.of(running), "imageID");
  }

  static ScanResult scan(List<AuditRow> rows) {
    return new ScanResult(
        "scan-1",
        "test-cluster",
        Instant.parse("2026-11-22T10:00:00Z"),
        Duration.ofSeconds(3),
        5,
        2,
        7,
        rows,
        List.of());
  }
}
