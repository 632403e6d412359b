package dev.sigaudit.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.policy.SecretKeys.SecretRef;
import dev.sigaudit.policy.cip.CipOptions;
import dev.sigaudit.policy.cip.CipTranslator;
import dev.sigaudit.policy.cip.NoMatchPolicy;
import dev.sigaudit.policy.kyverno.KyvernoTranslator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretKeysTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<Policy> kyverno() {
    return new KyvernoTranslator(Fixtures.KEYS)
        .translate(List.of(Fixtures.object("kyverno/attestors.json")))
        .policies();
  }

  private static AttestorEntry secretEntry(List<Policy> policies) {
    Rule r =
        policies.get(0).rules().stream()
            .filter(x -> x.name().equals("both-sets.verifyImages[0]"))
            .findFirst()
            .orElseThrow();
    return ((Check.Signatures) r.check()).attestors().get(1).entries().get(0);
  }

  @Test
  void listsTheSecretsToRead() {
    assertThat(SecretKeys.referenced(kyverno()))
        .containsExactly(new SecretRef("kyverno", "cosign-public-key"));
  }

  @Test
  void aKyvernoSecretKeyIsReadFromCosignPubKeepingFormatsAndRequirements() {
    var resolved =
        SecretKeys.resolve(
            kyverno(),
            s ->
                Optional.of(
                    Map.of("cosign.pub", bytes(Fixtures.pem("backup")), "other", bytes("x"))),
            Fixtures.KEYS);

    assertThat(resolved.problems()).isEmpty();
    var key = (AttestorEntry.Key) secretEntry(resolved.policies());
    assertThat(key.key().fingerprint()).isEqualTo(Fixtures.key("backup").fingerprint());
    assertThat(key.formats())
        .isEqualTo(Set.of(SignatureFormat.BUNDLE_REFERRER, SignatureFormat.BUNDLE_FALLBACK_TAG));
  }

  @Test
  void aMissingOrAmbiguousSecretStaysUnresolvedWithAProblem() {
    var missing = SecretKeys.resolve(kyverno(), s -> Optional.empty(), Fixtures.KEYS);
    assertThat(secretEntry(missing.policies())).isInstanceOf(AttestorEntry.SecretKey.class);
    assertThat(missing.problems())
        .containsExactly(
            new PolicyProblem(
                "v1/Secret",
                "ClusterPolicy/attestors",
                "",
                "key in Secret kyverno/cosign-public-key (entry cosign.pub): no such Secret"));

    List<Policy> cip =
        new CipTranslator(Fixtures.KEYS, CipOptions.DEFAULT.withNoMatchPolicy(NoMatchPolicy.ALLOW))
            .translate(List.of(Fixtures.object("cip/authorities.json")))
            .policies();
    var two =
        SecretKeys.resolve(
            cip, s -> Optional.of(Map.of("a", bytes("x"), "b", bytes("y"))), Fixtures.KEYS);
    assertThat(two.problems())
        .extracting(PolicyProblem::message)
        .containsExactly(
            "key in Secret cosign-system/backup-key (its only entry): it has 2 entries; exactly one"
                + " is required");
    var one =
        SecretKeys.resolve(
            cip,
            s -> Optional.of(Map.of("key", bytes("# comment\n" + Fixtures.pem("backup")))),
            Fixtures.KEYS);
    assertThat(one.problems()).isEmpty();
  }
}
