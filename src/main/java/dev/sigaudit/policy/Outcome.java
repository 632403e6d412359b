package dev.sigaudit.policy;

import dev.sigaudit.model.Finding.Evidence;
import dev.sigaudit.model.Result;
import java.util.List;

/** The judgement of one check, before it is labelled with its policy and rule. */
record Outcome(Result result, String message, List<Evidence> evidence, List<String> engineNotes) {
  Outcome {
    evidence = List.copyOf(evidence);
    engineNotes = List.copyOf(engineNotes);
  }

  Outcome(Result result, String message, List<Evidence> evidence) {
    this(result, message, evidence, List.of());
  }

  static Outcome of(Result result, String message) {
    return new Outcome(result, message, List.of());
  }
}
