package dev.sigaudit.report;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.ScanResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The first columns of {@code inventory.csv}: which scan, and which container of which Pod running
 * which digest.
 */
final class ContainerColumns {
  static final List<String> NAMES =
      List.of(
          "scan_id",
          "scan_time",
          "cluster",
          "namespace",
          "workload_kind",
          "workload_name",
          "pod",
          "container",
          "container_type",
          "image",
          "running_digest");

  private ContainerColumns() {}

  /** {@link #NAMES} followed by {@code more}. */
  static List<String> with(String... more) {
    List<String> all = new ArrayList<>(NAMES);
    all.addAll(List.of(more));
    return List.copyOf(all);
  }

  /** The values of {@link #NAMES}, in a list the caller appends its own columns to. */
  static List<String> values(ScanResult scan, RunningContainer c, Optional<ImageRef> checked) {
    List<String> v = new ArrayList<>(NAMES.size() + 16);
    ScanHeader header = ScanHeader.of(scan);
    v.add(header.scanId());
    v.add(header.time());
    v.add(scan.cluster());
    v.add(c.namespace());
    v.add(c.workload().kind());
    v.add(c.workload().name());
    v.add(c.pod());
    v.add(c.container());
    v.add(c.type().label());
    v.add(c.imageAsWritten());
    v.add(checked.map(r -> r.digest().toString()).orElse(""));
    return v;
  }
}
