package dev.sigaudit.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.Severity;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.model.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {
  private static final Digest RUNNING = Digest.sha256("running".getBytes());
  private static final String SHORT = RUNNING.shortForm();
  private static final TrustedKey K1 = TestKeys.trusted();
  private static final TrustedKey K2 = TestKeys.trusted();
  private static final TrustedKey K3 = TestKeys.trusted();
  private static final Verdict UNSIGNED = new Verdict.Unsigned();

  private final Map<TrustedKey, Verdict> verdicts = new HashMap<>();
  private final List<VerificationRequest> asked = new ArrayList<>();
  private final PolicyEvaluator evaluator =
      new PolicyEvaluator(
          r -> {
            asked.add(r);
            return verdicts.getOrDefault(r.key().orElse(null), UNSIGNED);
          });

  private static Verdict verified(TrustedKey k) {
    return new Verdict.Verified(SignatureFormat.LEGACY_TAG, Signer.key(k.fingerprint()), RUNNING);
  }

  private static AuditTarget target(String image) {
    return new AuditTarget("prod", Map.of(), ImageRef.parse(image), Optional.of(RUNNING));
  }

  private static Policy policy(NamespaceSelector ns, Rule... rules) {
    return new Policy(
        "prod-signed",
        PolicySource.SIGAUDIT_FILE,
        Mode.AUDIT,
        Severity.HIGH,
        "Supply Chain",
        ns,
        List.of(rules));
  }

  private static Rule signed(String name, int count, TrustedKey... keys) {
    List<AttestorEntry> entries = new ArrayList<>();
    for (TrustedKey k : keys) {
      entries.add(AttestorEntry.Key.of(k));
    }
    return new Rule(
        name,
        ImageMatcher.of("ghcr.io/acme/*"),
        new Check.Signatures(List.of(new Attestors(count, entries)), Optional.empty()));
  }

  private Finding single(Policy p, AuditTarget t) {
    List<Finding> f = evaluator.evaluate(p, t);
    assertThat(f).hasSize(1);
    return f.get(0);
  }

  @Test
  void oneOfTwoPassesWithOneVerifiedKeyAndReportsItAsEvidence() {
    verdicts.put(K2, verified(K2));

    Finding f =
        single(policy(NamespaceSelector.ALL, signed("r", 1, K1, K2)), target("ghcr.io/acme/app:1"));

    assertThat(f.result()).isEqualTo(Result.PASS);
    assertThat(f.message())
        .isEqualTo(
            "ghcr.io/acme/app@"
                + SHORT
                + ": signed: 1 of 2 keys verified, 1 required; key "
                + K2.fingerprint()
                + " (legacy-sig)");
    assertThat(f.evidence())
        .containsExactly(
            new Finding.Evidence(SignatureFormat.LEGACY_TAG, Signer.key(K2.fingerprint())));
    assertThat(f)
        .extracting(
            Finding::policy, Finding::rule, Finding::severity, Finding::category, Finding::source)
        .containsExactly("prod-signed", "r", Severity.HIGH, "Supply Chain", "sigaudit-file");
  }

  @Test
  void twoOfTwoFailsWhenOneKeyHasNoSignatureAndListsWhy() {
    verdicts.put(K1, verified(K1));

    Finding f =
        single(policy(NamespaceSelector.ALL, signed("r", 2, K1, K2)), target("ghcr.io/acme/app:1"));

    assertThat(f.result()).isEqualTo(Result.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "unsigned: ghcr.io/acme/app@"
                + SHORT
                + ": not signed as required: 1 of 2 keys verified, 2 required; key "
                + K2.fingerprint()
                + ": no signature found. To pass: sign it with all of key "
                + K1.fingerprint()
                + ", key "
                + K2.fingerprint()
                + ".");
    assertThat(f.evidence()).isEmpty();
  }

  @Test
  void rejectedSignaturesFailWithEveryReason() {
    verdicts.put(K1, new Verdict.Rejected(List.of("bad signature", "digest mismatch")));

    Finding f =
        single(policy(NamespaceSelector.ALL, signed("r", 1, K1)), target("ghcr.io/acme/app:1"));

    assertThat(f.result()).isEqualTo(Result.FAIL);
    assertThat(f.message())
        .endsWith(
            "0 of 1 key verified, 1 required; key "
                + K1.fingerprint()
                + ": 2 signatures rejected: bad signature; digest mismatch. To pass: sign it with"
                + " key "
                + K1.fingerprint()
                + ".");
  }

  @Test
  void twoOfTwoIsAnErrorNotAFailureWhenTheMissingKeyCouldNotBeChecked() {
    verdicts.put(K1, verified(K1));
    verdicts.put(K2, new Verdict.CheckError("401 from ghcr.io"));

    Finding f =
        single(policy(NamespaceSelector.ALL, signed("r", 2, K1, K2)), target("ghcr.io/acme/app:1"));

    assertThat(f.result()).isEqualTo(Result.ERROR);
    assertThat(f.message())
        .isEqualTo(
            "could not check: ghcr.io/acme/app@"
                + SHORT
                + ": could not check signatures: 1 of 2 keys verified, 2 required,"
                + " 1 could not be checked; key "
                + K2.fingerprint()
                + ": could not check: 401 from ghcr.io. "
                + Cause.CHECK_FAILED.remedy().orElseThrow());
  }

  @Test
  void anErrorThatCannotChangeTheOutcomeDoesNotHideAPass() {
    verdicts.put(K1, new Verdict.CheckError("timeout"));
    verdicts.put(K2, verified(K2));

    assertThat(
            single(
                    policy(NamespaceSelector.ALL, signed("r", 1, K1, K2)),
                    target("ghcr.io/acme/app:1"))
                .result())
        .isEqualTo(Result.PASS);
  }

  @Test
  void anErrorThatCannotChangeTheOutcomeDoesNotHideAFailure() {
    // 2 of 3 needed; two are definitely not verified, so the unknown third cannot make it pass.
    verdicts.put(K1, new Verdict.Rejected(List.of("bad signature")));
    verdicts.put(K3, new Verdict.CheckError("timeout"));

    Finding f =
        single(
            policy(NamespaceSelector.ALL, signed("r", 2, K1, K2, K3)),
            target("ghcr.io/acme/app:1"));

    assertThat(f.result()).isEqualTo(Result.FAIL);
    assertThat(f.message()).contains("0 of 3 keys verified, 2 required, 1 could not be checked");
  }

  @Test
  void anErrorThatCouldTurnAFailureIntoAPassIsAnError() {
    verdicts.put(K1, new Verdict.Rejected(List.of("bad signature")));
    verdicts.put(K2, new Verdict.CheckError("timeout"));

    assertThat(
            single(
                    policy(NamespaceSelector.ALL, signed("r", 1, K1, K2)),
                    target("ghcr.io/acme/app:1"))
                .result())
        .isEqualTo(Result.ERROR);
  }

  @Test
  void aFailingAttestorSetFailsTheRuleEvenWhenAnotherCouldNotBeChecked() {
    verdicts.put(K2, new Verdict.CheckError("timeout"));
    var check =
        new Check.Signatures(
            List.of(
                Attestors.all(List.of(AttestorEntry.Key.of(K1))),
                Attestors.all(List.of(AttestorEntry.Key.of(K2)))),
            Optional.empty());
    var rule = new Rule("r", ImageMatcher.of("*"), check);

    Finding f = single(policy(NamespaceSelector.ALL, rule), target("ghcr.io/acme/app:1"));

    assertThat(f.result()).isEqualTo(Result.FAIL);
    assertThat(f.message())
        .contains("attestors[0]: 0 of 1 key verified")
        .contains("; attestors[1]: 0 of 1 key verified, 1 required, 1 could not be checked");
  }

  @Test
  void aThrowingVerdictSourceIsAnErrorNeverAPass() {
    var broken =
        new PolicyEvaluator(
            r -> {
              throw new IllegalStateException("boom");
            });

    List<Finding> f =
        broken.evaluate(
            policy(NamespaceSelector.ALL, signed("r", 1, K1)), target("ghcr.io/acme/app:1"));

    assertThat(f).singleElement().extracting(Finding::result).isEqualTo(Result.ERROR);
    assertThat(f.get(0).message())
        .contains("verification failed unexpectedly: java.lang.IllegalStateException: boom");
  }

  @Test
  void unknownRunningDigestOfATaggedImageIsAnError() {
    var t =
        new AuditTarget("prod", Map.of(), ImageRef.parse("ghcr.io/acme/app:1"), Optional.empty());

    Finding f = single(policy(NamespaceSelector.ALL, signed("r", 1, K1)), t);

    assertThat(f.result()).isEqualTo(Result.ERROR);
    assertThat(f.message())
        .isEqualTo(
            "running digest unknown: cannot check signatures of ghcr.io/acme/app:1: its running"
                + " digest is unknown and the spec names no digest. To fix: pin the image by digest"
                + " in the Pod spec, or let sigaudit read the Pod's status (imageID).");
    assertThat(asked).isEmpty();
  }

  @Test
  void theDigestWrittenInTheSpecIsUsedWhenTheRunningOneIsUnknown() {
    Digest written = Digest.sha256("written".getBytes());
    var t =
        new AuditTarget(
            "prod", Map.of(), ImageRef.parse("ghcr.io/acme/app@" + written), Optional.empty());

    evaluator.evaluate(policy(NamespaceSelector.ALL, signed("r", 1, K1)), t);

    assertThat(asked).extracting(r -> r.image().digest()).containsExactly(written);
  }

  @Test
  void signaturesAreLookedUpInTheRuleRepositoryUnlessTheEntryOverridesIt() {
    ImageRef ruleRepo = ImageRef.parse("ghcr.io/acme/signatures");
    ImageRef entryRepo = ImageRef.parse("ghcr.io/other/sigs");
    var check =
        new Check.Signatures(
            List.of(
                new Attestors(
                    1,
                    List.of(
                        AttestorEntry.Key.of(K1),
                        new AttestorEntry.Key(K2, Optional.of(entryRepo))))),
            Optional.of(ruleRepo));

    evaluator.evaluate(
        policy(NamespaceSelector.ALL, new Rule("r", ImageMatcher.of("*"), check)),
        target("ghcr.io/acme/app:1"));

    assertThat(asked)
        .extracting(VerificationRequest::signatureRepository)
        .containsExactly(Optional.of(ruleRepo), Optional.of(entryRepo));
    assertThat(asked.get(0).image()).isEqualTo(ImageRef.parse("ghcr.io/acme/app@" + RUNNING));
  }

  @Test
  void requestsListsEachDistinctCheckEvaluationWillMake() {
    var p = policy(NamespaceSelector.ALL, signed("a", 1, K1, K2), signed("b", 1, K1));
    var t = target("ghcr.io/acme/app:1");

    var requests = PolicyEvaluator.requests(List.of(p), t);
    evaluator.evaluate(p, t);

    assertThat(asked).hasSize(3);
    assertThat(requests).containsExactlyElementsOf(new LinkedHashSet<>(asked));
  }

  @Test
  void allowedRegistriesPassAndFailOnThePattern() {
    var rule =
        new Rule(
            "registries",
            ImageMatcher.of("*"),
            new Check.AllowedImages(List.of("ghcr.io/acme/*", "registry.k8s.io/*")));
    var p = policy(NamespaceSelector.ALL, rule);

    Finding pass = single(p, target("registry.k8s.io/pause:3.9"));
    Finding fail = single(p, target("nginx:latest"));

    assertThat(pass.result()).isEqualTo(Result.PASS);
    assertThat(pass.message())
        .isEqualTo("image registry.k8s.io/pause:3.9 matches allowed registry.k8s.io/*");
    assertThat(fail.result()).isEqualTo(Result.FAIL);
    assertThat(fail.message())
        .isEqualTo(
            "image not allowed by the policy: image docker.io/library/nginx:latest is not from an"
                + " allowed registry (allowed: ghcr.io/acme/*, registry.k8s.io/*). To pass: run an"
                + " image from ghcr.io/acme/*, registry.k8s.io/*.");
  }

  @Test
  void requireDigestFailsATagOnlyReferenceAndPassesADigestOne() {
    var p =
        policy(
            NamespaceSelector.ALL,
            new Rule("pinned", ImageMatcher.of("*"), new Check.RequireDigest()));

    Finding fail = single(p, target("ghcr.io/acme/app:1"));
    Finding pass = single(p, target("ghcr.io/acme/app:1@" + RUNNING));

    assertThat(fail.result()).isEqualTo(Result.FAIL);
    assertThat(fail.message())
        .isEqualTo(
            "not pinned by digest: image ghcr.io/acme/app:1 is referenced by tag, not by digest"
                + " (running "
                + RUNNING
                + "). To pass: name the image by digest in the Pod spec (ghcr.io/acme/app@"
                + RUNNING
                + ").");
    assertThat(pass.result()).isEqualTo(Result.PASS);
  }

  @Test
  void aPolicyThatDoesNotSelectTheNamespaceGivesNoFindings() {
    var ns = new NamespaceSelector(List.of("staging"), List.of(), LabelSelector.EVERYTHING);

    assertThat(evaluator.evaluate(policy(ns, signed("r", 1, K1)), target("ghcr.io/acme/app:1")))
        .isEmpty();
    assertThat(asked).isEmpty();
  }

  @Test
  void onlyRulesMatchingTheImageGiveFindings() {
    var pinned =
        new Rule("pinned", ImageMatcher.of("registry.k8s.io/*"), new Check.RequireDigest());
    var p = policy(NamespaceSelector.ALL, signed("signed", 1, K1), pinned);

    assertThat(evaluator.evaluate(p, target("ghcr.io/acme/app:1")))
        .extracting(Finding::rule)
        .containsExactly("signed");
  }

  @Test
  void aPolicyWithNoRuleForTheImageGivesOneSkipSayingWhy() {
    var skipping =
        new Rule(
            "pinned",
            new ImageMatcher(List.of("*"), List.of("docker.io/library/*")),
            new Check.RequireDigest());
    var p = policy(NamespaceSelector.ALL, signed("signed", 1, K1), skipping);

    Finding f = single(p, target("nginx:1.27"));

    assertThat(f.result()).isEqualTo(Result.SKIP);
    assertThat(f.rule()).isEqualTo(Finding.NO_RULE);
    assertThat(f.message())
        .isEqualTo(
            "no rule applies to image docker.io/library/nginx:1.27: not in the images of signed; in the"
                + " skipImages of pinned");
  }

  @Test
  void evaluatingSeveralPoliciesConcatenatesTheirFindingsInOrder() {
    var a = policy(NamespaceSelector.ALL, signed("signed", 1, K1));
    var b =
        new Policy(
            "pinned",
            PolicySource.KYVERNO,
            Mode.ENFORCE,
            Severity.LOW,
            "x",
            NamespaceSelector.ALL,
            List.of(new Rule("pin", ImageMatcher.of("*"), new Check.RequireDigest())));

    assertThat(evaluator.evaluate(List.of(a, b), target("ghcr.io/acme/app:1")))
        .extracting(Finding::policy, Finding::source)
        .containsExactly(tuple("prod-signed", "sigaudit-file"), tuple("pinned", "kyverno"));
  }

  @Test
  void theCauseOfAFindingIsThatOfTheVerdictThatDecidedIt() {
    Policy p = policy(NamespaceSelector.ALL, signed("r", 1, K1));
    AuditTarget t = target("ghcr.io/acme/app:1");

    assertThat(single(p, t).cause()).contains(Cause.UNSIGNED);
    verdicts.put(K1, new Verdict.Rejected(List.of("does not verify"), Cause.WRONG_KEY));
    assertThat(single(p, t).cause()).contains(Cause.WRONG_KEY);
    verdicts.put(K1, new Verdict.Rejected(List.of("bundle"), Cause.BUNDLE_NOT_READ));
    assertThat(single(p, t).cause()).contains(Cause.BUNDLE_NOT_READ);
    verdicts.put(K1, new Verdict.CheckError("TLS failure", Cause.PLAIN_HTTP));
    assertThat(single(p, t))
        .extracting(Finding::result, Finding::cause)
        .containsExactly(Result.ERROR, Optional.of(Cause.PLAIN_HTTP));
    verdicts.put(K1, verified(K1));
    assertThat(single(p, t).cause()).as("a pass has no cause").isEmpty();
  }

  @Test
  void aFailDecidedWhateverTheUnknownsHasTheCauseOfTheFailingEntry() {
    // Two of two required: one unsigned is a fail even though the other could not be checked.
    verdicts.put(K2, new Verdict.CheckError("timeout", Cause.UNREACHABLE));

    Finding f =
        single(policy(NamespaceSelector.ALL, signed("r", 2, K1, K2)), target("ghcr.io/acme/app:1"));

    assertThat(f.result()).isEqualTo(Result.FAIL);
    assertThat(f.cause()).contains(Cause.UNSIGNED);
  }
}
