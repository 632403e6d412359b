package dev.sigaudit.policy.cip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.gson.JsonObject;
import dev.sigaudit.model.HashAlgorithm;
import dev.sigaudit.model.KeyAcceptance;
import dev.sigaudit.model.Severity;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.policy.Attestors;
import dev.sigaudit.policy.Check;
import dev.sigaudit.policy.Fixtures;
import dev.sigaudit.policy.ImageMatcher;
import dev.sigaudit.policy.LabelSelector;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.Mode;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.policy.PolicySource;
import dev.sigaudit.policy.Rule;
import dev.sigaudit.policy.Scope;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What ClusterImagePolicies compile into, and the problems they report. */
class CipTranslatorTest {
  private static final String RELEASE = Fixtures.key("release").fingerprint();

  private static LoadedPolicies translate(CipOptions options, String... fixtures) {
    List<JsonObject> objects =
        Arrays.stream(fixtures).map(f -> Fixtures.object("cip/" + f + ".json")).toList();
    return new CipTranslator(Fixtures.KEYS, options).translate(objects);
  }

  private static LoadedPolicies translate(String... fixtures) {
    return translate(CipOptions.DEFAULT, fixtures);
  }

  private static Policy named(LoadedPolicies l, String name) {
    return l.policies().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  private static Attestors authorities(Policy p) {
    return ((Check.Signatures) p.rules().get(0).check()).attestors().get(0);
  }

  @Test
  void theSeedPolicyIsOneRuleWhereAnyAuthorityPasses() {
    LoadedPolicies l = translate("seed-require-cosign-keypair");

    assertThat(l.problems()).isEmpty();
    assertThat(l.policies())
        .extracting(Policy::name)
        .containsExactly(
            "ClusterImagePolicy/require-cosign-keypair", CipTranslator.NO_MATCH_POLICY);
    Policy p = l.policies().get(0);
    assertThat(p.source()).isEqualTo(PolicySource.SIGSTORE_CIP);
    assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
    assertThat(p.namespaces().labels())
        .isEqualTo(new LabelSelector(Map.of("policy.sigstore.dev/include", "true"), List.of()));
    Rule r = p.rules().get(0);
    assertThat(r.name()).isEqualTo("authorities");
    assertThat(r.images()).isEqualTo(ImageMatcher.globs(List.of("ghcr.io/sf-matt/hello-flask*")));
    assertThat(r.scope()).isEqualTo(Scope.EVERYTHING);
    Attestors a = authorities(p);
    assertThat(a.count()).isEqualTo(1);
    var key = (AttestorEntry.Key) a.entries().get(0);
    // The legacy .sig format only, and no transparency log without ctlog.
    assertThat(key.formats()).containsExactly(SignatureFormat.LEGACY_TAG);
    assertThat(key.unchecked()).isEmpty();
  }

  @Test
  void severalAuthoritiesSourcesSecretsStaticAndAPodSelector() {
    LoadedPolicies l = translate("authorities");

    assertThat(l.problems()).isEmpty();
    Policy p = named(l, "ClusterImagePolicy/acme-release");
    assertThat(p.mode()).isEqualTo(Mode.WARN);
    assertThat(p.severity()).isEqualTo(Severity.CRITICAL);
    Rule r = p.rules().get(0);
    assertThat(r.images().images()).containsExactly("ghcr.io/acme/**", "registry.io/acme/*");
    // match[]: the pods entry with its selector (exact values); the deployments entry is not
    // about Pods.
    assertThat(r.scope())
        .isEqualTo(
            new Scope.AnyOf(
                List.of(
                    new Scope.PodLabels(
                        new LabelSelector(Map.of("tier", "frontend"), List.of()), false))));
    List<AttestorEntry> entries = authorities(p).entries();
    var release = (AttestorEntry.Key) entries.get(0);
    assertThat(release.key().fingerprint()).isEqualTo(RELEASE);
    assertThat(release.signatureRepository())
        .map(x -> x.name())
        .contains("ghcr.io/acme/signatures");
    assertThat(entries.get(1))
        .isEqualTo(
            new AttestorEntry.SecretKey(
                "cosign-system",
                "backup-key",
                Optional.empty(),
                Optional.empty(),
                Set.of(SignatureFormat.LEGACY_TAG),
                List.of(
                    "an entry in the transparency log https://rekor.sigstore.dev"
                        + " (spec.authorities[1].ctlog)"),
                false,
                KeyAcceptance.engine(HashAlgorithm.SHA256, false)));
    assertThat(entries.get(2))
        .isEqualTo(
            new AttestorEntry.Static(
                false,
                "authority break-glass rejects every image (break-glass images must be approved)"));
  }

  @Test
  void everyUnsupportedAuthorityIsAProblemWithItsExactField() {
    LoadedPolicies l = translate("unsupported");

    assertThat(l.problems())
        .extracting(PolicyProblem::origin, PolicyProblem::object)
        .containsOnly(tuple("policy.sigstore.dev/v1beta1", "ClusterImagePolicy/unsupported"));
    assertThat(l.problems())
        .extracting(PolicyProblem::field, PolicyProblem::message)
        .containsExactly(
            tuple("spec.authorities[0].key.kms", "KMS keys are not supported by sigaudit"),
            tuple(
                "spec.authorities[2].signatureFormat",
                "policy-controller verifies bundles only for keyless authorities: authority"
                    + " keyed-bundle rejects every image"),
            tuple(
                "spec.authorities[3].source[0].tagPrefix",
                "signature tags with a prefix are not discovered by sigaudit"),
            tuple("spec.authorities[6].attestations", "attestations are not verified by sigaudit"),
            tuple(
                "spec.policy", "policies (cue, rego) over verified signatures are not evaluated"));
    Policy p = named(l, "ClusterImagePolicy/unsupported");
    List<Attestors> sets = ((Check.Signatures) p.rules().get(0).check()).attestors();
    assertThat(sets.get(0).entries())
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly(
            "Unverifiable", "Keyless", "Static", "Unsupported", "Key", "Key", "Unsupported");
    // hashAlgorithm is the hash policy-controller verifies with.
    assertThat(((AttestorEntry.Key) sets.get(0).entries().get(5)).key().acceptance())
        .isEqualTo(KeyAcceptance.engine(HashAlgorithm.SHA512, false));
    var keyless = (AttestorEntry.Keyless) sets.get(0).entries().get(1);
    assertThat(keyless.describe())
        .isEqualTo(
            "keyless (issuer https://token.actions.githubusercontent.com, subject ~"
                + " https://github.com/acme/.*)");
    assertThat(keyless.certificateAuthority()).contains("Fulcio at https://fulcio.sigstore.dev");
    // A timestamp authority replaces the transparency log, and is itself not checked.
    assertThat(((AttestorEntry.Key) sets.get(0).entries().get(4)).unchecked())
        .containsExactly("an RFC 3161 timestamp from the TSA of TrustRoot internal-tsa");
    // spec.policy is evaluated after the authorities: a second, required set.
    assertThat(sets.get(1).entries())
        .containsExactly(new AttestorEntry.Unsupported("the spec.policy check"));
  }

  @Test
  void anInvalidGlobDropsThePolicyButLeavesTheNoMatchPolicyUnsure() {
    LoadedPolicies l = translate("bad-glob", "seed-require-cosign-keypair");

    assertThat(l.policies())
        .extracting(Policy::name)
        .containsExactly(
            "ClusterImagePolicy/require-cosign-keypair", CipTranslator.NO_MATCH_POLICY);
    assertThat(l.problems())
        .containsExactly(
            new PolicyProblem(
                "policy.sigstore.dev/v1beta1",
                "ClusterImagePolicy/bad-glob",
                "spec.images[0].glob",
                "invalid glob 'ghcr.io/acme/[a-z]*': only letters, digits and - _ : / * . @ are"
                    + " allowed"));
    Scope noMatch = named(l, CipTranslator.NO_MATCH_POLICY).rules().get(0).scope();
    assertThat(noMatch.toString()).contains("ClusterImagePolicy bad-glob has an invalid glob");
  }

  @Test
  void aPolicyThatMatchesOnlyDeploymentsIsReported() {
    LoadedPolicies l = translate("deployments-only");

    assertThat(l.policies())
        .extracting(Policy::name)
        .containsExactly(CipTranslator.NO_MATCH_POLICY);
    assertThat(l.problems())
        .extracting(PolicyProblem::field, PolicyProblem::message)
        .containsExactly(tuple("spec.match", "selects no Pods: sigaudit audits running Pods"));
  }

  @Test
  void theNoMatchPolicyFollowsTheConfigMap() {
    assertThat(NoMatchPolicy.fromConfigMap(Map.of())).isEqualTo(NoMatchPolicy.DENY);
    assertThat(NoMatchPolicy.fromConfigMap(Map.of("no-match-policy", "allow")))
        .isEqualTo(NoMatchPolicy.ALLOW);
    assertThat(NoMatchPolicy.fromConfigMap(Map.of("no-match-policy", "warn")))
        .isEqualTo(NoMatchPolicy.WARN);
    assertThat(NoMatchPolicy.fromConfigMap(Map.of("no-match-policy", "nonsense")))
        .isEqualTo(NoMatchPolicy.DENY);

    assertThat(
            translate(CipOptions.DEFAULT.withNoMatchPolicy(NoMatchPolicy.ALLOW), "authorities")
                .policies())
        .extracting(Policy::name)
        .containsExactly("ClusterImagePolicy/acme-release");
    assertThat(
            named(
                    translate(
                        CipOptions.DEFAULT.withNoMatchPolicy(NoMatchPolicy.WARN), "authorities"),
                    CipTranslator.NO_MATCH_POLICY)
                .mode())
        .isEqualTo(Mode.WARN);
  }

  @Test
  void aPolicyWithoutAuthoritiesRejectsEveryImageItMatches() {
    JsonObject o = Fixtures.object("cip/seed-require-cosign-keypair.json");
    o.getAsJsonObject("spec").remove("authorities");

    Policy p = new CipTranslator(Fixtures.KEYS).translate(List.of(o)).policies().get(0);

    assertThat(authorities(p).entries())
        .containsExactly(new AttestorEntry.Static(false, "the policy has no authorities"));
  }

  @Test
  void anInvalidModeIsAProblemAndReadsAsEnforce() {
    JsonObject o = Fixtures.object("cip/seed-require-cosign-keypair.json");
    o.getAsJsonObject("spec").addProperty("mode", "audit");

    LoadedPolicies l = new CipTranslator(Fixtures.KEYS).translate(List.of(o));

    assertThat(l.policies().get(0).mode()).isEqualTo(Mode.ENFORCE);
    assertThat(l.problems())
        .extracting(PolicyProblem::field, PolicyProblem::message)
        .containsExactly(tuple("spec.mode", "'audit' is not enforce or warn"));
  }
}
