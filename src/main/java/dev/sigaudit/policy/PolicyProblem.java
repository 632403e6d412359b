package dev.sigaudit.policy;

import java.util.Objects;
import java.util.StringJoiner;

/**
 * Why a policy (or a whole policy file) could not be loaded. The scan reports each problem as an
 * {@code error} result, so a broken policy is visible instead of silently not enforced.
 *
 * @param origin where the policy was read: a file path, or a cluster object reference
 * @param object the policy's name, {@code policy[i]} (0-based, in file order) when it has no usable
 *     name, or empty for a problem with the whole file
 * @param field a JSON-path-like field path inside the policy ({@code
 *     spec.rules[1].attestors.entries[0].publicKey}), or empty
 * @param message what is wrong, and what was expected
 */
public record PolicyProblem(String origin, String object, String field, String message) {
  public PolicyProblem {
    Objects.requireNonNull(origin);
    Objects.requireNonNull(object);
    Objects.requireNonNull(field);
    Objects.requireNonNull(message);
  }

  /** {@code origin: object: field: message}, leaving out empty parts. */
  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(": ");
    for (String part : new String[] {origin, object, field, message}) {
      if (!part.isEmpty()) {
        j.add(part);
      }
    }
    return j.toString();
  }
}
