package dev.sigaudit.report;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.InventoryRow;
import dev.sigaudit.model.InventorySignature;
import dev.sigaudit.model.SignatureState;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One container of one Pod as {@code inventory.csv} lists it: what the scan found, or what its
 * reports say it found ({@code sigaudit export}). Both paths write the file through this one value,
 * so that the rebuilt file cannot drift from the scan's.
 *
 * @param registry the registry host of {@code image}, empty when the image does not parse
 * @param repository its repository, empty likewise
 * @param digest the digest that was looked up, empty when none could be determined
 * @param error why the signatures could not be looked up, when they could not
 */
public record InventoryEntry(
    String namespace,
    String workloadKind,
    String workloadName,
    String pod,
    String container,
    String containerType,
    String image,
    String digest,
    String registry,
    String repository,
    SignatureState state,
    List<InventorySignature> signatures,
    Optional<String> error) {
  /**
   * The order of {@code inventory.csv}: by namespace, workload, Pod and container (names are unique
   * within a Pod), which the reports can reproduce; a container's signatures keep their order.
   */
  public static final Comparator<InventoryEntry> ORDER =
      Comparator.comparing(InventoryEntry::namespace)
          .thenComparing(InventoryEntry::workloadKind)
          .thenComparing(InventoryEntry::workloadName)
          .thenComparing(InventoryEntry::pod)
          .thenComparing(InventoryEntry::container);

  public InventoryEntry {
    Objects.requireNonNull(state);
    signatures = List.copyOf(signatures);
    Objects.requireNonNull(error);
  }

  /** As the scan found it. */
  public static InventoryEntry of(InventoryRow row) {
    var c = row.container();
    return new InventoryEntry(
        c.namespace(),
        c.workload().kind(),
        c.workload().name(),
        c.pod(),
        c.container(),
        c.type().label(),
        c.imageAsWritten(),
        row.checked().map(r -> r.digest().toString()).orElse(""),
        c.image().map(ImageRef::registry).orElse(""),
        c.image().map(ImageRef::repository).orElse(""),
        row.state(),
        row.signatures(),
        row.error());
  }
}
