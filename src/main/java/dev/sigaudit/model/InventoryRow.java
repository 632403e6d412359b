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

  /** What is known of the digest's signatures: one verified signature is enough. */
  public SignatureState state() {
    if (error.isPresent()) {
      return SignatureState.UNKNOWN;
    }
    if (signatures.isEmpty()) {
      return SignatureState.UNSIGNED;
    }
    return signatures.stream().anyMatch(InventorySignature::verified)
        ? SignatureState.VERIFIED
        : SignatureState.SIGNED;
  }

  /**
   * The informational result reports and metrics carry ({@link SignatureState#result()}): {@code
   * pass} only for a verified signature, {@code skip} for a signature whose signer is unknown,
   * {@code fail} unsigned, {@code error} could not check.
   */
  public AuditRow asAuditRow(String digestSource) {
    SignatureState state = state();
    Result result = state.result();
    String subject = checked.map(Object::toString).orElse(container.imageAsWritten());
    String message;
    Optional<Cause> cause = Optional.empty();
    if (error.isPresent()) {
      cause = Optional.of(Cause.CHECK_FAILED);
      message =
          Cause.CHECK_FAILED.message(
              subject + ": could not look up signatures: " + error.get(), Optional.empty());
    } else if (signatures.isEmpty()) {
      cause = Optional.of(Cause.UNSIGNED);
      message =
          Cause.UNSIGNED.message(
              subject + ": no signature found",
              Optional.of(
                  "To pass: sign it, and name the key or keyless identity in a policy"
                      + " (--policy) so that sigaudit can verify it."));
    } else {
      List<String> parts = new ArrayList<>();
      for (InventorySignature s : signatures) {
        parts.add(
            s.format().label()
                + " by "
                + s.signer()
                + s.issuer().map(i -> " (" + i + ")").orElse("")
                + (s.verified() ? " [verified]" : " [not verified]")
                + (s.tlogEvidence() ? " [tlog]" : ""));
      }
      message =
          subject
              + ": "
              + state.wire()
              + ": "
              + signatures.size()
              + " signature(s): "
              + String.join("; ", parts)
              + (state == SignatureState.SIGNED
                  ? "; no trust anchor vouches for the signer: name the key or identity in a policy"
                  : "");
    }
    // Verified signatures first, so that the signer reports show is one that verified.
    List<Finding.Evidence> evidence = new ArrayList<>();
    for (InventorySignature s : signatures) {
      if (s.verified()) {
        evidence.add(new Finding.Evidence(s.format(), new Signer(s.signer(), s.issuer())));
      }
    }
    for (InventorySignature s : signatures) {
      if (!s.verified()) {
        evidence.add(new Finding.Evidence(s.format(), new Signer(s.signer(), s.issuer())));
      }
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
            evidence,
            List.of(),
            cause);
    return new AuditRow(container, f, checked, digestSource);
  }
}
