package dev.sigaudit.policy.ivp;

import static dev.sigaudit.policy.ivp.Fixtures.COSIGN_KEY;
import static dev.sigaudit.policy.ivp.Fixtures.OTHER_KEY;
import static dev.sigaudit.policy.ivp.Fixtures.RUNNING;
import static dev.sigaudit.policy.ivp.Fixtures.ivp;
import static dev.sigaudit.policy.ivp.Fixtures.policy;
import static dev.sigaudit.policy.ivp.Fixtures.target;
import static dev.sigaudit.policy.ivp.Fixtures.verified;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Finding;
import dev.sigaudit.model.HashAlgorithm;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.KeyAcceptance;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.policy.AuditTarget;
import dev.sigaudit.policy.Authority;
import dev.sigaudit.policy.Check;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyEvaluator;
import dev.sigaudit.policy.VerificationRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ImageValidatingPolicies judged through {@link PolicyEvaluator} with a fake verdict source. */
class IvpEvaluationTest {
  /** How Kyverno reads an ImageValidatingPolicy key without hashAlgorithm. */
  private static final class KyvernoReading {
    static final KeyAcceptance IVP = KeyAcceptance.engine(HashAlgorithm.SHA256, true);
  }

  private static final String DIGEST = "@" + RUNNING;
  private static final String SIGNED = "ghcr.io/sf-matt/app:1.0" + DIGEST;

  private final Map<TrustedKey, Verdict> verdicts = new HashMap<>();
  private final List<VerificationRequest> asked = new ArrayList<>();
  private final PolicyEvaluator evaluator =
      new PolicyEvaluator(
          r -> {
            if (isImageData(r)) {
              // Kyverno's prefetch of the image, answered "readable" here (see the test below).
              return new Verdict.Unsigned();
            }
            asked.add(r);
            // By fingerprint: how a key's signatures are read is the verifier's business.
            return verdicts.entrySet().stream()
                .filter(
                    e ->
                        r.key()
                            .map(k -> k.fingerprint().equals(e.getKey().fingerprint()))
                            .orElse(false))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(new Verdict.Unsigned());
          });

  private static boolean isImageData(VerificationRequest r) {
    return r.authority() instanceof Authority.Presence p && p.what().equals("the image's data");
  }

  /** The attestors every policy below can use. */
  private static final String ATTESTORS =
      """
      attestors:
        - name: cosign
          cosign: {key: {data: COSIGN_KEY}}
        - name: other
          cosign: {key: {data: OTHER_KEY}}
        - name: notary
          notary: {certs: {value: "-----BEGIN CERTIFICATE-----"}}
        - name: keyless
          cosign:
            keyless:
              identities: [{issuer: "https://token.actions.githubusercontent.com", subject: "https://github.com/acme/app/.github/workflows/release.yaml@refs/heads/main"}]
      """;

  private static Policy policy(String body) {
    return Fixtures.policy(ivp("p", ATTESTORS + body));
  }

  /** A policy with one validation and {@code required} off, to judge the expression alone. */
  private static Policy expression(String expression) {
    return policy(
        "validationConfigurations: {required: false}\n"
            + "validations:\n"
            + "  - expression: '"
            + expression.replace("'", "''")
            + "'\n");
  }

  private Finding judge(Policy p, AuditTarget t) {
    // The plan first, as the scanner makes it: evaluation may never need more than this.
    var planned =
        PolicyEvaluator.requests(List.of(p), t).stream().filter(r -> !isImageData(r)).toList();
    int before = asked.size();
    List<Finding> f = evaluator.evaluate(p, t);
    assertThat(planned).containsAll(asked.subList(before, asked.size()));
    assertThat(f).hasSize(1);
    return f.get(0);
  }

  private Finding judge(Policy p, String image) {
    return judge(p, target(image));
  }

  // --- the seed and its variants -------------------------------------------------------------

  @Test
  void theSeedPassesASignedImageOfItsRegistry() {
    Policy seed = Fixtures.policy(IvpTranslatorTest.SEED);
    TrustedKey seedKey =
        ((Attestor.Key)
                ((IvpProgram)
                        ((dev.sigaudit.policy.Check.CelValidation) seed.rules().get(0).check())
                            .program())
                    .attestors()
                    .get("cosign"))
            .key();
    verdicts.put(seedKey, verified(seedKey));

    Finding f = judge(seed, SIGNED);

    assertThat(f.result()).isEqualTo(Result.PASS);
    assertThat(f.policy()).isEqualTo("ImageValidatingPolicy/ghcr-check-images");
    assertThat(f.rule()).isEqualTo("ghcr-check-images");
    assertThat(f.source()).isEqualTo("kyverno-ivp");
    assertThat(f.message())
        .isEqualTo(
            "ghcr.io/sf-matt/app@"
                + RUNNING.shortForm()
                + ": 1 validation passed; attestor cosign (key "
                + seedKey.fingerprint()
                + "): verified (legacy-sig)");
    assertThat(f.evidence()).hasSize(1);
  }

  @Test
  void theSeedFailsAnUnsignedImageWithItsMessage() {
    Finding f = judge(Fixtures.policy(IvpTranslatorTest.SEED), SIGNED);

    assertThat(f.result()).isEqualTo(Result.FAIL);
    assertThat(f.message())
        .startsWith(
            "unsigned: ghcr.io/sf-matt/app@"
                + RUNNING.shortForm()
                + ": all images from ghcr.io/sf-matt must have a valid Cosign signature"
                + " (validations[0]); attestor cosign (key SHA256:")
        .contains("): no signature found. To pass: sign it with key SHA256:")
        .endsWith(" (inline in ImageValidatingPolicy/ghcr-check-images, attestor cosign).");
    assertThat(f.evidence()).isEmpty();
  }

  @Test
  void theSeedRequiresEveryImageToBeVerifiedAsKyverno119Does() {
    // No matchImageReferences: every image is matched, and validationConfigurations.required
    // (default true) wants each verified, though the expression itself is true for it.
    Policy seed = Fixtures.policy(IvpTranslatorTest.SEED);
    Finding f = judge(seed, "nginx:1.27" + DIGEST);
    var program = (IvpProgram) ((Check.CelValidation) seed.rules().get(0).check()).program();
    String seedKey = ((Attestor.Key) program.attestors().get("cosign")).key().fingerprint();

    assertThat(f.result()).isEqualTo(Result.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "policy check failed: docker.io/library/nginx@"
                + RUNNING.shortForm()
                + ": image docker.io/library/nginx:1.27@"
                + RUNNING
                + " is not verified: no validation verified its signature"
                + " (validationConfigurations.required; a verification by another"
                + " ImageValidatingPolicy is not considered). To pass: sign it with key "
                + seedKey
                + " (inline in ImageValidatingPolicy/ghcr-check-images, attestor cosign).");
  }

  @Test
  void withoutRequiredTheSeedPassesImagesOfOtherRegistriesWithoutAskingForSignatures() {
    Policy seed =
        Fixtures.policy(
            IvpTranslatorTest.SEED.replace(
                "  validationActions: [Deny]\n",
                "  validationActions: [Deny]\n  validationConfigurations: {required: false}\n"));

    Finding f = judge(seed, "nginx:1.27" + DIGEST);

    assertThat(f.result()).isEqualTo(Result.PASS);
    assertThat(asked).isEmpty();
  }

  @Test
  void verifyDigestFailsAnImageTheSpecNamesByTagButSaysWhatTheSignaturesAre() {
    verdicts.put(COSIGN_KEY, verified(COSIGN_KEY));
    Policy p =
        policy(
            """
            validationConfigurations: {mutateDigest: false}
            validations:
              - expression: images.containers.all(i, verifyImageSignatures(i, [attestors.cosign]) > 0)
            """);

    Finding f = judge(p, "ghcr.io/sf-matt/app:1.0");

    assertThat(f.result()).isEqualTo(Result.FAIL);
    assertThat(f.message())
        .contains(
            ": the Pod spec names ghcr.io/sf-matt/app:1.0 without a digest"
                + " (validationConfigurations.verifyDigest); the validations alone would pass: 1"
                + " validation passed; attestor cosign");
  }

  @Test
  void byDefaultKyvernoPinsTheTagAtAdmissionSoVerifyDigestHolds() {
    // mutateDigest defaults to true: Kyverno's mutating webhook adds the digest to a tag reference
    // before its validating webhook checks verifyDigest, so the Pod is judged on its signatures.
    verdicts.put(COSIGN_KEY, verified(COSIGN_KEY));
    Policy p =
        policy(
            """
            validations:
              - expression: images.containers.all(i, verifyImageSignatures(i, [attestors.cosign]) > 0)
            """);

    Finding f = judge(p, "ghcr.io/sf-matt/app:1.0");

    assertThat(f.result()).isEqualTo(Result.PASS);
    assertThat(f.message()).doesNotContain("without a digest");
  }

  @Test
  void withoutVerifyDigestATagIsJudgedOnItsRunningDigest() {
    verdicts.put(COSIGN_KEY, verified(COSIGN_KEY));
    Policy p =
        policy(
            """
            validationConfigurations: {verifyDigest: false}
            validations:
              - expression: images.containers.all(i, verifyImageSignatures(i, [attestors.cosign]) > 0)
            """);

    assertThat(judge(p, "ghcr.io/sf-matt/app:1.0").result()).isEqualTo(Result.PASS);
    assertThat(asked)
        .extracting(r -> r.image().toString())
        .containsExactly("ghcr.io/sf-matt/app@" + RUNNING);
  }

  @Test
  void theRegistryConditionVariantChecksOnlyItsRegistry() {
    Policy p =
        expression(
            "images.containers.all(i, image(i).registry() == 'ghcr.io'"
                + " ? verifyImageSignatures(i, [attestors.cosign]) > 0 : true)");

    assertThat(judge(p, "registry.k8s.io/pause:3.9" + DIGEST).result()).isEqualTo(Result.PASS);
    assertThat(judge(p, SIGNED).result()).isEqualTo(Result.FAIL);
    verdicts.put(COSIGN_KEY, verified(COSIGN_KEY));
    assertThat(judge(p, SIGNED).result()).isEqualTo(Result.PASS);
  }

  @Test
  void kyvernosImageFunctionsAnswerOnTheJudgedImage() {
    Policy p =
        expression(
            "images.containers.all(i, isImage(i) && parseImageReference(i).registry() =="
                + " 'index.docker.io' && image(i).repository() == 'library/nginx' &&"
                + " image(i).tag() == '1.27' && image(i).identifier() == '1.27@' +"
                + " image(i).digest() && image(i).containsDigest())");
    assertThat(judge(p, "nginx:1.27" + DIGEST).result()).isEqualTo(Result.PASS);
  }

  @Test
  void countingVerifiedAttestorsWorksAcrossAttestors() {
    Policy p =
        expression(
            "verifyImageSignatures(images.containers[0], [attestors.cosign, attestors.other]) == 2");
    verdicts.put(COSIGN_KEY, verified(COSIGN_KEY));
    assertThat(judge(p, SIGNED).result()).isEqualTo(Result.FAIL);
    verdicts.put(OTHER_KEY, verified(OTHER_KEY));
    Finding f = judge(p, SIGNED);
    assertThat(f.result()).isEqualTo(Result.PASS);
    assertThat(f.evidence()).hasSize(2);
  }

  @Test
  void anAttestorSigauditCannotVerifyIsAnErrorNamingIt() {
    Finding notary =
        judge(
            expression(
                "images.containers.map(i, verifyImageSignatures(i, [attestors.notary])).all(e, e > 0)"),
            SIGNED);
    Finding keyless =
        judge(
            expression(
                "images.containers.all(i, verifyImageSignatures(i, [attestors.keyless]) > 0)"),
            SIGNED);

    assertThat(notary.result()).isEqualTo(Result.ERROR);
    assertThat(notary.message())
        .contains(": validations[0] 'images.containers.map(i,")
        .contains(
            "attestor notary: Notary signatures are not supported yet (spec.attestors[2].notary)");
    assertThat(keyless.result()).isEqualTo(Result.ERROR);
    assertThat(keyless.message())
        .contains("attestor keyless (keyless): keyless verification not supported yet");
  }

  @Test
  void anUnusableAttestorIsAnErrorEvenWhereCelWouldAbsorbIt() {
    verdicts.put(COSIGN_KEY, verified(COSIGN_KEY));
    Finding f =
        judge(
            expression(
                "verifyImageSignatures(images.containers[0], [attestors.keyless]) > 0"
                    + " || verifyImageSignatures(images.containers[0], [attestors.cosign]) > 0"),
            SIGNED);

    assertThat(f.result()).isEqualTo(Result.ERROR);
  }

  @Test
  void aCheckErrorMakesTheWholeExpressionAnErrorNeverAPassOrAFail() {
    verdicts.put(COSIGN_KEY, new Verdict.CheckError("GET ghcr.io/v2/sf-matt/app/manifests: 503"));

    for (String e :
        List.of(
            "images.containers.all(i, verifyImageSignatures(i, [attestors.cosign]) > 0)",
            "images.containers.all(i, verifyImageSignatures(i, [attestors.cosign]) > 0 || true)",
            "images.containers.all(i, verifyImageSignatures(i, [attestors.cosign]) == 0)")) {
      Finding f = judge(expression(e), SIGNED);
      assertThat(f.result()).as(e).isEqualTo(Result.ERROR);
      assertThat(f.message())
          .as(e)
          .contains("could not check: GET ghcr.io/v2/sf-matt/app/manifests: 503");
    }
  }

  @Test
  void aThrowingVerdictSourceIsAnError() {
    PolicyEvaluator throwing =
        new PolicyEvaluator(
            r -> {
              throw new IllegalStateException("boom");
            });
    Finding f =
        throwing
            .evaluate(
                expression("verifyImageSignatures(images.containers[0], [attestors.cosign]) > 0"),
                target(SIGNED))
            .get(0);
    assertThat(f.result()).isEqualTo(Result.ERROR);
    assertThat(f.message())
        .contains("verification failed unexpectedly: java.lang.IllegalStateException: boom");
  }

  @Test
  void runtimeErrorsAreErrorsQuotingTheExpression() {
    Finding missing =
        judge(
            expression("verifyImageSignatures(images.containers[0], [attestors.nope]) > 0"),
            SIGNED);
    Finding badRef = judge(expression("image('Not A Reference').registry() == 'ghcr.io'"), SIGNED);
    Finding index = judge(expression("images.initContainers[0] == 'x'"), SIGNED);

    assertThat(List.of(missing, badRef, index))
        .allSatisfy(f -> assertThat(f.result()).isEqualTo(Result.ERROR));
    assertThat(missing.message())
        .contains(
            "validations[0] 'verifyImageSignatures(images.containers[0], [attestors.nope]) > 0' failed:")
        .contains("key 'nope' is not present in map");
    assertThat(badRef.message()).contains("invalid image reference");
    assertThat(index.message())
        .contains("validations[0] 'images.initContainers[0] == ''x''' failed:".replace("''", "'"));
  }

  @Test
  void whatSigauditDoesNotProvideIsAnError() {
    Finding object = judge(expression("object.metadata.name != '' || true"), SIGNED);
    Finding variables = judge(expression("variables.allowed == true"), SIGNED);
    Finding attestation =
        judge(
            expression(
                "verifyAttestationSignatures(images.containers[0], 'sbom', [attestors.cosign]) > 0"),
            SIGNED);
    Finding payload =
        judge(expression("extractPayload(images.containers[0], 'sbom').x == 1"), SIGNED);

    assertThat(object.result()).isEqualTo(Result.ERROR);
    assertThat(object.message())
        .contains("'object' is not available: sigaudit judges running container images");
    assertThat(variables.message()).contains("spec.variables are not evaluated by sigaudit");
    assertThat(attestation.message())
        .contains("verifyAttestationSignatures: attestation verification is not supported yet");
    assertThat(payload.message())
        .contains("extractPayload: reading attestation payloads is not supported yet");
  }

  @Test
  void anExpressionThatDoesNotNeedTheMissingPartIsStillJudged() {
    assertThat(judge(expression("false && object.x == 1 || true"), SIGNED).result())
        .isEqualTo(Result.PASS);
  }

  @Test
  void aRunawayComprehensionIsAnError() {
    Finding f =
        judge(
            expression(
                "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b,"
                    + " [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, true))))"),
            SIGNED);
    assertThat(f.result()).isEqualTo(Result.ERROR);
    assertThat(f.message()).contains("Iteration budget exceeded");
  }

  @Test
  void anUnknownRunningDigestIsAnErrorOnlyWhenSignaturesAreNeeded() {
    AuditTarget unresolved = target("ghcr.io/sf-matt/app:1.0", Optional.empty());
    Policy p =
        policy(
            """
            validationConfigurations: {verifyDigest: false, required: false}
            validations:
              - expression: "images.containers.all(i, image(i).registry() == 'ghcr.io' ? verifyImageSignatures(i, [attestors.cosign]) > 0 : true)"
            """);

    Finding f = judge(p, unresolved);
    assertThat(f.result()).isEqualTo(Result.ERROR);
    assertThat(f.message())
        .startsWith(
            "could not check: ghcr.io/sf-matt/app:1.0: validations[0] 'images.containers.all(i,")
        .contains("its running digest is unknown and the spec names no digest");
    assertThat(judge(p, target("quay.io/x/y:1", Optional.empty())).result()).isEqualTo(Result.PASS);
  }

  @Test
  void verifyingAnotherImageThanTheJudgedOneIsAnError() {
    Finding f =
        judge(
            expression("verifyImageSignatures('ghcr.io/sf-matt/other:1', [attestors.cosign]) > 0"),
            SIGNED);
    assertThat(f.result()).isEqualTo(Result.ERROR);
    assertThat(f.message()).contains("sigaudit verifies only the image being judged");
  }

  // --- messages and several validations ------------------------------------------------------

  @Test
  void aMessageExpressionExplainsAFailure() {
    Policy p =
        policy(
            """
            validationConfigurations: {required: false}
            validations:
              - expression: images.containers.all(i, verifyImageSignatures(i, [attestors.cosign]) > 0)
                message: static message
                messageExpression: "'unsigned: ' + images.containers.join(', ')"
            """);
    assertThat(judge(p, SIGNED).message())
        .contains(": unsigned: ghcr.io/sf-matt/app:1.0@" + RUNNING + " (validations[0]);");
  }

  @Test
  void withoutAnyMessageTheFailureQuotesTheExpression() {
    assertThat(judge(expression("images.containers.size() > 1"), SIGNED).message())
        .startsWith("policy check failed: ")
        // Not about a signature: signing would not make it pass, so no signer is suggested.
        .endsWith(": validations[0] failed: 'images.containers.size() > 1' is false");
  }

  @Test
  void aFalseValidationFailsThePolicyEvenWhenAnotherOneErrs() {
    Policy p =
        policy(
            """
            validationConfigurations: {required: false}
            validations:
              - expression: object.metadata.name == 'x'
              - expression: images.containers.all(i, i.startsWith('quay.io/'))
                message: only quay.io
            """);
    Finding f = judge(p, SIGNED);
    assertThat(f.result()).isEqualTo(Result.FAIL);
    assertThat(f.message())
        .contains(
            ": only quay.io (validations[1]); also: validations[0] 'object.metadata.name == 'x'' could not be evaluated:");
  }

  @Test
  void allValidationsMustHold() {
    verdicts.put(COSIGN_KEY, verified(COSIGN_KEY));
    Policy p =
        policy(
            """
            validations:
              - expression: images.containers.all(i, verifyImageSignatures(i, [attestors.cosign]) > 0)
              - expression: images.containers.all(i, image(i).containsDigest())
            """);
    Finding f = judge(p, SIGNED);
    assertThat(f.result()).isEqualTo(Result.PASS);
    assertThat(f.message()).contains(": 2 validations passed; attestor cosign");
    assertThat(asked).hasSize(1);
  }

  @Test
  void requiredFailsAnImageWhoseVerificationFailedEvenIfTheExpressionHolds() {
    Policy p =
        policy(
            """
            validations:
              - expression: images.containers.all(i, verifyImageSignatures(i, [attestors.cosign]) >= 0)
            """);
    Finding f = judge(p, SIGNED);
    assertThat(f.result()).isEqualTo(Result.FAIL);
    assertThat(f.message()).contains("is not verified: its signatures did not verify");
  }

  // --- which images, which namespaces, which requests ----------------------------------------

  @Test
  void anImageNoGlobSelectsIsSkippedAndNeedsNoSignatures() {
    Policy p =
        policy(
            """
            matchImageReferences:
              - glob: "ghcr.io/sf-matt/*"
              - glob: "{quay.io,registry.example.com}/acme/*"
            validations:
              - expression: images.containers.all(i, verifyImageSignatures(i, [attestors.cosign]) > 0)
            """);

    Finding skipped = judge(p, "nginx" + DIGEST);
    assertThat(skipped.result()).isEqualTo(Result.SKIP);
    assertThat(skipped.rule()).isEqualTo(Finding.NO_RULE);
    assertThat(skipped.message()).contains("not in the images of p");
    assertThat(PolicyEvaluator.requests(List.of(p), target("nginx" + DIGEST))).isEmpty();

    assertThat(judge(p, "quay.io/acme/app:2" + DIGEST).result()).isEqualTo(Result.FAIL);
    verdicts.put(COSIGN_KEY, verified(COSIGN_KEY));
    assertThat(judge(p, SIGNED).result()).isEqualTo(Result.PASS);
  }

  @Test
  void aGlobMayNameDockerHubImagesAsTheSpecWroteThem() {
    Policy p = expressionWithReferences("- glob: \"nginx*\"", "images.containers.size() == 1");
    assertThat(judge(p, "nginx:1.27" + DIGEST).result()).isEqualTo(Result.PASS);
    assertThat(judge(p, "docker.io/library/nginx" + DIGEST).result()).isEqualTo(Result.PASS);
    assertThat(judge(p, "ghcr.io/nginx/nginx" + DIGEST).result()).isEqualTo(Result.SKIP);
  }

  @Test
  void anExpressionSelectsImagesByTheirNormalizedReference() {
    Policy p =
        expressionWithReferences(
            "- expression: \"image(ref).registry() == 'ghcr.io' && ref.contains('/sf-matt/')\"",
            "images.containers.all(i, verifyImageSignatures(i, [attestors.cosign]) > 0)");
    verdicts.put(COSIGN_KEY, verified(COSIGN_KEY));

    assertThat(judge(p, SIGNED).result()).isEqualTo(Result.PASS);
    assertThat(judge(p, "ghcr.io/other/app" + DIGEST).result()).isEqualTo(Result.SKIP);
  }

  @Test
  void aSelectionExpressionThatFailsIsAnErrorNotASkip() {
    Policy p =
        expressionWithReferences(
            "- expression: \"image(ref).tag() == 'x' || ref.matches('[')\"", "true");
    Finding f = judge(p, SIGNED);
    assertThat(f.result()).isEqualTo(Result.ERROR);
    assertThat(f.message()).contains("spec.matchImageReferences[0].expression");
  }

  @Test
  void unselectedImagesVerifyAsZeroAsInKyverno() {
    Policy p =
        expressionWithReferences(
            "- glob: \"ghcr.io/*\"",
            "verifyImageSignatures('docker.io/library/busybox:1', [attestors.cosign]) == 0");
    assertThat(judge(p, SIGNED).result()).isEqualTo(Result.PASS);
    assertThat(asked).isEmpty();
  }

  private static Policy expressionWithReferences(String references, String expression) {
    return policy(
        "validationConfigurations: {required: false}\n"
            + "matchImageReferences:\n  "
            + references
            + "\nvalidations:\n  - expression: '"
            + expression.replace("'", "''")
            + "'\n");
  }

  @Test
  void aKeyAttestorNeedsATransparencyLogEntryUnlessTheLogIsIgnored() {
    // Kyverno loads Sigstore's trust material for a key attestor and requires a Rekor entry unless
    // ctlog.insecureIgnoreTlog: a signature verified by the key alone does not count.
    String validation =
        """
        validations:
          - expression: images.containers.all(i, verifyImageSignatures(i, [attestors.release]) > 0)
        """;
    Map<Authority, Verdict> byAuthority = new HashMap<>();
    TrustedKey asKyverno = COSIGN_KEY.withAcceptance(KyvernoReading.IVP);
    byAuthority.put(new Authority.Key(asKyverno, false), verified(COSIGN_KEY));
    byAuthority.put(
        new Authority.Key(asKyverno, true),
        new Verdict.Rejected(List.of("no transparency-log entry")));
    PolicyEvaluator byTlog =
        new PolicyEvaluator(r -> byAuthority.getOrDefault(r.authority(), new Verdict.Unsigned()));
    Policy logged =
        Fixtures.policy(
            ivp(
                "p",
                "attestors:\n"
                    + "  - name: release\n"
                    + "    cosign: {key: {data: COSIGN_KEY}}\n"
                    + validation));
    Policy ignored =
        Fixtures.policy(
            ivp(
                "p",
                "attestors:\n"
                    + "  - name: release\n"
                    + "    cosign: {key: {data: COSIGN_KEY}, ctlog: {insecureIgnoreTlog: true}}\n"
                    + validation));

    assertThat(byTlog.evaluate(logged, target(SIGNED)).get(0).result()).isEqualTo(Result.FAIL);
    assertThat(byTlog.evaluate(ignored, target(SIGNED)).get(0).result()).isEqualTo(Result.PASS);
  }

  @Test
  void aRekorKeyOfThePolicysOwnIsARequirementSigauditCannotCheck() {
    Policy p =
        Fixtures.policy(
            ivp(
                "p",
                """
                attestors:
                  - name: release
                    cosign: {key: {data: COSIGN_KEY}, ctlog: {url: "https://rekor.internal", rekorPubKey: "PEM"}}
                validations:
                  - expression: images.containers.all(i, verifyImageSignatures(i, [attestors.release]) > 0)
                """));
    PolicyEvaluator signedAndLogged = new PolicyEvaluator(r -> verified(COSIGN_KEY));
    PolicyEvaluator unsigned = new PolicyEvaluator(r -> new Verdict.Unsigned());

    Finding f = signedAndLogged.evaluate(p, target(SIGNED)).get(0);
    assertThat(f.result()).isEqualTo(Result.ERROR);
    assertThat(f.message()).contains("spec.attestors[0].cosign.ctlog.rekorPubKey");
    assertThat(unsigned.evaluate(p, target(SIGNED)).get(0).result()).isEqualTo(Result.FAIL);
  }

  @Test
  void aKmsAttestorCountsZeroForAnImageWithoutAnySignatureAndIsUnknownOtherwise() {
    Policy p =
        Fixtures.policy(
            ivp(
                "p",
                """
                attestors:
                  - name: kms
                    cosign: {key: {kms: "awskms:///alias/release"}}
                validations:
                  - expression: images.containers.all(i, verifyImageSignatures(i, [attestors.kms]) > 0)
                """));
    PolicyEvaluator unsigned = new PolicyEvaluator(r -> new Verdict.Unsigned());
    PolicyEvaluator signed =
        new PolicyEvaluator(
            r ->
                r.authority() instanceof Authority.Presence
                    ? new Verdict.CheckError("signed, but sigaudit cannot verify who signed")
                    : new Verdict.Unsigned());

    assertThat(PolicyEvaluator.requests(List.of(p), target(SIGNED)))
        .extracting(VerificationRequest::authority)
        .containsExactly(
            new Authority.Presence("the image's data", true),
            new Authority.Presence("attestor kms"));
    assertThat(unsigned.evaluate(p, target(SIGNED)).get(0).result()).isEqualTo(Result.FAIL);
    assertThat(signed.evaluate(p, target(SIGNED)).get(0).result()).isEqualTo(Result.ERROR);
  }

  @Test
  void aPassThatRestsOnAnAttestationCarriesTheEnginesNoteToTheFinding() {
    String note =
        "accepted an attestation (predicateType \"https://cyclonedx.org/bom\") as a signature";
    PolicyEvaluator attested =
        new PolicyEvaluator(
            r ->
                new Verdict.Verified(
                    dev.sigaudit.model.SignatureFormat.BUNDLE_REFERRER,
                    dev.sigaudit.model.Signer.key(COSIGN_KEY.fingerprint()),
                    r.image().digest(),
                    List.of(note)));
    Policy p =
        Fixtures.policy(
            ivp(
                "p",
                """
                attestors:
                  - name: release
                    cosign: {key: {data: COSIGN_KEY}, ctlog: {insecureIgnoreTlog: true}}
                validations:
                  - expression: images.containers.all(i, verifyImageSignatures(i, [attestors.release]) > 0)
                """));

    Finding f = attested.evaluate(p, target(SIGNED)).get(0);

    assertThat(f.result()).isEqualTo(Result.PASS);
    assertThat(f.engineNotes()).containsExactly(note);
  }

  @Test
  void anImageWhoseRegistryCannotBeReadIsAnErrorWhateverTheValidationsSay() {
    // Kyverno fetches every selected image before evaluating; a registry it cannot read makes the
    // policy's result an error even for a validation that never looks at signatures.
    Policy p =
        Fixtures.policy(
            ivp(
                "p",
                """
                validationConfigurations: {required: false}
                validations:
                  - expression: "true"
                """));
    PolicyEvaluator down =
        new PolicyEvaluator(
            r ->
                isImageData(r)
                    ? new Verdict.CheckError("503 Service Unavailable from ghcr.io")
                    : new Verdict.Unsigned());
    PolicyEvaluator signedSomehow =
        new PolicyEvaluator(r -> new Verdict.CheckError(Authority.Presence.SIGNED));

    Finding f = down.evaluate(p, target(SIGNED)).get(0);
    assertThat(f.result()).isEqualTo(Result.ERROR);
    assertThat(f.message())
        .contains("could not read the image from its registry: 503 Service Unavailable");
    assertThat(signedSomehow.evaluate(p, target(SIGNED)).get(0).result()).isEqualTo(Result.PASS);
  }

  @Test
  void requestsCoverEveryKeyAttestorForTheRunningDigest() {
    Policy p =
        Fixtures.policy(
            ivp(
                "p",
                ATTESTORS.replace(
                        "cosign: {key: {data: OTHER_KEY}}",
                        "cosign: {key: {data: OTHER_KEY}, source: {repository: ghcr.io/acme/sigs}}")
                    + """
                    validations:
                      - expression: "true"
                    """));
    var requests =
        PolicyEvaluator.requests(List.of(p), target("ghcr.io/acme/app:1.0")).stream()
            .filter(r -> !isImageData(r))
            .toList();

    ImageRef subject = ImageRef.parse("ghcr.io/acme/app@" + RUNNING);
    // Without ctlog.insecureIgnoreTlog Kyverno requires a transparency-log entry for a key.
    assertThat(requests)
        .containsExactly(
            new VerificationRequest(
                subject,
                new Authority.Key(COSIGN_KEY.withAcceptance(KyvernoReading.IVP), true),
                Optional.empty(),
                AttestorEntry.ALL_FORMATS,
                VerificationRequest.Reading.BUNDLES_WHEN_PRESENT),
            new VerificationRequest(
                subject,
                new Authority.Key(OTHER_KEY.withAcceptance(KyvernoReading.IVP), true),
                Optional.of(ImageRef.parse("ghcr.io/acme/sigs")),
                AttestorEntry.ALL_FORMATS,
                VerificationRequest.Reading.BUNDLES_WHEN_PRESENT));
    assertThat(
            PolicyEvaluator.requests(List.of(p), target("ghcr.io/acme/app:1.0", Optional.empty())))
        .isEmpty();
  }

  @Test
  void theNamespaceSelectorLimitsWhichContainersAreJudged() {
    Policy p =
        policy(
            """
            matchConstraints:
              namespaceSelector: {matchLabels: {env: prod}}
            validations:
              - expression: "true"
            """);
    AuditTarget dev =
        new AuditTarget("dev", Map.of("env", "dev"), ImageRef.parse(SIGNED), Optional.of(RUNNING));
    assertThat(evaluator.evaluate(p, dev)).isEmpty();
    assertThat(PolicyEvaluator.requests(List.of(p), dev)).isEmpty();
  }
}
