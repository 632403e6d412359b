package dev.sigaudit.policy.ivp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.AuditTarget;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.PemKeyParser;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.TestKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Policy objects written as YAML (as operators write them), keys, targets and verdicts. */
final class Fixtures {
  private Fixtures() {}

  static final KeyPair COSIGN = TestKeys.ec("secp256r1");
  static final KeyPair OTHER = TestKeys.ec("secp256r1");
  static final String COSIGN_PEM = TestKeys.publicPem(COSIGN);
  static final String OTHER_PEM = TestKeys.publicPem(OTHER);
  static final TrustedKey COSIGN_KEY = new PemKeyParser().parse(COSIGN_PEM);
  static final TrustedKey OTHER_KEY = new PemKeyParser().parse(OTHER_PEM);
  static final Digest RUNNING = Digest.sha256("running".getBytes());

  private static final YAMLMapper YAML = new YAMLMapper();

  /** The object as the API server would return it, from YAML. */
  static JsonObject object(String yaml) {
    try {
      JsonNode node = YAML.readTree(yaml);
      return JsonParser.parseString(node.toString()).getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LoadedPolicies translate(String... yamls) {
    List<JsonObject> objects = new ArrayList<>();
    for (String y : yamls) {
      objects.add(object(y));
    }
    return new IvpTranslator(new PemKeyParser()).translate("cluster", objects);
  }

  /** The one policy {@code yaml} compiles to; fails the test with the problems otherwise. */
  static Policy policy(String yaml) {
    LoadedPolicies loaded = translate(yaml);
    assertThat(loaded.problems()).isEmpty();
    assertThat(loaded.policies()).hasSize(1);
    return loaded.policies().get(0);
  }

  /**
   * An ImageValidatingPolicy named {@code name} whose spec is {@code spec} (YAML, indented by two
   * spaces as under {@code spec:}).
   */
  static String ivp(String name, String spec) {
    return "apiVersion: policies.kyverno.io/v1beta1\n"
        + "kind: ImageValidatingPolicy\n"
        + "metadata:\n"
        + "  name: "
        + name
        + "\n"
        + "spec:\n"
        + withKeys(spec).stripTrailing().indent(2);
  }

  /** {@code pem} as a one-line YAML scalar (double-quoted, newlines escaped). */
  static String yamlString(String pem) {
    return "\"" + pem.replace("\n", "\\n") + "\"";
  }

  /** {@code spec} with every {@code COSIGN_KEY} / {@code OTHER_KEY} placeholder set to the PEM. */
  static String withKeys(String spec) {
    return spec.replace("COSIGN_KEY", yamlString(COSIGN_PEM))
        .replace("OTHER_KEY", yamlString(OTHER_PEM));
  }

  /** A running container of {@code image} in namespace prod, running {@link #RUNNING}. */
  static AuditTarget target(String image) {
    return new AuditTarget("prod", Map.of(), ImageRef.parse(image), Optional.of(RUNNING));
  }

  static AuditTarget target(String image, Optional<Digest> running) {
    return new AuditTarget("prod", Map.of(), ImageRef.parse(image), running);
  }

  static Verdict verified(TrustedKey k) {
    return new Verdict.Verified(SignatureFormat.LEGACY_TAG, Signer.key(k.fingerprint()), RUNNING);
  }
}
