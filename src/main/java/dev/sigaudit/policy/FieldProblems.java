package dev.sigaudit.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem of one policy (field path and message), so its author can fix them all in
 * one pass. Shared by the translators of every policy source.
 */
public final class FieldProblems {
  public record Entry(String field, String message) {}

  private final List<Entry> entries = new ArrayList<>();

  public void add(String field, String message) {
    entries.add(new Entry(field, message));
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public List<Entry> entries() {
    return List.copyOf(entries);
  }
}
