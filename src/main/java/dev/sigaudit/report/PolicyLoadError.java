package dev.sigaudit.report;

import java.util.Objects;

/**
 * A policy that could not be loaded, as the readiness report shows it: an {@code error} result
 * naming the policy and field. The report package takes it as plain text, so that it does not
 * depend on how policies are read.
 *
 * @param policy the policy's name, or empty for a problem with a whole file or source
 * @param field the field path inside the policy, or empty
 * @param description the whole problem (where, what, why), as logged
 */
public record PolicyLoadError(String policy, String field, String description) {
  public PolicyLoadError {
    Objects.requireNonNull(policy);
    Objects.requireNonNull(field);
    Objects.requireNonNull(description);
  }
}
