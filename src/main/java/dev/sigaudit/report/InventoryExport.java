package dev.sigaudit.report;

import dev.sigaudit.model.InventorySignature;
import dev.sigaudit.model.ScanResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code inventory.csv}, the zero-config signature inventory: one row per (container, signature),
 * or one row for a container with no signature or whose lookup failed, sorted by {@link
 * InventoryEntry#ORDER}. Written by the scan and rebuilt from its reports by {@code sigaudit
 * export}. Columns in {@code reports/README.md}.
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

  /** The scan's own inventory. */
  public static Path write(ScanResult scan, Path dir) throws IOException {
    return write(
        ScanHeader.of(scan), scan.inventory().stream().map(InventoryEntry::of).toList(), dir);
  }

  /** {@code entries}, in {@link InventoryEntry#ORDER} whatever their order here. */
  public static Path write(ScanHeader header, List<InventoryEntry> entries, Path dir)
      throws IOException {
    List<InventoryEntry> sorted = new ArrayList<>(entries);
    sorted.sort(InventoryEntry.ORDER);
    return CsvFiles.write(
        dir.resolve(FILE_NAME),
        COLUMNS,
        p -> {
          for (InventoryEntry e : sorted) {
            if (e.signatures().isEmpty()) {
              p.printRecord(values(header, e, null));
            }
            for (InventorySignature s : e.signatures()) {
              p.printRecord(values(header, e, s));
            }
          }
        });
  }

  private static List<String> values(ScanHeader header, InventoryEntry e, InventorySignature s) {
    List<String> v = ContainerColumns.values(header, e);
    v.add(e.registry());
    v.add(e.repository());
    v.add(e.state().wire());
    v.add(s == null ? "" : s.format().label());
    v.add(s == null ? "" : CsvExport.sanitize(s.signer()));
    v.add(s == null ? "" : s.issuer().orElse(""));
    v.add(s == null ? "" : s.verified() ? "yes" : "no");
    v.add(s == null ? "" : s.tlogEvidence() ? "yes" : "no");
    v.add(s == null ? "" : s.integratedTime().map(Object::toString).orElse(""));
    v.add(CsvExport.sanitize(e.error().orElse("")));
    v.add(e.state().result().wire());
    return v;
  }
}
