package dev.sigaudit.policy.ivp;

import dev.cel.runtime.CelRuntime;
import dev.sigaudit.model.Result;
import java.util.Objects;
import java.util.Optional;

/**
 * One compiled {@code spec.validations[i]}.
 *
 * @param index its position, for messages ({@code validations[i]})
 * @param expression the expression as written
 * @param program the compiled expression (a bool)
 * @param message {@code message}, the failure message
 * @param messageExpression {@code messageExpression} compiled (a string); it wins over {@code
 *     message} when it evaluates to a non-blank string, as in Kyverno
 */
record Validation(
    int index,
    String expression,
    CelRuntime.Program program,
    Optional<String> message,
    Optional<CelRuntime.Program> messageExpression) {

  Validation {
    Objects.requireNonNull(expression);
    Objects.requireNonNull(program);
    Objects.requireNonNull(message);
    Objects.requireNonNull(messageExpression);
  }

  /** The judgement of one validation: PASS, FAIL or ERROR with why. */
  record Outcome(Result result, String message) {}

  String field() {
    return "validations[" + index + "]";
  }

  Outcome judge(Evaluation evaluation) {
    Evaluation.Run run = evaluation.run(program);
    String quoted = field() + " '" + Messages.oneLine(expression) + "'";
    if (!run.unavailable().isEmpty()) {
      return new Outcome(
          Result.ERROR,
          quoted + " could not be evaluated: " + String.join("; ", run.unavailable()));
    }
    if (run.error() != null) {
      return new Outcome(Result.ERROR, quoted + " failed: " + run.error());
    }
    if (!(run.value() instanceof Boolean b)) {
      return new Outcome(Result.ERROR, quoted + " did not evaluate to a bool: " + run.value());
    }
    return b
        ? new Outcome(Result.PASS, quoted + " holds")
        : new Outcome(Result.FAIL, why(evaluation));
  }

  /**
   * The failure message: {@code messageExpression}, else {@code message}, else the expression. A
   * message expression that fails or needs what sigaudit lacks falls back, as in Kyverno.
   */
  private String why(Evaluation evaluation) {
    if (messageExpression.isPresent()) {
      Evaluation.Run run = evaluation.run(messageExpression.get());
      if (run.unavailable().isEmpty() && run.value() instanceof String s && !s.isBlank()) {
        return Messages.oneLine(s) + " (" + field() + ")";
      }
    }
    return message
        .filter(m -> !m.isBlank())
        .map(m -> Messages.oneLine(m) + " (" + field() + ")")
        .orElse(field() + " failed: '" + Messages.oneLine(expression) + "' is false");
  }
}
