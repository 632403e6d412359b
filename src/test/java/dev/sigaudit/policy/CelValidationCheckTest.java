package dev.sigaudit.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.Severity;
import dev.sigaudit.model.TrustedKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the evaluator treats a {@link Check.CelValidation} program, whatever compiled it. */
class CelValidationCheckTest {
  private static final Digest RUNNING = Digest.sha256("app".getBytes());
  private static final TrustedKey KEY = TestKeys.trusted();

  private static AuditTarget target(String image) {
    return new AuditTarget("prod", Map.of(), ImageRef.parse(image), Optional.of(RUNNING));
  }

  private static Policy policy(Check.CelValidation.Program program) {
    return new Policy(
        "ivp",
        PolicySource.KYVERNO_IMAGE_VALIDATING,
        Mode.AUDIT,
        Severity.HIGH,
        Policy.DEFAULT_CATEGORY,
        NamespaceSelector.ALL,
        List.of(
            new Rule("ivp", ImageMatcher.of("*"), new Check.CelValidation(List.of("x"), program))));
  }

  /** Selects ghcr.io images, asks for one key, answers what it is told. */
  private record Fake(Check.CelValidation.Judgement answer, RuntimeException thrown)
      implements Check.CelValidation.Program {
    @Override
    public boolean selects(ImageRef image) {
      return image.registry().equals("ghcr.io");
    }

    @Override
    public List<VerificationRequest> requests(AuditTarget target) {
      return target
          .digest()
          .map(
              d ->
                  List.of(
                      new VerificationRequest(target.image().atDigest(d), KEY, Optional.empty())))
          .orElse(List.of());
    }

    @Override
    public Check.CelValidation.Judgement evaluate(AuditTarget target, VerdictSource verdicts) {
      if (thrown != null) {
        throw thrown;
      }
      return answer;
    }
  }

  @Test
  void theJudgementBecomesTheFinding() {
    var answer = new Check.CelValidation.Judgement(Result.FAIL, "unsigned", List.of());
    Finding f =
        new PolicyEvaluator(r -> null)
            .evaluate(policy(new Fake(answer, null)), target("ghcr.io/a/b:1"))
            .get(0);

    assertThat(f.rule()).isEqualTo("ivp");
    assertThat(f.result()).isEqualTo(Result.FAIL);
    // The program's message is the detail, after the cause the finding then has.
    assertThat(f.message()).isEqualTo(Cause.POLICY_FAILED.label() + ": unsigned");
    assertThat(f.source()).isEqualTo("kyverno-ivp");
  }

  @Test
  void anImageTheProgramDoesNotSelectIsSkippedAndPlansNothing() {
    Policy p = policy(new Fake(null, new IllegalStateException("must not run")));
    AuditTarget t = target("quay.io/a/b:1");

    Finding f = new PolicyEvaluator(r -> null).evaluate(p, t).get(0);

    assertThat(f.result()).isEqualTo(Result.SKIP);
    assertThat(f.rule()).isEqualTo(Finding.NO_RULE);
    assertThat(PolicyEvaluator.requests(List.of(p), t)).isEmpty();
  }

  @Test
  void theProgramsRequestsArePlanned() {
    AuditTarget t = target("ghcr.io/a/b:1");
    assertThat(PolicyEvaluator.requests(List.of(policy(new Fake(null, null))), t))
        .containsExactly(
            new VerificationRequest(
                ImageRef.parse("ghcr.io/a/b@" + RUNNING), KEY, Optional.empty()));
  }

  @Test
  void aProgramThatThrowsIsAnErrorNeverAPass() {
    Finding f =
        new PolicyEvaluator(r -> null)
            .evaluate(
                policy(new Fake(null, new IllegalStateException("bug"))), target("ghcr.io/a/b:1"))
            .get(0);

    assertThat(f.result()).isEqualTo(Result.ERROR);
    assertThat(f.message())
        .isEqualTo(
            "could not check: evaluating the validations of ghcr.io/a/b:1 failed:"
                + " java.lang.IllegalStateException: bug. "
                + Cause.CHECK_FAILED.remedy().orElseThrow());
  }
}
