package dev.sigaudit.scan;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.InventorySignature;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.VerificationRequest;
import dev.sigaudit.signature.Discovery;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A scan with what each stage handed the next, per container, for {@code sigaudit verify} and
 * {@code explain}: the digest checked and where it came from (plan), the signatures found on each
 * lookup and who they say signed them (signatures), each signature check's verdict (verification),
 * and each policy rule's finding (evaluation). The same stages as {@link Scanner#scan()}; nothing
 * is re-derived for the explanation.
 *
 * @param result the scan's result, as {@link Scanner#scan()} returns it
 * @param containers one per container listed, in inventory order
 */
public record Explanation(ScanResult result, List<Container> containers) {
  public Explanation {
    Objects.requireNonNull(result);
    containers = List.copyOf(containers);
  }

  /**
   * One container's way through the pipeline.
   *
   * @param digestSource {@code imageID}, {@code spec-digest}, {@code tag-resolved}, {@code
   *     unresolved} or {@code none}
   * @param checked the {@code repository@digest} whose signatures were checked, when there was one
   * @param unchecked why no digest could be checked, otherwise
   * @param lookups the signature lookups the policies needed for it
   * @param rows the policies' findings
   */
  public record Container(
      RunningContainer container,
      String digestSource,
      Optional<ImageRef> checked,
      Optional<String> unchecked,
      List<Lookup> lookups,
      List<AuditRow> rows) {
    public Container {
      Objects.requireNonNull(container);
      Objects.requireNonNull(digestSource);
      Objects.requireNonNull(checked);
      Objects.requireNonNull(unchecked);
      lookups = List.copyOf(lookups);
      rows = List.copyOf(rows);
    }
  }

  /**
   * One signature lookup: where, what was found, and the checks made on it.
   *
   * @param repository the repository (at the digest) the signatures were read from
   * @param found the candidates, or why the lookup failed
   * @param signers for each candidate of {@code found}, in order, what it says about its signer
   *     (verified only for keyless signatures, against the trusted root)
   * @param checks each signature check the policies asked of these signatures
   */
  public record Lookup(
      ImageRef repository,
      Discovery found,
      List<InventorySignature> signers,
      List<CheckVerdict> checks) {
    public Lookup {
      Objects.requireNonNull(repository);
      Objects.requireNonNull(found);
      signers = List.copyOf(signers);
      checks = List.copyOf(checks);
    }
  }

  /** One signature check (an authority, the formats its engine reads) and its verdict. */
  public record CheckVerdict(VerificationRequest request, Verdict verdict) {
    public CheckVerdict {
      Objects.requireNonNull(request);
      Objects.requireNonNull(verdict);
    }
  }
}
