package dev.sigaudit.report;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.InventoryRow;
import dev.sigaudit.model.InventorySignature;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.ScanResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code inventory.csv}, the zero-config signature inventory: one row per (container, signature),
 * or one row for a container with no signature or whose lookup failed. Columns in {@code
 * reports/README.md}.
 */
public final class InventoryExport {
  public static final String FILE_NAME = "inventory.csv";
  public static final List<String> COLUMNS =
      ContainerColumns.with(
          "registry",
          "repository",
          "signature",
          "signature_format",
          "signer",
          "signer_issuer",
          "signer_verified",
          "tlog_evidence",
          "tlog_integrated_time",
          "error",
          "status");

  private InventoryExport() {}

  public static Path write(ScanResult scan, Path dir) throws IOException {
    return CsvFiles.write(
        dir.resolve(FILE_NAME),
        COLUMNS,
        p -> {
          for (InventoryRow row : scan.inventory()) {
            if (row.signatures().isEmpty()) {
              p.printRecord(values(scan, row, null));
            }
            for (InventorySignature s : row.signatures()) {
              p.printRecord(values(scan, row, s));
            }
          }
        });
  }

  private static List<String> values(ScanResult scan, InventoryRow row, InventorySignature s) {
    RunningContainer c = row.container();
    List<String> v = ContainerColumns.values(scan, c, row.checked());
    v.add(c.image().map(ImageRef::registry).orElse(""));
    v.add(c.image().map(ImageRef::repository).orElse(""));
    v.add(row.state().wire());
    v.add(s == null ? "" : s.format().label());
    v.add(s == null ? "" : CsvExport.sanitize(s.signer()));
    v.add(s == null ? "" : s.issuer().orElse(""));
    v.add(s == null ? "" : s.verified() ? "yes" : "no");
    v.add(s == null ? "" : s.tlogEvidence() ? "yes" : "no");
    v.add(s == null ? "" : s.integratedTime().map(Object::toString).orElse(""));
    v.add(CsvExport.sanitize(row.error().orElse("")));
    v.add(row.state().result().wire());
    return v;
  }
}
