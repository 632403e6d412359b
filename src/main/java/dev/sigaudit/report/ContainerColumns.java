package dev.sigaudit.report;

import java.util.ArrayList;
import java.util.List;

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
  static List<String> values(ScanHeader header, InventoryEntry e) {
    List<String> v = new ArrayList<>(NAMES.size() + 16);
    v.add(header.scanId());
    v.add(header.time());
    v.add(header.cluster());
    v.add(e.namespace());
    v.add(e.workloadKind());
    v.add(e.workloadName());
    v.add(e.pod());
    v.add(e.container());
    v.add(e.containerType());
    v.add(e.image());
    v.add(e.digest());
    return v;
  }
}
