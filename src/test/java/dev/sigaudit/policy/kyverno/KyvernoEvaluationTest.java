package dev.sigaudit.policy.kyverno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.AuditTarget;
import dev.sigaudit.policy.Authority;
import dev.sigaudit.policy.FakeVerdicts;
import dev.sigaudit.policy.Fixtures;
import dev.sigaudit.policy.PodInfo;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyEvaluator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Translated Kyverno policies judging containers, end to end through the evaluator. */
class KyvernoEvaluationTest {
  private static final TrustedKey RELEASE = Fixtures.key("release");
  private static final TrustedKey BACKUP = Fixtures.key("backup");
  private static final TrustedKey OTHER = Fixtures.key("other");
  private static final Digest RUNNING = Digest.sha256("app".getBytes());
  private static final String AT = "@" + RUNNING.shortForm();

  private final FakeVerdicts verdicts = new FakeVerdicts();
  private final PolicyEvaluator evaluator = new PolicyEvaluator(verdicts);

  private static Policy policy(String fixture) {
    var l =
        new KyvernoTranslator(Fixtures.KEYS)
            .translate(List.of(Fixtures.object("kyverno/" + fixture + ".json")));
    return l.policies().get(0);
  }

  private static AuditTarget container(
      String namespace, Map<String, String> nsLabels, String image, PodInfo pod) {
    return new AuditTarget(namespace, nsLabels, ImageRef.parse(image), Optional.of(RUNNING), pod);
  }

  private static PodInfo pod(
      String name, Map<String, String> labels, ContainerType type, String image) {
    return PodInfo.of(name, labels, type, image);
  }

  private static AuditTarget regular(String namespace, String image) {
    return container(
        namespace, Map.of(), image, pod("app-1", Map.of(), ContainerType.REGULAR, image));
  }

  private List<Finding> evaluate(Policy p, AuditTarget t) {
    return evaluator.evaluate(p, t);
  }

  @Test
  void kyvernosDefaultTransparencyLogRequirementIsVerifiedNotAssumed() {
    Policy p = policy("seed-verify-image-signatures-patched");
    AuditTarget t = regular("production", "ghcr.io/yourorg/nginx-signed:v1.0.0");

    // Signed, but the signature is not in the log: Kyverno would refuse it, and so does sigaudit.
    verdicts.signed(RUNNING, RELEASE);
    assertThat(evaluate(p, t).get(0).result()).isEqualTo(Result.FAIL);
    assertThat(verdicts.asked).allSatisfy(r -> assertThat(r.authority().id()).endsWith("+tlog"));

    // Signed and logged (the verifier checked the SET against the trusted root): a pass.
    verdicts.signed(RUNNING, new Authority.Key(RELEASE, true));
    assertThat(evaluate(p, t))
        .extracting(Finding::rule, Finding::result)
        .containsExactly(
            tuple("check-image-signature", Result.PASS), tuple("restrict-registries", Result.PASS));
  }

  @Test
  void anUnsignedImageFailsEvenWhenTheTransparencyLogCannotBeChecked() {
    Policy p = policy("seed-verify-image-signatures-patched");

    Finding f =
        evaluate(p, regular("staging", "ghcr.io/yourorg/app@sha256:" + RUNNING.hex())).get(0);

    assertThat(f.result()).isEqualTo(Result.FAIL);
    assertThat(f.message())
        .startsWith("unsigned: ")
        .contains(
            ": no signature found in an accepted format (legacy-sig). To pass: sign it with key")
        .endsWith(
            " (inline in ClusterPolicy/verify-image-signatures, rule check-image-signature).");
  }

  @Test
  void theSeedPolicyOnlyCoversItsNamespacesAndTheRegistryRuleOnlyRegularContainers() {
    Policy p = policy("seed-verify-image-signatures-patched");
    String image = "nginx:latest";

    assertThat(evaluate(p, regular("default", image))).isEmpty();
    List<Finding> f = evaluate(p, regular("production", image));
    assertThat(f)
        .extracting(Finding::rule, Finding::result)
        .containsExactly(tuple("restrict-registries", Result.FAIL));
    assertThat(f.get(0).message())
        .isEqualTo(
            "image not allowed by the policy: Only images from ghcr.io/yourorg are allowed: image"
                + " nginx:latest does not match 'ghcr.io/yourorg/*'. To pass: run an image that"
                + " matches 'ghcr.io/yourorg/*'.");
    AuditTarget init =
        container("production", Map.of(), image, pod("app-1", Map.of(), ContainerType.INIT, image));
    assertThat(evaluate(p, init))
        .extracting(Finding::rule, Finding::result)
        .containsExactly(tuple("", Result.SKIP));
  }

  @Test
  void withIgnoreTlogAVerifiedSignaturePassesAndABundleDoesNotCountForACosignRule() {
    Policy p = policy("seed-check-ghcr-image");
    Digest bundleOnly = Digest.sha256("bundle".getBytes());
    verdicts.signed(RUNNING, Fixtures.KEYS.parse(seedKey()));
    verdicts.signed(bundleOnly, Fixtures.KEYS.parse(seedKey()), SignatureFormat.BUNDLE_REFERRER);

    Finding pass = evaluate(p, regular("default", "ghcr.io/sf-matt/hello-flask-signed:v1")).get(0);
    AuditTarget bundled =
        new AuditTarget(
            "default",
            Map.of(),
            ImageRef.parse("ghcr.io/sf-matt/hello-flask-oidc:v1"),
            Optional.of(bundleOnly),
            PodInfo.UNKNOWN);
    Finding bundle = evaluate(p, bundled).get(0);

    assertThat(pass.result()).isEqualTo(Result.PASS);
    assertThat(pass.evidence()).hasSize(1);
    assertThat(bundle.result()).isEqualTo(Result.FAIL);
    assertThat(bundle.message())
        .contains(
            "1 signature rejected: bundle-referrer: a signature format the policy does not read");
  }

  @Test
  void twoOfThreeKeysPassAndOneOfThreeFails() {
    Policy p = policy("attestors");
    AuditTarget t = regular("prod", "ghcr.io/acme/app:1");
    verdicts.signed(RUNNING, RELEASE).signed(RUNNING, OTHER);

    Finding two = findings(p, t, "two-of-three");
    assertThat(two.result()).isEqualTo(Result.PASS);
    assertThat(two.message()).contains("2 of 3 keys verified, 2 required");

    FakeVerdicts one = new FakeVerdicts().signed(RUNNING, BACKUP);
    Finding f = new PolicyEvaluator(one).evaluate(p, t).get(0);
    assertThat(f.result()).isEqualTo(Result.FAIL);
    // The third key's signatures are looked up in its own repository.
    assertThat(one.asked)
        .extracting(r -> r.signatureRepository().orElseThrow().name())
        .containsExactly(
            "ghcr.io/acme/signatures", "ghcr.io/acme/signatures", "ghcr.io/other/sigs");
  }

  @Test
  void skippedImagesAreSkipped() {
    Policy p = policy("attestors");

    assertThat(evaluate(p, regular("prod", "ghcr.io/acme/debug-shell:1")))
        .extracting(Finding::rule, Finding::result, Finding::message)
        .containsExactly(
            tuple(
                "",
                Result.SKIP,
                "no rule applies to image ghcr.io/acme/debug-shell:1: not in the images of"
                    + " both-sets.verifyImages[0], both-sets.verifyImages[1], unsupported; in the"
                    + " skipImages of two-of-three"));
  }

  @Test
  void everyAttestorSetMustHoldAndASecretKeyIsCouldNotCheckUntilResolved() {
    Policy p = policy("attestors");
    AuditTarget t = regular("prod", "registry.io/team/app@sha256:" + RUNNING.hex());

    // Set 0 verifies (bundle); set 1: the Secret key is unknown, the nested set fails.
    verdicts.signed(RUNNING, RELEASE, SignatureFormat.BUNDLE_FALLBACK_TAG);
    Finding error = findings(p, t, "both-sets.verifyImages[0]");
    assertThat(error.result()).isEqualTo(Result.ERROR);
    assertThat(error.message())
        .contains(
            "attestors[1]: 0 of 2 entries verified, 1 required, 1 could not be checked; key in"
                + " Secret kyverno/cosign-public-key (entry cosign.pub): could not check (the"
                + " Secret has not been read): signed, but sigaudit cannot verify who signed;"
                + " nested set (0 of 1 key verified");

    // The nested set verifies: set 1 passes whatever the Secret holds.
    verdicts.signed(RUNNING, BACKUP, SignatureFormat.BUNDLE_REFERRER);
    assertThat(findings(p, t, "both-sets.verifyImages[0]").result()).isEqualTo(Result.PASS);

    // Set 0 fails: the rule fails, whatever set 1 cannot tell.
    FakeVerdicts none = new FakeVerdicts().signed(RUNNING, BACKUP, SignatureFormat.BUNDLE_REFERRER);
    Finding fail =
        new PolicyEvaluator(none)
            .evaluate(p, t).stream()
                .filter(x -> x.rule().equals("both-sets.verifyImages[0]"))
                .findFirst()
                .orElseThrow();
    assertThat(fail.result()).isEqualTo(Result.FAIL);
  }

  @Test
  void anImageWhoseHostDiffersOnlyInCaseEscapesTheRuleAsInKyvernoAndTheSkipSaysSo() {
    Policy p =
        new KyvernoTranslator(Fixtures.KEYS)
            .translate(
                List.of(
                    com.google.gson.JsonParser.parseString(
                            KyvernoTranslatorTest.policy(
                                "",
                                "\"verifyDigest\":false,\"attestors\":[{\"entries\":[{\"keys\":"
                                    + KyvernoTranslatorTest.keys("release")
                                    + "}]}]"))
                        .getAsJsonObject()))
            .policies()
            .get(0);

    List<Finding> f = evaluate(p, regular("prod", "GHCR.IO/acme/app@sha256:" + RUNNING.hex()));

    // Kyverno's wildcard compares the host byte for byte: ghcr.io/acme/* does not select it.
    assertThat(f).extracting(Finding::result).containsExactly(Result.SKIP);
    assertThat(f.get(0).engineNotes())
        .singleElement()
        .asString()
        .contains("rule r would apply to GHCR.IO/acme/app");
    assertThat(evaluate(p, regular("prod", "ghcr.io/acme/app@sha256:" + RUNNING.hex())))
        .extracting(Finding::result)
        .containsExactly(Result.FAIL);
  }

  @Test
  void aPassThatRestsOnAnAttestationCarriesTheEnginesNote() {
    Policy p = policy("attestors");
    AuditTarget t = regular("prod", "registry.io/team/app@sha256:" + RUNNING.hex());
    String note = "accepted an attestation (predicateType \"https://cyclonedx.org/bom\")";
    PolicyEvaluator attested =
        new PolicyEvaluator(
            r ->
                r.formats().contains(SignatureFormat.BUNDLE_REFERRER)
                    ? new Verdict.Verified(
                        SignatureFormat.BUNDLE_REFERRER,
                        dev.sigaudit.model.Signer.key("k"),
                        RUNNING,
                        List.of(note))
                    : new Verdict.Unsigned());

    Finding f =
        attested.evaluate(p, t).stream()
            .filter(x -> x.rule().equals("both-sets.verifyImages[0]"))
            .findFirst()
            .orElseThrow();

    assertThat(f.result()).isEqualTo(Result.PASS);
    assertThat(f.engineNotes()).containsExactly(note);
  }

  @Test
  void unsupportedAttestorsNeverPassButAVerifiedKeyStillSatisfiesAnyOf() {
    Policy p = policy("attestors");
    AuditTarget t = regular("prod", "quay.io/acme/app:1");

    // No signature at all: Kyverno fails the image whatever key it would have verified with,
    // the KMS key and the certificate included.
    Finding unsigned = findings(p, t, "unsupported");
    assertThat(unsigned.result()).isEqualTo(Result.FAIL);
    assertThat(unsigned.message())
        .contains("keyless (issuer https://token.actions.githubusercontent.com")
        .contains(
            "the KMS key gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k"
                + " (spec.rules[2].verifyImages[0].attestors[0].entries[0].keys.kms): no signature"
                + " found");

    // Signed by another key: the KMS key might be the signer's, so it cannot be decided.
    verdicts.signed(RUNNING, OTHER);
    assertThat(findings(p, t, "unsupported").result()).isEqualTo(Result.ERROR);

    // The supported keys verify (the same key with SHA-256 and with signatureAlgorithm sha512,
    // which this fake does not tell apart), which satisfies count 1; the attestations still
    // cannot be.
    verdicts.signed(RUNNING, RELEASE);
    Finding signed = findings(p, t, "unsupported");
    assertThat(signed.result()).isEqualTo(Result.ERROR);
    assertThat(signed.message())
        .contains("attestors[0]: 2 of 7 entries verified, 1 required")
        .contains("attestors[1]: 0 of 1 entry verified, 1 required, 1 could not be checked");
  }

  @Test
  void matchAnyExcludeAnyWithWildcardSelectorsAndNames() {
    Policy p = policy("match-exclude");
    verdicts.signed(RUNNING, RELEASE);
    String image = "ghcr.io/acme/app:1";
    PodInfo web =
        pod("web-1", Map.of("app.kubernetes.io/name", "web"), ContainerType.REGULAR, image);
    PodInfo api =
        pod("api-1", Map.of("app.kubernetes.io/name", "api"), ContainerType.REGULAR, image);
    PodInfo debug =
        pod("debug-1", Map.of("app.kubernetes.io/name", "web"), ContainerType.REGULAR, image);

    // prod-* namespace with a team label matching pay*
    assertThat(rules(p, container("prod-eu", Map.of("team", "payments"), image, api)))
        .contains("any-with-selectors");
    // the namespace label does not match, but the Pod selector does
    assertThat(rules(p, container("prod-eu", Map.of("team", "search"), image, web)))
        .contains("any-with-selectors");
    assertThat(rules(p, container("prod-eu", Map.of("team", "search"), image, api)))
        .doesNotContain("any-with-selectors");
    // excluded by namespace, and by Pod name
    assertThat(rules(p, container("prod-sandbox", Map.of("team", "pay"), image, web)))
        .doesNotContain("any-with-selectors");
    assertThat(rules(p, container("prod-eu", Map.of("team", "pay"), image, debug)))
        .doesNotContain("any-with-selectors");
  }

  @Test
  void matchAllAndExcludeAllNeedEveryFilter() {
    Policy p = policy("match-exclude");
    verdicts.signed(RUNNING, RELEASE);
    String image = "ghcr.io/acme/app:1";
    PodInfo api = pod("api-1", Map.of(), ContainerType.REGULAR, image);

    assertThat(rules(p, container("prod-b", Map.of("env", "prod"), image, api)))
        .contains("all-filters");
    assertThat(rules(p, container("prod-b", Map.of("env", "dev"), image, api)))
        .doesNotContain("all-filters");
    // exclude.all: prod-a alone, or legacy=true alone, does not exclude; both together do
    assertThat(rules(p, container("prod-a", Map.of("env", "prod"), image, api)))
        .contains("all-filters");
    assertThat(rules(p, container("prod-b", Map.of("env", "prod", "legacy", "true"), image, api)))
        .contains("all-filters");
    assertThat(rules(p, container("prod-a", Map.of("env", "prod", "legacy", "true"), image, api)))
        .doesNotContain("all-filters");
  }

  @Test
  void whatIsNotKnownAboutAPodMakesARuleAnErrorOnlyWhereItMatters() {
    Policy p = policy("match-exclude");
    verdicts.signed(RUNNING, RELEASE);
    AuditTarget unknownPod =
        new AuditTarget(
            "prod-eu",
            Map.of("team", "search"),
            ImageRef.parse("ghcr.io/acme/app:1"),
            Optional.of(RUNNING),
            PodInfo.UNKNOWN);

    List<Finding> f = evaluate(p, unknownPod);

    assertThat(f)
        .extracting(Finding::rule, Finding::result)
        .containsExactly(
            tuple("any-with-selectors", Result.ERROR), tuple("with-preconditions", Result.ERROR));
    assertThat(f.get(0).message())
        .isEqualTo(
            "could not check: cannot tell whether rule any-with-selectors applies to image"
                + " ghcr.io/acme/app:1: the Pod's labels are not known; the Pod's name is not known"
                + ". "
                + Cause.CHECK_FAILED.remedy().orElseThrow());
    assertThat(f.get(1).message())
        .isEqualTo(
            "could not check: cannot tell whether rule with-preconditions applies to image"
                + " ghcr.io/acme/app:1: the rule matches on Pod annotations, which are not known;"
                + " the rule's preconditions are not evaluated by sigaudit. "
                + Cause.CHECK_FAILED.remedy().orElseThrow());
    // With the namespace labels matching, the unknown Pod labels no longer matter — but the
    // Pod name (exclude names: debug-*) still does.
    AuditTarget known =
        new AuditTarget(
            "prod-eu",
            Map.of("team", "pay"),
            ImageRef.parse("ghcr.io/acme/app:1"),
            Optional.of(RUNNING),
            new PodInfo(
                Optional.of("api-1"), Optional.empty(), Optional.empty(), Optional.empty()));
    assertThat(evaluate(p, known).get(0))
        .extracting(Finding::rule, Finding::result)
        .containsExactly("any-with-selectors", Result.PASS);
  }

  @Test
  void registryAndTagPatternsCompareTheImageAsWritten() {
    Policy p = policy("registries");

    assertThat(results(p, "ghcr.io/acme/app:1.0", ContainerType.REGULAR))
        .containsExactly(
            tuple("restrict-image-registries", Result.PASS),
            tuple("validate-image-tag", Result.PASS),
            tuple("per-list.containers", Result.FAIL));
    // Kyverno sees "nginx", which has no tag: the tag rule fails, as it does in Kyverno.
    assertThat(results(p, "nginx", ContainerType.REGULAR))
        .containsExactly(
            tuple("restrict-image-registries", Result.FAIL),
            tuple("validate-image-tag", Result.FAIL),
            tuple("per-list.containers", Result.FAIL));
    assertThat(results(p, "docker.io/library/busybox:1.36", ContainerType.INIT))
        .containsExactly(
            tuple("restrict-image-registries", Result.FAIL),
            tuple("per-list.initContainers", Result.PASS));
    assertThat(results(p, "registry.io/tools/shell:1", ContainerType.EPHEMERAL))
        .containsExactly(tuple("restrict-image-registries", Result.PASS));
  }

  @Test
  void aPatternCannotBeCheckedWithoutTheImageAsWritten() {
    Policy p = policy("registries");
    AuditTarget t =
        new AuditTarget(
            "prod",
            Map.of(),
            ImageRef.parse("nginx"),
            Optional.of(RUNNING),
            new PodInfo(
                Optional.of("p"),
                Optional.of(Map.of()),
                Optional.of(ContainerType.REGULAR),
                Optional.empty()));

    Finding f = evaluate(p, t).get(0);

    assertThat(f.result()).isEqualTo(Result.ERROR);
    assertThat(f.message())
        .isEqualTo(
            "could not check: cannot check image docker.io/library/nginx:latest against"
                + " 'registry.io/* | ghcr.io/acme/*': the image as written in the Pod spec is not"
                + " known"
                + ". "
                + Cause.CHECK_FAILED.remedy().orElseThrow());
  }

  @Test
  void verifyDigestPassesForAnImageWrittenByDigest() {
    Policy p = policy("namespaced-notary");
    String image = "ghcr.io/payments/api@sha256:" + RUNNING.hex();

    assertThat(evaluate(p, regular("payments", image)))
        .extracting(Finding::rule, Finding::result)
        .containsExactly(tuple("signed", Result.FAIL), tuple("signed.verifyDigest", Result.PASS));
    assertThat(evaluate(p, regular("billing", image))).isEmpty();
  }

  private List<org.assertj.core.groups.Tuple> results(Policy p, String image, ContainerType type) {
    return evaluate(p, container("prod", Map.of(), image, pod("p", Map.of(), type, image))).stream()
        .map(f -> tuple(f.rule(), f.result()))
        .toList();
  }

  private List<String> rules(Policy p, AuditTarget t) {
    return evaluate(p, t).stream()
        .filter(f -> f.result() != Result.SKIP)
        .map(Finding::rule)
        .toList();
  }

  private Finding findings(Policy p, AuditTarget t, String rule) {
    return evaluate(p, t).stream().filter(f -> f.rule().equals(rule)).findFirst().orElseThrow();
  }

  private static String seedKey() {
    return """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEoYIRqyJPEOGk84mh9W3XWA42dOPm
        UE03IhLs2sLnRPegfWAO+6mSy8pbEO8R5orKIXqHWq2fz8s6UG9iTXbaRQ==
        -----END PUBLIC KEY-----
        """;
  }
}
