package dev.sigaudit.policy.ivp;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of one policy, so that its author can fix them all in one pass. */
final class Problems {
  record Entry(String field, String message) {}

  private final List<Entry> entries = new ArrayList<>();

  void add(String field, String message) {
    entries.add(new Entry(field, message));
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  List<Entry> entries() {
    return List.copyOf(entries);
  }
}
