package dev.sigaudit.policy.ivp;

import com.google.gson.JsonObject;
import dev.sigaudit.policy.FieldProblems;
import dev.sigaudit.policy.Mode;
import java.util.List;

/**
 * {@code spec.validationActions} → {@link Mode}: {@code Deny} → enforce, {@code Warn} → warn,
 * {@code Audit} → audit; the strongest action present wins ({@code [Audit, Warn]} is warn). Kyverno
 * defaults an empty list to {@code Deny}. Unknown values are ignored, as Kubernetes asks clients to
 * do; the mode only labels reports, it never changes a verdict.
 */
final class Modes {
  private Modes() {}

  static Mode of(JsonObject spec, FieldProblems problems) {
    List<String> actions =
        Json.strings(spec, "validationActions", "spec.validationActions", problems);
    if (actions.contains("Deny") || actions.stream().noneMatch(Modes::known)) {
      return Mode.ENFORCE;
    }
    return actions.contains("Warn") ? Mode.WARN : Mode.AUDIT;
  }

  private static boolean known(String action) {
    return action.equals("Deny") || action.equals("Warn") || action.equals("Audit");
  }
}
