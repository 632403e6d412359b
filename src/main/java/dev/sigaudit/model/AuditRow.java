package dev.sigaudit.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One (container, finding) pair: the unit of every export.
 *
 * @param checked the {@code repository@digest} that was checked: the running digest, or the tag's
 *     current digest when the runtime had not reported one
 * @param digestSource {@code imageID} or {@code tag-resolved} (the running digest was unknown)
 */
public record AuditRow(
    RunningContainer container, Finding finding, Optional<ImageRef> checked, String digestSource) {
  public AuditRow {
    Objects.requireNonNull(container);
    Objects.requireNonNull(finding);
    Objects.requireNonNull(checked);
    Objects.requireNonNull(digestSource);
  }
}
