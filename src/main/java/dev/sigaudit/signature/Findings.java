package dev.sigaudit.signature;

import dev.sigaudit.model.SignatureCandidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Accumulates what the discovery routes find; one instance per {@code discover} call. */
final class Findings {
  final List<SignatureCandidate> candidates = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  final Map<SignatureRoute, String> tokens = SignatureState.none();

  void add(SignatureCandidate c) {
    candidates.add(c);
  }

  void note(String note) {
    notes.add(note);
  }

  /** Adds what another route found, after what this one found. */
  void merge(Findings other) {
    candidates.addAll(other.candidates);
    notes.addAll(other.notes);
    tokens.putAll(other.tokens);
  }
}
