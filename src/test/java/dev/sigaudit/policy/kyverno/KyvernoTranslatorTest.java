package dev.sigaudit.policy.kyverno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sigaudit.model.HashAlgorithm;
import dev.sigaudit.model.KeyAcceptance;
import dev.sigaudit.model.Severity;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.policy.Attestors;
import dev.sigaudit.policy.Check;
import dev.sigaudit.policy.Fixtures;
import dev.sigaudit.policy.ImageMatcher;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.Mode;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.policy.PolicySource;
import dev.sigaudit.policy.Rule;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What Kyverno policies compile into, and the problems they report, field by field. */
class KyvernoTranslatorTest {
  private static final String RELEASE = Fixtures.key("release").fingerprint();
  private static final String BACKUP = Fixtures.key("backup").fingerprint();
  private static final String OTHER = Fixtures.key("other").fingerprint();
  private static final String ORIGIN = "kyverno.io/v1";

  private static LoadedPolicies translate(String... fixtures) {
    return new KyvernoTranslator(Fixtures.KEYS)
        .translate(
            java.util.Arrays.stream(fixtures)
                .map(f -> Fixtures.object("kyverno/" + f + ".json"))
                .toList());
  }

  private static LoadedPolicies translateJson(String json) {
    return new KyvernoTranslator(Fixtures.KEYS)
        .translate(List.of(JsonParser.parseString(json).getAsJsonObject()));
  }

  private static Policy only(LoadedPolicies l) {
    assertThat(l.policies()).hasSize(1);
    return l.policies().get(0);
  }

  private static Rule rule(Policy p, String name) {
    return p.rules().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  private static List<Attestors> sets(Rule r) {
    return ((Check.Signatures) r.check()).attestors();
  }

  private static String fingerprint(AttestorEntry e) {
    return ((AttestorEntry.Key) e).key().fingerprint();
  }

  @Test
  void theSeedPolicyBecomesASignatureRuleADigestRuleAndARegistryRule() {
    LoadedPolicies l = translate("seed-verify-image-signatures-patched");

    assertThat(l.problems()).isEmpty();
    Policy p = only(l);
    assertThat(p.name()).isEqualTo("ClusterPolicy/verify-image-signatures");
    assertThat(p.source()).isEqualTo(PolicySource.KYVERNO);
    assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
    assertThat(p.severity()).isEqualTo(Severity.HIGH);
    assertThat(p.category()).isEqualTo(Policy.DEFAULT_CATEGORY);
    assertThat(p.rules())
        .extracting(Rule::name)
        .containsExactly("check-image-signature", "restrict-registries");

    Rule signed = rule(p, "check-image-signature");
    assertThat(signed.images()).isEqualTo(ImageMatcher.of("ghcr.io/yourorg/*"));
    Attestors set = sets(signed).get(0);
    assertThat(set.count()).isEqualTo(1);
    var key = (AttestorEntry.Key) set.entries().get(0);
    assertThat(key.key().fingerprint()).isEqualTo(RELEASE);
    assertThat(key.formats()).containsExactly(SignatureFormat.LEGACY_TAG);
    // No rekor block: Kyverno requires an entry in the public-good log; sigaudit verifies it
    // against the trusted root, so nothing is left unchecked.
    assertThat(key.requireTlog()).isTrue();
    assertThat(key.unchecked()).isEmpty();
    assertThat(rule(p, "restrict-registries").check())
        .isEqualTo(
            new Check.ImagePattern(
                new dev.sigaudit.policy.KyvernoPattern("ghcr.io/yourorg/*"),
                Optional.of("Only images from ghcr.io/yourorg are allowed")));
  }

  @Test
  void theSeedsPlaceholderKeyIsAProblemAndCouldNotCheckButTheRestCompiles() {
    LoadedPolicies l = translate("seed-verify-image-signatures");

    assertThat(l.problems())
        .containsExactly(
            new PolicyProblem(
                ORIGIN,
                "ClusterPolicy/verify-image-signatures",
                "spec.rules[0].verifyImages[0].attestors[0].entries[0].keys.publicKeys",
                "not a usable public key (invalid base64 in the PEM block)"));
    Policy p = only(l);
    assertThat(p.rules()).hasSize(2);
    assertThat(sets(rule(p, "check-image-signature")).get(0).entries())
        .containsExactly(
            new AttestorEntry.Unverifiable(
                "a public key sigaudit cannot use"
                    + " (spec.rules[0].verifyImages[0].attestors[0].entries[0].keys.publicKeys)",
                Optional.empty(),
                Set.of(SignatureFormat.LEGACY_TAG)));
  }

  @Test
  void aRuleLevelFailureActionOverridesThePolicyModeAndIgnoreTlogLeavesNothingUnchecked() {
    Policy p = only(translate("seed-check-ghcr-image"));

    assertThat(p.mode()).isEqualTo(Mode.AUDIT);
    Rule r = rule(p, "check-ghcr-image");
    assertThat(r.mode()).contains(Mode.ENFORCE);
    assertThat(((AttestorEntry.Key) sets(r).get(0).entries().get(0)).unchecked()).isEmpty();
  }

  @Test
  void severalKeysInOnePublicKeysAreSeparateEntriesAndTheCountAppliesAcrossThem() {
    Policy p = only(translate("attestors"));
    Rule r = rule(p, "two-of-three");

    Attestors set = sets(r).get(0);
    assertThat(set.count()).isEqualTo(2);
    assertThat(set.entries())
        .extracting(KyvernoTranslatorTest::fingerprint)
        .containsExactly(RELEASE, BACKUP, OTHER);
    assertThat(((Check.Signatures) r.check()).signatureRepository())
        .map(x -> x.name())
        .contains("ghcr.io/acme/signatures");
    assertThat(((AttestorEntry.Key) set.entries().get(2)).signatureRepository())
        .map(x -> x.name())
        .contains("ghcr.io/other/sigs");
    assertThat(r.images().skipImages()).containsExactly("ghcr.io/acme/debug-*");
    assertThat(p.rules()).extracting(Rule::name).doesNotContain("two-of-three.verifyDigest");
    assertThat(p.category()).isEqualTo("Supply Chain");
    assertThat(p.mode()).isEqualTo(Mode.AUDIT); // "audit", the old lower-case spelling
  }

  @Test
  void attestorSetsAreAllRequiredAndNestedSetsSecretsAndBundlesAreKept() {
    Policy p = only(translate("attestors"));
    Rule r = rule(p, "both-sets.verifyImages[0]");

    List<Attestors> sets = sets(r);
    assertThat(sets).hasSize(2);
    assertThat(sets.get(0).count()).isEqualTo(1);
    assertThat(((AttestorEntry.Key) sets.get(0).entries().get(0)).formats())
        .containsExactlyInAnyOrder(
            SignatureFormat.BUNDLE_REFERRER, SignatureFormat.BUNDLE_FALLBACK_TAG);
    assertThat(sets.get(1).count()).isEqualTo(1);
    assertThat(sets.get(1).entries().get(0))
        .isEqualTo(
            new AttestorEntry.SecretKey(
                "kyverno",
                "cosign-public-key",
                Optional.of("cosign.pub"),
                Optional.empty(),
                Set.of(SignatureFormat.BUNDLE_REFERRER, SignatureFormat.BUNDLE_FALLBACK_TAG),
                List.of(),
                false,
                // SigstoreBundle: SHA-256 exactly, and an attestation by the key counts.
                KeyAcceptance.engine(HashAlgorithm.SHA256, true)));
    var nested = (AttestorEntry.Nested) sets.get(1).entries().get(1);
    assertThat(nested.attestors().entries())
        .extracting(KyvernoTranslatorTest::fingerprint)
        .containsExactly(BACKUP);
    assertThat(r.mode()).contains(Mode.AUDIT);
    // Two verifyImages entries in one rule: each named by its index.
    assertThat(p.rules())
        .extracting(Rule::name)
        .contains("both-sets.verifyImages[0]", "both-sets.verifyImages[1]");
  }

  @Test
  void theDigestRuleExistsOnlyWhenKyvernoWouldNotPinTheDigestAtAdmission() {
    // mutateDigest (CRD default true) makes Kyverno's mutating webhook add the digest to a tag
    // reference before the validating webhook checks verifyDigest: the requirement then holds,
    // and an entry without attestors checks nothing at all.
    assertThat(translateJson(policy("", "\"verifyDigest\":true")).policies()).isEmpty();
    assertThat(translateJson(policy("", "\"verifyDigest\":true,\"mutateDigest\":true")).policies())
        .isEmpty();
    assertThat(
            translateJson(policy("", "\"verifyDigest\":false,\"mutateDigest\":false")).policies())
        .isEmpty();
    Policy unpinned =
        only(translateJson(policy("", "\"verifyDigest\":true,\"mutateDigest\":false")));
    assertThat(unpinned.rules()).extracting(Rule::name).containsExactly("r.verifyDigest");
    assertThat(rule(unpinned, "r.verifyDigest").check()).isEqualTo(new Check.RequireDigest());
  }

  @Test
  void everyUnsupportedAttestorIsAProblemWithItsExactFieldAndCouldNotCheck() {
    LoadedPolicies l = translate("attestors");

    String e = "spec.rules[2].verifyImages[0].attestors[0].entries";
    assertThat(l.problems())
        .extracting(PolicyProblem::field, PolicyProblem::message)
        .containsExactly(
            tuple(e + "[0].keys.kms", "KMS keys are not supported by sigaudit"),
            tuple(e + "[2].certificates", "certificate attestors are not supported by sigaudit"),
            tuple(
                e + "[3].keys.publicKeys",
                "not a usable public key (RSA key of 1024 bits; at least 2048 required)"),
            tuple(e + "[5].keys.publicKeys", "variables ({{ … }}) are not resolved by sigaudit"),
            tuple(
                "spec.rules[2].verifyImages[0].attestations",
                "in-toto attestations are not verified by sigaudit"));
    assertThat(l.problems())
        .allSatisfy(p -> assertThat(p.object()).isEqualTo("ClusterPolicy/attestors"));

    List<Attestors> sets = sets(rule(only(l), "unsupported"));
    assertThat(sets.get(0).entries())
        .extracting(x -> x.getClass().getSimpleName())
        .containsExactly(
            "Unverifiable",
            "Keyless",
            "Unverifiable",
            "Unverifiable",
            "Key",
            "Unverifiable",
            "Key");
    // keys.signatureAlgorithm is the hash Kyverno verifies with.
    assertThat(((AttestorEntry.Key) sets.get(0).entries().get(4)).key().acceptance())
        .isEqualTo(KeyAcceptance.engine(HashAlgorithm.SHA512, false));
    var keyless = (AttestorEntry.Keyless) sets.get(0).entries().get(1);
    assertThat(keyless.describe())
        .isEqualTo(
            "keyless (issuer https://token.actions.githubusercontent.com, subject"
                + " https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main)");
    assertThat(keyless.transparencyLog()).contains("https://rekor.sigstore.dev");
    // Attestations are an additional requirement: a set of their own.
    assertThat(sets.get(1).entries())
        .containsExactly(
            new AttestorEntry.Unsupported(
                "the attestations of spec.rules[2].verifyImages[0].attestations"));
  }

  @Test
  void aNamespacedPolicyAppliesOnlyInItsNamespaceAndNotaryIsCouldNotCheck() {
    LoadedPolicies l = translate("namespaced-notary");

    Policy p = only(l);
    assertThat(p.name()).isEqualTo("Policy/payments/team-images");
    assertThat(p.namespaces().include()).containsExactly("payments");
    assertThat(p.rules())
        .extracting(Rule::name)
        .containsExactly("signed", "signed.verifyDigest", "notary");
    assertThat(sets(rule(p, "notary")).get(0).entries())
        .containsExactly(
            new AttestorEntry.Unsupported(
                "Notary signatures (spec.rules[1].verifyImages[0].type)"));
    assertThat(l.problems())
        .containsExactly(
            new PolicyProblem(
                ORIGIN,
                "Policy/payments/team-images",
                "spec.rules[1].verifyImages[0].type",
                "Notary signatures are not supported by sigaudit"));
  }

  @Test
  void rulesThatSelectNoPodsAreReportedExceptKyvernosOwnAutogenRules() {
    LoadedPolicies l = translate("match-exclude");

    assertThat(only(l).rules())
        .extracting(Rule::name)
        .containsExactly("any-with-selectors", "all-filters", "with-preconditions");
    assertThat(l.problems())
        .extracting(PolicyProblem::field)
        .containsExactly(
            "spec.rules[2].match",
            "spec.rules[4].match.any[0].subjects",
            "spec.rules[4].match.any[0].resources.annotations",
            "spec.rules[4].preconditions");
    assertThat(l.problems().get(0).message())
        .isEqualTo(
            "rule deployments-only selects no Pods: sigaudit audits running Pods (match Pod and"
                + " Kyverno covers the controllers too)");
  }

  @Test
  void registryPatternsBecomeImagePatternRulesPerContainerListAndMixedPatternsAreReported() {
    LoadedPolicies l = translate("registries");

    Policy p = only(l);
    assertThat(p.severity()).isEqualTo(Severity.MEDIUM);
    assertThat(p.category()).isEqualTo("Best Practices");
    assertThat(p.rules())
        .extracting(Rule::name)
        .containsExactly(
            "restrict-image-registries",
            "validate-image-tag",
            "per-list.containers",
            "per-list.initContainers");
    assertThat(rule(p, "restrict-image-registries").mode()).contains(Mode.ENFORCE);
    assertThat(l.problems())
        .extracting(PolicyProblem::field, PolicyProblem::message)
        .containsExactly(
            tuple(
                "spec.rules[2].validate.pattern.spec.containers",
                "expected exactly one element with only an image pattern: - image: \"…\""),
            tuple(
                "spec.rules[4].validate.foreach",
                "image constraints in validate.foreach are not supported"));
  }

  @Test
  void aPolicyWithoutImageRulesYieldsNothingAndNoProblem() {
    LoadedPolicies l = translate("not-about-images");

    assertThat(l.policies()).isEmpty();
    assertThat(l.problems()).isEmpty();
  }

  @Test
  void oneBadPolicyAmongGoodOnesOnlyCostsItself() {
    JsonObject wrongKind =
        JsonParser.parseString(
                "{\"apiVersion\":\"policies.kyverno.io/v1alpha1\",\"kind\":\"ImageValidatingPolicy\","
                    + "\"metadata\":{\"name\":\"ivp\"},\"spec\":{}}")
            .getAsJsonObject();
    JsonObject noRefs =
        JsonParser.parseString(
                """
                {"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","metadata":{"name":"broken"},
                 "spec":{"rules":[{"name":"r","match":{"any":[{"resources":{"kinds":["Pod"]}}]},
                   "verifyImages":[{"imageReferences":[],"attestors":[{"entries":[]}]}]}]}}
                """)
            .getAsJsonObject();
    List<JsonObject> objects =
        List.of(
            Fixtures.object("kyverno/seed-check-ghcr-image.json"),
            wrongKind,
            noRefs,
            Fixtures.object("kyverno/registries.json"),
            Fixtures.object("kyverno/seed-check-ghcr-image.json"));

    LoadedPolicies l = new KyvernoTranslator(Fixtures.KEYS).translate(objects);

    assertThat(l.policies())
        .extracting(Policy::name)
        .containsExactly("ClusterPolicy/check-ghcr-image", "ClusterPolicy/registries");
    assertThat(l.problems())
        .extracting(PolicyProblem::object, PolicyProblem::field, PolicyProblem::message)
        .containsExactly(
            tuple(
                "ImageValidatingPolicy/ivp",
                "kind",
                "expected a kyverno.io ClusterPolicy or Policy, got policies.kyverno.io/v1alpha1"
                    + " ImageValidatingPolicy"),
            tuple(
                "ClusterPolicy/broken",
                "spec.rules[0].verifyImages[0].imageReferences",
                "an image reference is required"),
            tuple(
                "ClusterPolicy/registries",
                "spec.rules[2].validate.pattern.spec.containers",
                "expected exactly one element with only an image pattern: - image: \"…\""),
            tuple(
                "ClusterPolicy/registries",
                "spec.rules[4].validate.foreach",
                "image constraints in validate.foreach are not supported"),
            tuple(
                "ClusterPolicy/check-ghcr-image",
                "metadata.name",
                "duplicate: the same policy was given twice"));
  }

  @ParameterizedTest(name = "validationFailureAction {0} is mode {1}")
  @CsvSource({"Audit,AUDIT", "audit,AUDIT", "Enforce,ENFORCE", "enforce,ENFORCE", "'',AUDIT"})
  void failureActionsAreCaseInsensitive(String action, Mode mode) {
    String field = action.isEmpty() ? "" : "\"validationFailureAction\":\"" + action + "\",";
    Policy p = only(translateJson(policy(field, "\"verifyDigest\":true,\"mutateDigest\":false")));

    assertThat(p.mode()).isEqualTo(mode);
  }

  @Test
  void anUnknownFailureActionIsAProblemAndReadsAsAudit() {
    LoadedPolicies l =
        translateJson(
            policy(
                "\"validationFailureAction\":\"Block\",",
                "\"verifyDigest\":true,\"mutateDigest\":false"));

    assertThat(only(l).mode()).isEqualTo(Mode.AUDIT);
    assertThat(l.problems())
        .extracting(PolicyProblem::field, PolicyProblem::message)
        .containsExactly(tuple("spec.validationFailureAction", "'Block' is not Audit or Enforce"));
  }

  @Test
  void aCountAboveTheNumberOfEntriesDropsTheRuleWithAProblem() {
    LoadedPolicies l =
        translateJson(
            policy(
                "",
                "\"verifyDigest\":false,\"attestors\":[{\"count\":3,\"entries\":[{\"keys\":"
                    + keys("release")
                    + "}]}]"));

    assertThat(l.policies()).isEmpty();
    assertThat(l.problems())
        .extracting(PolicyProblem::field, PolicyProblem::message)
        .containsExactly(
            tuple(
                "spec.rules[0].verifyImages[0].attestors[0].count",
                "3 is not between 1 and the number of entries (1)"));
  }

  @Test
  void theDeprecatedImageAndKeyFieldsAreConvertedAsKyvernoDoes() {
    String vi =
        "\"image\":\"ghcr.io/old/*\",\"verifyDigest\":false,\"key\":"
            + com.google.gson.JsonParser.parseString("\"" + escape(Fixtures.pem("release")) + "\"");
    Policy p =
        only(
            translateJson(policy("", vi).replace("\"imageReferences\":[\"ghcr.io/acme/*\"],", "")));

    Rule r = p.rules().get(0);
    assertThat(r.images().images()).containsExactly("ghcr.io/old/*");
    assertThat(sets(r).get(0).entries())
        .extracting(KyvernoTranslatorTest::fingerprint)
        .containsExactly(RELEASE);
  }

  @Test
  void keysAreReadWithKyvernosSignatureAlgorithmAndAnUnknownOneRejectsEveryImage() {
    String sha384 =
        "\"verifyDigest\":false,\"attestors\":[{\"entries\":[{\"keys\":{\"publicKeys\":\""
            + escape(Fixtures.pem("release"))
            + "\",\"signatureAlgorithm\":\"sha384\",\"rekor\":{\"ignoreTlog\":true}}}]}]";
    var key =
        (AttestorEntry.Key)
            sets(only(translateJson(policy("", sha384))).rules().get(0)).get(0).entries().get(0);
    assertThat(key.key().acceptance()).isEqualTo(KeyAcceptance.engine(HashAlgorithm.SHA384, false));

    LoadedPolicies md5 = translateJson(policy("", sha384.replace("sha384", "md5")));
    assertThat(sets(only(md5).rules().get(0)).get(0).entries())
        .singleElement()
        .isInstanceOfSatisfying(AttestorEntry.Static.class, s -> assertThat(s.pass()).isFalse());
    assertThat(md5.problems())
        .extracting(PolicyProblem::field)
        .singleElement()
        .asString()
        .endsWith("keys.signatureAlgorithm");
  }

  @Test
  void aKubernetesSecretKeyReferenceReadsCosignPub() {
    String vi =
        "\"verifyDigest\":false,\"attestors\":[{\"entries\":[{\"keys\":{\"publicKeys\":"
            + "\"k8s://kyverno/release-key\",\"rekor\":{\"ignoreTlog\":true}}}]}]";
    Policy p = only(translateJson(policy("", vi)));

    assertThat(sets(p.rules().get(0)).get(0).entries())
        .containsExactly(
            new AttestorEntry.SecretKey(
                "kyverno",
                "release-key",
                Optional.of("cosign.pub"),
                Optional.empty(),
                Set.of(SignatureFormat.LEGACY_TAG),
                List.of(),
                false,
                KeyAcceptance.engine(HashAlgorithm.SHA256, false)));
  }

  /** A ClusterPolicy with one Pod rule and one verifyImages entry with {@code viFields}. */
  static String policy(String specFields, String viFields) {
    return """
        {"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","metadata":{"name":"p"},
         "spec":{%s"rules":[{"name":"r","match":{"any":[{"resources":{"kinds":["Pod"]}}]},
           "verifyImages":[{"imageReferences":["ghcr.io/acme/*"],%s}]}]}}
        """
        .formatted(specFields, viFields);
  }

  static String keys(String key) {
    return "{\"publicKeys\":\"" + escape(Fixtures.pem(key)) + "\",\"rekor\":{\"ignoreTlog\":true}}";
  }

  static String escape(String s) {
    return s.replace("\n", "\\n");
  }
}
