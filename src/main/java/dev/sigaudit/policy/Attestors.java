package dev.sigaudit.policy;

import java.util.List;

/**
 * A set of attestor entries of which at least {@code count} must verify, as Kyverno's {@code
 * attestors[].count}: 1 is "any of", {@code entries.size()} is "all of".
 *
 * @param count how many entries must verify, between 1 and {@code entries.size()}
 * @param entries the entries, in policy order
 */
public record Attestors(int count, List<AttestorEntry> entries) {
  public Attestors {
    entries = List.copyOf(entries);
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("an attestor set needs at least one entry");
    }
    if (count < 1 || count > entries.size()) {
      throw new IllegalArgumentException(
          "count must be between 1 and " + entries.size() + ", not " + count);
    }
  }

  /** A set in which every entry must verify (Kyverno's default when {@code count} is absent). */
  public static Attestors all(List<AttestorEntry> entries) {
    return new Attestors(entries.size(), entries);
  }
}
