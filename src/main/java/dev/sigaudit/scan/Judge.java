package dev.sigaudit.scan;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.AuditTarget;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyEvaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stage 4: every policy's answer for every target, from the verdicts already computed. Pure: no
 * registry, no verification; a verdict the plan did not foresee is an error, never a pass.
 */
final class Judge {
  private final List<Policy> policies;
  private final Verification verification;

  Judge(ScanSettings settings, Verification verification) {
    this.policies = settings.policies();
    this.verification = verification;
  }

  /** The rows of {@code targets}, in order. */
  List<AuditRow> judge(List<Target> targets, Map<VerdictKey, Verdict> verdicts) {
    List<AuditRow> rows = new ArrayList<>();
    for (Target t : targets) {
      rows.addAll(judge(t, verdicts));
    }
    return rows;
  }

  private List<AuditRow> judge(Target t, Map<VerdictKey, Verdict> verdicts) {
    return switch (t) {
      case Target.Unparseable u ->
          policies.stream()
              .map(
                  pol ->
                      new AuditRow(
                          u.container(),
                          errorFinding(
                              pol,
                              u.container().imageAsWritten() + ": " + u.why(),
                              Cause.IMAGE_UNPARSEABLE),
                          Optional.empty(),
                          u.digestSource()))
              .toList();
      case Target.Resolved r ->
          evaluate(t, r.target(), Optional.of(r.checked()), Optional.empty(), verdicts);
      case Target.Unresolved u ->
          evaluate(t, u.target(), Optional.empty(), Optional.of(u), verdicts);
    };
  }

  private List<AuditRow> evaluate(
      Target t,
      AuditTarget target,
      Optional<ImageRef> checked,
      Optional<Target.Unresolved> unresolved,
      Map<VerdictKey, Verdict> verdicts) {
    PolicyEvaluator evaluator =
        new PolicyEvaluator(
            request ->
                verdicts.getOrDefault(
                    verification.key(LookupKey.of(request, t.scope()), request),
                    new Verdict.CheckError("internal: signature check was not planned")),
            unresolved.map(u -> new PolicyEvaluator.UnknownDigest(u.cause(), u.why())));
    List<AuditRow> rows = new ArrayList<>();
    for (Finding f : evaluator.evaluate(policies, target)) {
      rows.add(new AuditRow(t.container(), f, checked, t.digestSource()));
    }
    return rows;
  }

  private static Finding errorFinding(Policy pol, String why, Cause cause) {
    return new Finding(
        pol.name(),
        Finding.NO_RULE,
        Result.ERROR,
        cause.message(why, cause.remedy()),
        pol.severity(),
        pol.category(),
        pol.source().label(),
        List.of(),
        List.of(),
        Optional.of(cause));
  }
}
