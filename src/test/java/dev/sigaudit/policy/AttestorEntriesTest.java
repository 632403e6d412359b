package dev.sigaudit.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.Severity;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.TrustedKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How each kind of attestor entry answers, and what the evaluator asks the verdict source. */
class AttestorEntriesTest {
  private static final Digest RUNNING = Digest.sha256("running".getBytes());
  private static final TrustedKey K1 = TestKeys.trusted();
  private static final TrustedKey K2 = TestKeys.trusted();
  private static final AttestorEntry KEYLESS =
      new AttestorEntry.Keyless(
          List.of(
              new AttestorEntry.Keyless.Identity(
                  Optional.of("https://accounts.google.com"),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.of(".*@acme.com"))),
          Optional.empty(),
          Optional.of("Fulcio"),
          Optional.empty(),
          Map.of(),
          Optional.empty());

  private final FakeVerdicts verdicts = new FakeVerdicts();

  private static AuditTarget target(Optional<Digest> running) {
    return new AuditTarget("prod", Map.of(), ImageRef.parse("ghcr.io/acme/app:1"), running);
  }

  private Finding judge(int count, AttestorEntry... entries) {
    return judge(target(Optional.of(RUNNING)), new Attestors(count, List.of(entries)));
  }

  private Finding judge(AuditTarget t, Attestors... sets) {
    Policy p =
        new Policy(
            "p",
            PolicySource.KYVERNO,
            Mode.AUDIT,
            Severity.LOW,
            "c",
            NamespaceSelector.ALL,
            List.of(
                new Rule(
                    "r",
                    ImageMatcher.of("ghcr.io/*"),
                    new Check.Signatures(List.of(sets), Optional.empty()))));
    return new PolicyEvaluator(verdicts).evaluate(p, t).get(0);
  }

  @Test
  void keylessEntriesAreVerifiedThroughTheVerdictSourceLikeKeys() {
    Authority keyless = new Authority.Keyless((AttestorEntry.Keyless) KEYLESS);

    Finding unsigned = judge(1, KEYLESS);
    assertThat(unsigned.result()).isEqualTo(Result.FAIL);
    assertThat(unsigned.message())
        .contains("keyless (issuer https://accounts.google.com, subject ~ .*@acme.com)")
        .contains("no signature found");

    verdicts.failing(RUNNING, keyless, "certificate does not chain to a trusted Fulcio CA");
    assertThat(judge(1, KEYLESS).result()).isEqualTo(Result.ERROR);
  }

  @Test
  void aVerifiedKeylessSignerPasses() {
    verdicts.signed(RUNNING, new Authority.Keyless((AttestorEntry.Keyless) KEYLESS));

    assertThat(judge(1, KEYLESS).result()).isEqualTo(Result.PASS);
  }

  @Test
  void anyOfAVerifiedKeyAndAKeylessEntryPasses() {
    verdicts.signed(RUNNING, K1);

    assertThat(judge(1, KEYLESS, AttestorEntry.Key.of(K1)).result()).isEqualTo(Result.PASS);
    assertThat(judge(2, KEYLESS, AttestorEntry.Key.of(K1)).result()).isEqualTo(Result.FAIL);
  }

  @Test
  void uncheckedRequirementsMakeAVerifiedKeyCouldNotCheckButNotAnUnsignedOne() {
    var key =
        new AttestorEntry.Key(
            K1, Optional.empty(), AttestorEntry.ALL_FORMATS, List.of("a transparency-log entry"));

    assertThat(judge(1, key).result()).isEqualTo(Result.FAIL);
    verdicts.signed(RUNNING, K1);
    Finding f = judge(1, key);
    assertThat(f.result()).isEqualTo(Result.ERROR);
    assertThat(f.message())
        .startsWith(Cause.UNSUPPORTED.label() + ": ")
        .contains(
            "signature verified (legacy-sig), but could not check that the policy's further"
                + " requirements hold: a transparency-log entry")
        .endsWith(Cause.UNSUPPORTED.remedy().orElseThrow());
    assertThat(f.evidence()).isEmpty();
  }

  @Test
  void staticEntriesDecideWithoutAskingAnything() {
    var pass = new AttestorEntry.Static(true, "admits everything");
    var fail = new AttestorEntry.Static(false, "rejects everything");

    assertThat(judge(1, pass).result()).isEqualTo(Result.PASS);
    assertThat(judge(1, fail).result()).isEqualTo(Result.FAIL);
    assertThat(judge(1, fail, pass).result()).isEqualTo(Result.PASS);
    assertThat(verdicts.asked).isEmpty();
    // No digest is needed when no key is involved.
    assertThat(judge(target(Optional.empty()), new Attestors(1, List.of(pass))).result())
        .isEqualTo(Result.PASS);
  }

  @Test
  void aNestedSetAnswersWithItsOwnResultAndItsKeysAreRequested() {
    var nested =
        new AttestorEntry.Nested(
            Attestors.all(List.of(AttestorEntry.Key.of(K1), AttestorEntry.Key.of(K2))));
    verdicts.signed(RUNNING, K1);

    assertThat(judge(1, nested).result()).isEqualTo(Result.FAIL);
    verdicts.signed(RUNNING, K2);
    Finding f = judge(1, nested);
    assertThat(f.result()).isEqualTo(Result.PASS);
    assertThat(f.evidence()).hasSize(2);

    Policy p =
        new Policy(
            "p",
            PolicySource.KYVERNO,
            Mode.AUDIT,
            Severity.LOW,
            "c",
            NamespaceSelector.ALL,
            List.of(
                new Rule(
                    "r",
                    ImageMatcher.of("ghcr.io/*"),
                    new Check.Signatures(
                        List.of(new Attestors(1, List.of(KEYLESS, nested))), Optional.empty()))));
    var requests = PolicyEvaluator.requests(List.of(p), target(Optional.of(RUNNING)));
    assertThat(requests)
        .filteredOn(r -> r.key().isPresent())
        .extracting(r -> r.key().orElseThrow())
        .containsExactly(K1, K2);
    // Keyless entries are verified too, so their lookups are planned like keys'.
    assertThat(requests).filteredOn(r -> r.authority() instanceof Authority.Keyless).hasSize(1);
  }

  @Test
  void requestsCarryTheAcceptedFormatsAndADefaultRequestAcceptsAll() {
    var legacy =
        new AttestorEntry.Key(K1, Optional.empty(), Set.of(SignatureFormat.LEGACY_TAG), List.of());
    judge(1, legacy);

    assertThat(verdicts.asked.get(0).formats()).containsExactly(SignatureFormat.LEGACY_TAG);
    assertThat(verdicts.asked.get(0).acceptsAllFormats()).isFalse();
    assertThat(
            new VerificationRequest(
                    ImageRef.parse("ghcr.io/a/b").atDigest(RUNNING), K1, Optional.empty())
                .acceptsAllFormats())
        .isTrue();
  }

  @Test
  void aRuleOutOfScopeGivesNothingAndAsksNothing() {
    Rule r =
        new Rule(
            "r",
            ImageMatcher.of("ghcr.io/*"),
            new Check.Signatures(
                List.of(Attestors.all(List.of(AttestorEntry.Key.of(K1)))), Optional.empty()),
            new Scope.Namespaces(List.of("other")),
            Optional.empty());
    Policy p =
        new Policy(
            "p",
            PolicySource.KYVERNO,
            Mode.AUDIT,
            Severity.LOW,
            "c",
            NamespaceSelector.ALL,
            List.of(r));

    assertThat(new PolicyEvaluator(verdicts).evaluate(p, target(Optional.of(RUNNING)))).isEmpty();
    assertThat(PolicyEvaluator.requests(List.of(p), target(Optional.of(RUNNING)))).isEmpty();
  }
}
