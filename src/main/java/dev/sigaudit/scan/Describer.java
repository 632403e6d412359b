package dev.sigaudit.scan;

import dev.sigaudit.model.InventoryRow;
import dev.sigaudit.signature.Discovery;
import dev.sigaudit.verify.SignatureInventory;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stage 4 in inventory mode (no policy): instead of judging, describes who signed each running
 * digest, in which format, from the signatures found.
 */
final class Describer {
  private final SignatureInventory inventory;

  Describer(SignatureInventory inventory) {
    this.inventory = inventory;
  }

  /** One row per target, in order. */
  List<InventoryRow> describe(List<Target> targets, Map<LookupKey, Discovery> found) {
    return targets.stream().map(t -> describe(t, found)).toList();
  }

  private InventoryRow describe(Target t, Map<LookupKey, Discovery> found) {
    return switch (t) {
      case Target.Unparseable u -> InventoryRow.error(u.container(), Optional.empty(), u.why());
      case Target.Unresolved u -> InventoryRow.error(u.container(), Optional.empty(), u.why());
      case Target.Resolved r -> {
        LookupKey k = new LookupKey(r.checked(), r.checked().digest(), r.scope());
        var checked = Optional.of(r.checked());
        yield switch (found.getOrDefault(k, Discovery.Failed.of("not looked up"))) {
          case Discovery.Found f ->
              InventoryRow.of(
                  r.container(), checked, inventory.describe(k.digest(), f.candidates()));
          case Discovery.Failed f -> InventoryRow.error(r.container(), checked, f.cause());
        };
      }
    };
  }
}
