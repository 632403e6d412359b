package dev.sigaudit.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the zero-config inventory found for one container: its signatures (none: unsigned), or why
 * the registry could not be asked.
 */
public record InventoryRow(
    RunningContainer container,
    Optional<ImageRef> checked,
    List<InventorySignature> signatures,
    Optional<String> error) {
  /** The policy name inventory results carry in every export. */
  public static final String POLICY = "signature-inventory";

  public InventoryRow {
    signatures = List.copyOf(signatures);
  }

  public static InventoryRow of(
      RunningContainer c, Optional<ImageRef> checked, List<InventorySignature> s) {
    return new InventoryRow(c, checked, s, Optional.empty());
  }

  public static InventoryRow error(RunningContainer c, Optional<ImageRef> checked, String why) {
    return new InventoryRow(c, checked, List.of(), Optional.of(why));
  }

  /**
   * The informational result reports and metrics carry: {@code pass} signed, {@code skip} unsigned
   * (no policy makes it a violation), {@code error} could not check.
   */
  public AuditRow asAuditRow(String digestSource) {
    Result result =
        error.isPresent() ? Result.ERROR : signatures.isEmpty() ? Result.SKIP : Result.PASS;
    String subject = checked.map(Object::toString).orElse(container.imageAsWritten());
    String message;
    if (error.isPresent()) {
      message = subject + ": could not look up signatures: " + error.get();
    } else if (signatures.isEmpty()) {
      message = subject + ": no signature found";
    } else {
      List<String> parts = new ArrayList<>();
      for (InventorySignature s : signatures) {
        parts.add(
            s.format().label()
                + " by "
                + s.signer()
                + s.issuer().map(i -> " (" + i + ")").orElse("")
                + (s.tlogEvidence() ? " [tlog]" : ""));
      }
      message = subject + ": " + signatures.size() + " signature(s): " + String.join("; ", parts);
    }
    List<Finding.Evidence> evidence = new ArrayList<>();
    for (InventorySignature s : signatures) {
      evidence.add(new Finding.Evidence(s.format(), new Signer(s.signer(), s.issuer())));
    }
    Finding f =
        new Finding(
            POLICY,
            Finding.NO_RULE,
            result,
            message,
            Severity.INFO,
            "Signature Inventory",
            "sigaudit",
            evidence);
    return new AuditRow(container, f, checked, digestSource);
  }
}
