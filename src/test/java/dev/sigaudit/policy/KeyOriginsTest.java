package dev.sigaudit.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sigaudit.policy.cip.CipOptions;
import dev.sigaudit.policy.cip.CipTranslator;
import dev.sigaudit.policy.cip.NoMatchPolicy;
import dev.sigaudit.policy.kyverno.KyvernoTranslator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every cluster translator says where each key, Secret reference and identity was written. */
class KeyOriginsTest {
  private static final String RELEASE = Fixtures.pem("release");

  private static JsonObject json(String text) {
    return JsonParser.parseString(text).getAsJsonObject();
  }

  private static String quoted(String s) {
    return new com.google.gson.Gson().toJson(s);
  }

  private static List<AttestorEntry> entries(Policy p) {
    List<AttestorEntry> out = new ArrayList<>();
    for (Rule r : p.rules()) {
      if (r.check() instanceof Check.Signatures s) {
        s.attestors().forEach(a -> out.addAll(a.entries()));
      }
    }
    return out;
  }

  private static KeyOrigin origin(AttestorEntry e) {
    return switch (e) {
      case AttestorEntry.Key k -> k.origin();
      case AttestorEntry.SecretKey s -> s.origin();
      case AttestorEntry.Keyless k -> k.origin();
      default -> throw new AssertionError("no origin on " + e);
    };
  }

  private static Policy kyverno() {
    String policy =
        """
        {"apiVersion": "kyverno.io/v1", "kind": "ClusterPolicy",
         "metadata": {"name": "verify-images"},
         "spec": {"rules": [{"name": "check-signature",
           "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
           "verifyImages": [{"imageReferences": ["ghcr.io/acme/*"],
             "attestors": [{"count": 1, "entries": [
               {"keys": {"publicKeys": %s, "rekor": {"ignoreTlog": true}}},
               {"keys": {"publicKeys": "k8s://cosign-system/release-key",
                         "rekor": {"ignoreTlog": true}}},
               {"keyless": {"subject": "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main",
                            "issuer": "https://token.actions.githubusercontent.com"}}]}]}]}]}}
        """
            .formatted(quoted(RELEASE));
    var t = new KyvernoTranslator(Fixtures.KEYS).translate(List.of(json(policy)));
    assertThat(t.policies()).hasSize(1);
    return t.policies().get(0);
  }

  @Test
  void aKyvernoPolicysKeysSecretsAndIdentitiesAreInlineInItsRule() {
    Policy p = kyverno();
    String rule = p.rules().get(0).name();
    KeyOrigin inline = new KeyOrigin.Inline("ClusterPolicy/verify-images", "rule " + rule);

    List<AttestorEntry> entries = entries(p);
    assertThat(entries)
        .hasExactlyElementsOfTypes(
            AttestorEntry.Key.class, AttestorEntry.SecretKey.class, AttestorEntry.Keyless.class);
    assertThat(entries).extracting(KeyOriginsTest::origin).containsOnly(inline);
    assertThat(inline.describe())
        .isEqualTo("inline in ClusterPolicy/verify-images, rule " + rule)
        .startsWith("inline in ClusterPolicy/verify-images, rule check-signature");
  }

  @Test
  void aKeyReadFromASecretComesFromThatSecretAndDataKey() {
    var resolved =
        SecretKeys.resolve(
            List.of(kyverno()),
            s ->
                Optional.of(
                    Map.of("cosign.pub", Fixtures.pem("backup").getBytes(StandardCharsets.UTF_8))),
            Fixtures.KEYS);

    assertThat(resolved.problems()).isEmpty();
    var key = (AttestorEntry.Key) entries(resolved.policies().get(0)).get(1);
    assertThat(key.key().fingerprint()).isEqualTo(Fixtures.key("backup").fingerprint());
    assertThat(key.origin())
        .isEqualTo(new KeyOrigin.Secret("cosign-system", "release-key", Optional.of("cosign.pub")));
    assertThat(key.origin().describe())
        .isEqualTo("from Secret cosign-system/release-key, key cosign.pub");
  }

  @Test
  void aClusterImagePolicysAuthoritiesAreInlineInIt() {
    String policy =
        """
        {"apiVersion": "policy.sigstore.dev/v1beta1", "kind": "ClusterImagePolicy",
         "metadata": {"name": "release-signed"},
         "spec": {"images": [{"glob": "ghcr.io/acme/**"}],
          "authorities": [
            {"name": "release", "key": {"data": %s}},
            {"name": "in-secret", "key": {"secretRef": {"name": "backup-key"}}},
            {"name": "ci", "keyless": {"identities": [
               {"issuer": "https://token.actions.githubusercontent.com",
                "subject": "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main"}]}}]}}
        """
            .formatted(quoted(RELEASE));
    var t =
        new CipTranslator(Fixtures.KEYS, CipOptions.DEFAULT.withNoMatchPolicy(NoMatchPolicy.ALLOW))
            .translate(List.of(json(policy)));
    Policy p =
        t.policies().stream()
            .filter(x -> x.name().equals("ClusterImagePolicy/release-signed"))
            .findFirst()
            .orElseThrow();

    List<AttestorEntry> entries = entries(p);
    assertThat(entries)
        .hasExactlyElementsOfTypes(
            AttestorEntry.Key.class, AttestorEntry.SecretKey.class, AttestorEntry.Keyless.class);
    assertThat(entries)
        .extracting(KeyOriginsTest::origin)
        .containsOnly(
            new KeyOrigin.Inline("ClusterImagePolicy/release-signed", "rule authorities"));

    var resolved =
        SecretKeys.resolve(
            List.of(p),
            s -> Optional.of(Map.of("key", RELEASE.getBytes(StandardCharsets.UTF_8))),
            Fixtures.KEYS);
    assertThat(origin(entries(resolved.policies().get(0)).get(1)).describe())
        .isEqualTo("from Secret cosign-system/backup-key, its only entry");
  }

  @Test
  void theOriginIsNotPartOfWhatAnEntryRequires() {
    var here = AttestorEntry.Key.of(Fixtures.key("release"));
    var there = here.withOrigin(new KeyOrigin.Inline("ClusterPolicy/other", "rule elsewhere"));
    assertThat(there).isEqualTo(here).hasSameHashCodeAs(here);
    assertThat(there.origin()).isNotEqualTo(here.origin());

    var identity =
        new AttestorEntry.Keyless.Identity(
            Optional.of("https://issuer"), Optional.empty(), Optional.of("me"), Optional.empty());
    var keyless =
        new AttestorEntry.Keyless(
            List.of(identity),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            Optional.empty());
    var keylessElsewhere =
        keyless.withOrigin(new KeyOrigin.File(java.nio.file.Path.of("p.yaml"), Optional.empty()));
    assertThat(keylessElsewhere).isEqualTo(keyless);
    // Verdicts are cached and shared under the authority's id: the origin must not change it.
    assertThat(new Authority.Keyless(keylessElsewhere).id())
        .isEqualTo(new Authority.Keyless(keyless).id());
    assertThat(new Authority.Keyless(keylessElsewhere)).isEqualTo(new Authority.Keyless(keyless));
  }
}
