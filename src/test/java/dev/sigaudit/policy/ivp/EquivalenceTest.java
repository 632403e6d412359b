package dev.sigaudit.policy.ivp;

import static dev.sigaudit.policy.ivp.Fixtures.COSIGN_KEY;
import static dev.sigaudit.policy.ivp.Fixtures.RUNNING;
import static dev.sigaudit.policy.ivp.Fixtures.ivp;
import static dev.sigaudit.policy.ivp.Fixtures.target;
import static dev.sigaudit.policy.ivp.Fixtures.verified;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Finding;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.Severity;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.policy.Attestors;
import dev.sigaudit.policy.AuditTarget;
import dev.sigaudit.policy.Check;
import dev.sigaudit.policy.ImageMatcher;
import dev.sigaudit.policy.Mode;
import dev.sigaudit.policy.NamespaceSelector;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyEvaluator;
import dev.sigaudit.policy.PolicySource;
import dev.sigaudit.policy.Rule;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An ImageValidatingPolicy and the sigaudit policy that says the same thing judge every image the
 * same way, through the same evaluator and verdicts.
 */
class EquivalenceTest {
  private static final Policy IVP =
      Fixtures.policy(
          ivp(
              "signed",
              """
              matchImageReferences:
                - glob: "ghcr.io/acme/*"
              attestors:
                - name: release
                  cosign: {key: {data: COSIGN_KEY}, ctlog: {insecureIgnoreTlog: true}}
              validations:
                - expression: images.containers.all(i, verifyImageSignatures(i, [attestors.release]) > 0)
              """));

  private static final Policy OWN =
      new Policy(
          "signed",
          PolicySource.SIGAUDIT_FILE,
          Mode.ENFORCE,
          Severity.MEDIUM,
          Policy.DEFAULT_CATEGORY,
          NamespaceSelector.ALL,
          List.of(
              new Rule(
                  "signed",
                  ImageMatcher.of("ghcr.io/acme/*"),
                  new Check.Signatures(
                      List.of(Attestors.all(List.of(AttestorEntry.Key.of(COSIGN_KEY)))),
                      Optional.empty()))));

  static List<Arguments> cases() {
    String d = "@" + RUNNING;
    return List.of(
        Arguments.of("signed", "ghcr.io/acme/app:1" + d, verified(COSIGN_KEY), Result.PASS),
        Arguments.of("unsigned", "ghcr.io/acme/app:1" + d, new Verdict.Unsigned(), Result.FAIL),
        Arguments.of(
            "rejected",
            "ghcr.io/acme/app:1" + d,
            new Verdict.Rejected(List.of("signature does not verify")),
            Result.FAIL),
        Arguments.of(
            "registry down",
            "ghcr.io/acme/app:1" + d,
            new Verdict.CheckError("503 from ghcr.io"),
            Result.ERROR),
        Arguments.of(
            "another registry", "quay.io/acme/app:1" + d, new Verdict.Unsigned(), Result.SKIP));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void bothPoliciesJudgeAlike(String name, String image, Verdict verdict, Result expected) {
    PolicyEvaluator evaluator = new PolicyEvaluator(r -> verdict);
    AuditTarget t = target(image);

    Finding ivp = evaluator.evaluate(IVP, t).get(0);
    Finding own = evaluator.evaluate(OWN, t).get(0);

    assertThat(ivp.result()).isEqualTo(expected);
    assertThat(own.result()).isEqualTo(expected);
    assertThat(ivp.evidence()).isEqualTo(own.evidence());
    // The same signatures are looked up; the IVP's key is read as Kyverno reads it (exactly
    // SHA-256, attestations count), the file's as cosign may have signed.
    assertThat(PolicyEvaluator.requests(List.of(IVP), t))
        .filteredOn(r -> r.key().isPresent())
        .extracting(
            r -> r.image(), r -> r.key().orElseThrow().fingerprint(), r -> r.signatureRepository())
        .isEqualTo(
            PolicyEvaluator.requests(List.of(OWN), t).stream()
                .map(
                    r ->
                        org.assertj.core.groups.Tuple.tuple(
                            r.image(),
                            r.key().orElseThrow().fingerprint(),
                            r.signatureRepository()))
                .toList());
  }
}
