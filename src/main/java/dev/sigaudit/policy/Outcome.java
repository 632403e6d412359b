package dev.sigaudit.policy;

import dev.sigaudit.model.Finding.Evidence;
import dev.sigaudit.model.Result;
import java.util.List;

/** The judgement of one check, before it is labelled with its policy and rule. */
record Outcome(Result result, String message, List<Evidence> evidence) {
  Outcome {
    evidence = List.copyOf(evidence);
  }

  static Outcome of(Result result, String message) {
    return new Outcome(result, message, List.of());
  }
}
