package dev.sigaudit.policy;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Finding.Evidence;
import dev.sigaudit.model.Result;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The judgement of one check, before it is labelled with its policy and rule.
 *
 * @param message the detail: subject and what was found, without the cause or what to do
 * @param cause why it did not pass, when the check knows ({@link
 *     dev.sigaudit.model.Finding#cause()})
 * @param toDo what would make it pass ({@code To pass: sign it with key …}), when the check knows
 */
record Outcome(
    Result result,
    String message,
    List<Evidence> evidence,
    List<String> engineNotes,
    Optional<Cause> cause,
    Optional<String> toDo) {
  Outcome {
    evidence = List.copyOf(evidence);
    engineNotes = List.copyOf(engineNotes);
    Objects.requireNonNull(cause);
    Objects.requireNonNull(toDo);
  }

  Outcome(
      Result result,
      String message,
      List<Evidence> evidence,
      List<String> engineNotes,
      Optional<Cause> cause) {
    this(result, message, evidence, engineNotes, cause, Optional.empty());
  }

  /** The same outcome, ending with {@code sentence} as what to do. */
  Outcome toDo(String sentence) {
    return new Outcome(result, message, evidence, engineNotes, cause, Optional.of(sentence));
  }

  Outcome(Result result, String message, List<Evidence> evidence, List<String> engineNotes) {
    this(result, message, evidence, engineNotes, Optional.empty());
  }

  Outcome(Result result, String message, List<Evidence> evidence) {
    this(result, message, evidence, List.of());
  }

  static Outcome of(Result result, String message) {
    return new Outcome(result, message, List.of());
  }

  static Outcome of(Result result, String message, Cause cause) {
    return new Outcome(result, message, List.of(), List.of(), Optional.of(cause));
  }
}
