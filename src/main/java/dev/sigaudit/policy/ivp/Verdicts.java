package dev.sigaudit.policy.ivp;

import dev.sigaudit.model.Finding.Evidence;
import dev.sigaudit.model.Result;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds the outcomes of a policy's validations, and {@code validationConfigurations.required}, into
 * one result: any false validation is a FAIL (no unknown can undo it), else any error is an ERROR,
 * else an image that {@code required} wants verified and no call verified is a FAIL, else a PASS.
 */
final class Verdicts {
  private Verdicts() {}

  /**
   * The folded result.
   *
   * @param message why, without the subject
   * @param evidence the signatures that verified, for a pass
   * @param unverified the result fails because no signature verified ({@code required})
   */
  record Folded(
      Result result,
      String message,
      List<Evidence> evidence,
      List<String> engineNotes,
      boolean unverified) {
    Folded(Result result, String message, List<Evidence> evidence) {
      this(result, message, evidence, List.of(), false);
    }
  }

  static Folded fold(List<Validation.Outcome> outcomes, Evaluation evaluation, boolean required) {
    List<String> notes = evaluation.notes();
    List<String> errors = new ArrayList<>();
    for (Validation.Outcome o : outcomes) {
      if (o.result() == Result.ERROR) {
        errors.add(o.message());
      }
    }
    for (Validation.Outcome o : outcomes) {
      if (o.result() == Result.FAIL) {
        List<String> parts = new ArrayList<>(notes);
        errors.forEach(e -> parts.add("also: " + e));
        return new Folded(Result.FAIL, o.message() + suffix(parts), List.of());
      }
    }
    if (!errors.isEmpty()) {
      // What the errors already say (a check that could not run) is not repeated.
      List<String> rest =
          notes.stream().filter(n -> errors.stream().noneMatch(e -> e.contains(n))).toList();
      return new Folded(Result.ERROR, String.join("; ", errors) + suffix(rest), List.of());
    }
    if (required && !evaluation.verified()) {
      String why =
          evaluation.attempted()
              ? "its signatures did not verify"
              : "no validation verified its signature";
      return new Folded(
          Result.FAIL,
          "image "
              + evaluation.image()
              + " is not verified: "
              + why
              + " (validationConfigurations.required; a verification by another"
              + " ImageValidatingPolicy is not considered)"
              + suffix(notes),
          List.of(),
          List.of(),
          true);
    }
    return new Folded(
        Result.PASS,
        outcomes.size()
            + (outcomes.size() == 1 ? " validation" : " validations")
            + " passed"
            + suffix(notes),
        evaluation.evidence(),
        evaluation.engineNotes(),
        false);
  }

  private static String suffix(List<String> parts) {
    return parts.isEmpty() ? "" : "; " + String.join("; ", parts);
  }
}
