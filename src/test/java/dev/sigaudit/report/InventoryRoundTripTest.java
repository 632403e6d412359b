package dev.sigaudit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.InventoryRow;
import dev.sigaudit.model.InventorySignature;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.WorkloadRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signature inventory's reports say everything {@code inventory.csv} lists: read back, they give
 * the scan's own file (every Pod of a workload, every signature, the lookup error), and the scan's
 * {@code results.csv}.
 */
class InventoryRoundTripTest {
  private static final Instant SIGNED = Instant.parse("2026-10-01T08:30:12Z");

  @TempDir Path dir;

  @Test
  void theReportsOfAnInventoryGiveBackTheScansInventoryCsv() throws Exception {
    ScanResult scan = inventoryScan();
    Path own = Files.createDirectory(dir.resolve("scan"));
    InventoryExport.write(scan, own);
    CsvExport.write(ScanHeader.of(scan), ResultRows.of(scan), own);

    ReportReader.Exported read = readBack(scan);
    assertThat(read.isInventory()).isTrue();
    Path rebuilt = Files.createDirectory(dir.resolve("export"));
    InventoryExport.write(read.header(), read.inventory(), rebuilt);
    CsvExport.write(read.header(), read.rows(), rebuilt);

    for (String file : List.of(InventoryExport.FILE_NAME, CsvExport.FILE_NAME)) {
      assertThat(Files.readString(rebuilt.resolve(file)))
          .as(file)
          .isEqualTo(Files.readString(own.resolve(file)));
    }
    // Not trivially equal: one row per Pod and signature, Pods sorted although found out of order.
    List<String> lines = Files.readAllLines(own.resolve(InventoryExport.FILE_NAME));
    assertThat(lines).hasSize(1 + 2 * 3 + 1 + 1);
    assertThat(String.join("\n", lines))
        .contains("web-a,init,init")
        .contains(SIGNED.toString())
        .contains("dev@example.com,https://accounts.example.com,yes,yes")
        .contains("registry unreachable: connection refused")
        .contains(",unsigned,");
    assertThat(lines.get(1)).contains(",api-0,");
    assertThat(lines.subList(2, 5)).allMatch(l -> l.contains(",web-a,"));
    assertThat(lines.subList(5, 8)).allMatch(l -> l.contains(",web-b,"));
    assertThat(lines.get(8)).contains(",debug,");
  }

  @Test
  void reportsOfEarlierBuildsNamingTheWorkloadInEachResultExportTheSameRows() throws Exception {
    ScanResult scan = inventoryScan();
    var reader =
        new ReportReader(null, ReportFlavor.POLICY_REPORT, ReportFlavor.CLUSTER_POLICY_REPORT);
    List<JsonObject> earlier = new ArrayList<>();
    for (JsonObject report : reports(scan)) {
      // As written before results stopped repeating the workload: each result's resources name
      // it, and the report has no scope.
      JsonObject scope = report.remove("scope").getAsJsonObject();
      for (var result : report.getAsJsonArray("results")) {
        var resources = new com.google.gson.JsonArray();
        resources.add(scope.deepCopy());
        result.getAsJsonObject().add("resources", resources);
      }
      earlier.add(report);
    }

    var now = reader.exported(summary(scan), reports(scan));
    var then = reader.exported(summary(scan), earlier);
    assertThat(then.rows()).isNotEmpty().isEqualTo(now.rows());
    assertThat(then.inventory()).isEqualTo(now.inventory());
    assertThat(
            reports(scan)
                .get(0)
                .getAsJsonArray("results")
                .get(0)
                .getAsJsonObject()
                .has("resources"))
        .isFalse();
  }

  @Test
  void anInventoryResultWithoutItsPodsSaysItIsFromAnOlderSigaudit() {
    ScanResult scan = inventoryScan();
    var reports = reports(scan);
    for (JsonObject report : reports) {
      for (var r : report.getAsJsonArray("results")) {
        r.getAsJsonObject().getAsJsonObject("properties").remove(InventoryProperties.PODS);
      }
    }
    var reader =
        new ReportReader(null, ReportFlavor.POLICY_REPORT, ReportFlavor.CLUSTER_POLICY_REPORT);
    assertThatThrownBy(() -> reader.exported(summary(scan), reports))
        .isInstanceOf(ReportReader.Unreadable.class)
        .hasMessageContaining("older sigaudit")
        .hasMessageContaining("run a scan");
  }

  private static ReportReader.Exported readBack(ScanResult scan) throws Exception {
    var reader =
        new ReportReader(null, ReportFlavor.POLICY_REPORT, ReportFlavor.CLUSTER_POLICY_REPORT);
    return reader.exported(summary(scan), reports(scan));
  }

  /** The readiness report of an inventory: no policy, only the scan's annotations. */
  private static JsonObject summary(ScanResult scan) {
    return reparse(
        ClusterReportWriter.document(
            ReportFlavor.CLUSTER_POLICY_REPORT, ScanHeader.of(scan), List.of(), List.of()));
  }

  /** The reports as the apiserver hands them back: JSON text, parsed again. */
  private static List<JsonObject> reports(ScanResult scan) {
    List<JsonObject> out = new ArrayList<>();
    for (var w : ReportResults.byWorkload(scan.rows(), scan.inventory(), scan.started())) {
      for (JsonObject doc :
          PolicyReportWriter.ReportSplitter.split(ReportFlavor.POLICY_REPORT, w, 1000, 1 << 20)) {
        out.add(reparse(doc));
      }
    }
    return out;
  }

  private static JsonObject reparse(JsonObject o) {
    return JsonParser.parseString(o.toString()).getAsJsonObject();
  }

  /**
   * A Deployment of two Pods (found in reverse order) whose app is signed twice (keyless, verified
   * and logged; a key's bundle) and whose init container once; a bare Pod unsigned; a StatefulSet
   * whose registry did not answer.
   */
  private static ScanResult inventoryScan() {
    var web = new WorkloadRef("apps/v1", "Deployment", "shop", "web", "u1");
    var debug = new WorkloadRef("v1", "Pod", "shop", "debug", "u2");
    var api = new WorkloadRef("apps/v1", "StatefulSet", "backend", "api", "u3");
    var keyless =
        new InventorySignature(
            SignatureFormat.LEGACY_TAG,
            "dev@example.com",
            Optional.of("https://accounts.example.com"),
            true,
            true,
            Optional.of(SIGNED));
    var bundle =
        new InventorySignature(
            SignatureFormat.BUNDLE_REFERRER,
            "SHA256:Ep6/j1MIabc",
            Optional.empty(),
            false,
            false,
            Optional.empty());
    var legacyKey =
        new InventorySignature(
            SignatureFormat.LEGACY_TAG,
            "key (…)",
            Optional.empty(),
            false,
            false,
            Optional.empty());
    List<InventoryRow> inventory = new ArrayList<>();
    for (String pod : List.of("web-b", "web-a")) {
      inventory.add(
          InventoryRow.of(
              container(web, pod, "init", ContainerType.INIT, "ghcr.io/acme/init:1", "aa"),
              Optional.of(ref("ghcr.io/acme/init:1", "aa")),
              List.of(legacyKey)));
      inventory.add(
          InventoryRow.of(
              container(web, pod, "app", ContainerType.REGULAR, "ghcr.io/acme/web:2", "bb"),
              Optional.of(ref("ghcr.io/acme/web:2", "bb")),
              List.of(keyless, bundle)));
    }
    inventory.add(
        InventoryRow.of(
            container(debug, "debug", "shell", ContainerType.REGULAR, "busybox", "cc"),
            Optional.of(ref("busybox", "cc")),
            List.of()));
    inventory.add(
        InventoryRow.error(
            container(api, "api-0", "api", ContainerType.REGULAR, "ghcr.io/acme/api:3", "dd"),
            Optional.of(ref("ghcr.io/acme/api:3", "dd")),
            "registry unreachable: connection refused"));
    List<AuditRow> rows = inventory.stream().map(i -> i.asAuditRow("imageID")).toList();
    return new ScanResult(
        "scan-7",
        "pilot",
        Instant.parse("2026-12-03T13:05:00.123456Z"),
        Duration.ofSeconds(2),
        4,
        4,
        9,
        rows,
        List.of(),
        inventory);
  }

  private static ImageRef ref(String image, String hex) {
    return ImageRef.parse(image).atDigest(Digest.parse("sha256:" + hex.repeat(32)));
  }

  private static RunningContainer container(
      WorkloadRef w, String pod, String name, ContainerType type, String image, String hex) {
    return new RunningContainer(
        w,
        pod,
        Map.of(),
        name,
        type,
        image,
        Optional.of(ImageRef.parse(image)),
        Optional.empty(),
        Optional.of(ref(image, hex)),
        Optional.empty(),
        "default",
        List.of());
  }
}
