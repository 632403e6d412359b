package dev.sigaudit.cli;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.Cause;
import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.model.Severity;
import dev.sigaudit.model.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Audit rows with a given result and cause, for the summary and document tests. */
final class Findings {
  private Findings() {}

  static AuditRow row(
      String workload, String image, String policy, Result result, Optional<Cause> cause) {
    String[] w = workload.split("/");
    ImageRef ref = ImageRef.parse(image);
    ImageRef running = ref.atDigest(Digest.parse("sha256:" + "ab".repeat(32)));
    var c =
        new RunningContainer(
            new WorkloadRef("apps/v1", w[1], w[0], w[2], "uid-" + w[2]),
            w[2] + "-pod",
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
            policy,
            "rule",
            result,
            "the whole story of " + workload + " under " + policy,
            Severity.HIGH,
            "Supply Chain",
            "sigaudit-file",
            List.of(),
            List.of(),
            cause);
    return new AuditRow(c, f, Optional.of(running), "imageID");
  }

  static AuditRow row(String workload, String image, String policy, Result result, Cause cause) {
    return row(workload, image, policy, result, Optional.of(cause));
  }

  static ScanResult scan(List<AuditRow> rows) {
    return new ScanResult(
        "scan-1",
        "test-cluster",
        Instant.parse("2026-12-03T10:00:00Z"),
        Duration.ofSeconds(3),
        5,
        2,
        7,
        rows,
        List.of());
  }
}
