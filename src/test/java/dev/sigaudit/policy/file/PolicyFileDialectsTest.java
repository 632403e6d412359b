package dev.sigaudit.policy.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.PemKeyParser;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyDialect;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.policy.PolicySource;
import dev.sigaudit.policy.TestKeys;
import dev.sigaudit.policy.cip.CipDialect;
import dev.sigaudit.policy.cip.CipTranslator;
import dev.sigaudit.policy.ivp.IvpDialect;
import dev.sigaudit.policy.kyverno.KyvernoDialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy files in the cluster dialects: each document goes to the translator of its {@code
 * apiVersion} group and {@code kind}, the very one that reads the cluster's objects, so a policy
 * judges alike from a file and from the cluster; a bad document is reported with its file, index
 * and field, and the others still load.
 */
class PolicyFileDialectsTest {
  private static final KeyPair RELEASE = TestKeys.ec("secp256r1");
  private static final KeyParser KEYS = new PemKeyParser();
  private static final List<PolicyDialect> DIALECTS =
      List.of(new KyvernoDialect(KEYS), new IvpDialect(KEYS), new CipDialect(KEYS));

  @TempDir Path dir;

  private final PolicyFileLoader loader = new PolicyFileLoader(KEYS, DIALECTS);

  private static String pem(int indent) {
    return TestKeys.publicPem(RELEASE).strip().replace("\n", "\n" + " ".repeat(indent));
  }

  private static String clusterPolicy(String name) {
    return """
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata:
          name: %s
        spec:
          rules:
            - name: release-key
              match:
                any:
                  - resources: {kinds: [Pod]}
              verifyImages:
                - imageReferences: ["registry.test/*"]
                  attestors:
                    - entries:
                        - keys:
                            rekor: {ignoreTlog: true}
                            publicKeys: |-
                              %s
        """
        .formatted(name, pem(30));
  }

  private static final String CIP =
      """
      apiVersion: policy.sigstore.dev/v1beta1
      kind: ClusterImagePolicy
      metadata: {name: release-signed}
      spec:
        images: [{glob: "registry.test/**"}]
        authorities:
          - key:
              data: |-
                %s
      """;

  private Path write(String name, String... documents) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("---\n", documents));
    return file;
  }

  private static JsonObject gson(String yaml) throws Exception {
    var tree = YamlDocuments.read(yaml.getBytes()).policies().get(0);
    return JsonParser.parseString(tree.toString()).getAsJsonObject();
  }

  @Test
  void aKyvernoClusterPolicyFromAFileIsThePolicyTheClusterTranslatorMakes() throws Exception {
    Path file = write("cp.yaml", clusterPolicy("require-release"));

    PolicyFileLoader.Read read = loader.read(List.of(file));

    assertThat(read.policies().problems()).isEmpty();
    List<Policy> fromCluster =
        new KyvernoDialect(KEYS)
            .translate(List.of(gson(clusterPolicy("require-release"))), Map.of())
            .policies();
    assertThat(read.policies().policies()).isEqualTo(fromCluster);
    assertThat(read.policies().policies().get(0).name()).isEqualTo("ClusterPolicy/require-release");
    assertThat(read.policies().policies().get(0).source()).isEqualTo(PolicySource.KYVERNO);
    assertThat(read.origins().get("ClusterPolicy/require-release"))
        .isEqualTo(new PolicyFileLoader.Origin(file, 0, "ClusterPolicy"));
  }

  @Test
  void everyDialectAndSigauditsOwnLoadFromOneFile() throws Exception {
    String sigaudit =
        """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata: {name: own}
        spec:
          rules:
            - name: r
              images: ["registry.test/*"]
              attestors:
                entries:
                  - publicKey: |
                      %s
        """
            .formatted(pem(22));
    String ivp =
        """
        apiVersion: policies.kyverno.io/v1beta1
        kind: ImageValidatingPolicy
        metadata: {name: verify-release}
        spec:
          validationActions: [Audit]
          matchConstraints:
            resourceRules:
              - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
          matchImageReferences: [{glob: "registry.test/*"}]
          attestors:
            - name: release
              cosign:
                key:
                  data: |-
                    %s
                ctlog: {insecureIgnoreTlog: true}
          validations:
            - expression: "images.containers.all(i, verifyImageSignatures(i, [attestors.release]) > 0)"
        """
            .formatted(pem(20));
    Path file = write("all.yaml", sigaudit, clusterPolicy("cp"), ivp, CIP.formatted(pem(10)));

    PolicyFileLoader.Read read = loader.read(List.of(file));

    assertThat(read.policies().problems()).isEmpty();
    assertThat(read.policies().policies())
        .extracting(Policy::name)
        .containsExactly(
            "own",
            "ClusterPolicy/cp",
            "ImageValidatingPolicy/verify-release",
            "ClusterImagePolicy/release-signed");
    assertThat(read.origins().get("ClusterImagePolicy/release-signed").document()).isEqualTo(3);
  }

  @Test
  void aClusterImagePolicyFromAFileComesWithoutTheClustersNoMatchPolicy() throws Exception {
    Path file = write("cip.yaml", CIP.formatted(pem(10)));

    List<Policy> policies = loader.read(List.of(file)).policies().policies();

    assertThat(policies)
        .extracting(Policy::name)
        .containsExactly("ClusterImagePolicy/release-signed");
    assertThat(policies).extracting(Policy::name).doesNotContain(CipTranslator.NO_MATCH_POLICY);
  }

  @Test
  void aMalformedDocumentIsReportedWithFileIndexAndFieldAndTheOthersLoad() throws Exception {
    String broken =
        """
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata: {name: broken}
        spec:
          rules:
            - name: r
              match: {any: [{resources: {kinds: [Pod]}}]}
              verifyImages:
                - imageReferences: ["*"]
                  attestors: [{entries: [{keys: {publicKeys: "not a key"}}]}]
        """;
    Path file = write("three.yaml", clusterPolicy("first"), broken, clusterPolicy("third"));

    PolicyFileLoader.Read read = loader.read(List.of(file));

    assertThat(read.policies().policies())
        .extracting(Policy::name)
        .contains("ClusterPolicy/first", "ClusterPolicy/third");
    assertThat(read.policies().problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.origin()).isEqualTo(file.toString());
              assertThat(p.object()).isEqualTo("document 2 ClusterPolicy/broken");
              assertThat(p.field())
                  .isEqualTo(
                      "spec.rules[0].verifyImages[0].attestors[0].entries[0].keys.publicKeys");
            });
  }

  @Test
  void aKindNoDialectReadsIsNamedWithWhatIsExpected() throws Exception {
    Path file =
        write("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n");

    List<PolicyProblem> problems = loader.read(List.of(file)).policies().problems();

    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.object()).isEqualTo("document 1");
              assertThat(p.field()).isEqualTo("kind");
              assertThat(p.message())
                  .startsWith(
                      "apiVersion 'apps/v1' kind 'Deployment' is not a policy sigaudit reads")
                  .contains("kyverno.io ClusterPolicy")
                  .contains("policy.sigstore.dev ClusterImagePolicy")
                  .contains("sigaudit.dev/v1alpha1 SignaturePolicy");
            });
  }

  @Test
  void aKeyInASecretCannotComeFromAFileAndSaysSo() throws Exception {
    String secret =
        """
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata: {name: secret-key}
        spec:
          rules:
            - name: r
              match: {any: [{resources: {kinds: [Pod]}}]}
              verifyImages:
                - imageReferences: ["*"]
                  attestors: [{entries: [{keys: {publicKeys: "k8s://security/release-key"}}]}]
        """;
    Path file = write("secret.yaml", secret);

    List<PolicyProblem> problems = loader.read(List.of(file)).policies().problems();

    assertThat(problems)
        .anySatisfy(
            p ->
                assertThat(p.toString())
                    .contains("keys in Secrets are read only from the cluster"));
  }

  @Test
  void aKyvernoPolicyWithoutImageRulesIsANoteNotAProblem() throws Exception {
    Path file =
        write(
            "labels.yaml",
            """
            apiVersion: kyverno.io/v1
            kind: ClusterPolicy
            metadata: {name: labels}
            spec:
              rules:
                - name: r
                  match: {any: [{resources: {kinds: [Pod]}}]}
                  validate: {pattern: {metadata: {labels: {app: "?*"}}}}
            """);

    PolicyFileLoader.Read read = loader.read(List.of(file));

    assertThat(read.policies().problems()).isEmpty();
    assertThat(read.policies().policies()).isEmpty();
    assertThat(read.notes())
        .singleElement()
        .asString()
        .contains("ClusterPolicy/labels: no rule about images");
  }

  @Test
  void withoutDialectsAClusterPolicyIsStillRefusedAsBefore() throws Exception {
    Path file = write("cp.yaml", clusterPolicy("x"));

    var loaded = new PolicyFileLoader(KEYS).load(file);

    assertThat(loaded.policies()).isEmpty();
    assertThat(loaded.problems()).isNotEmpty();
  }
}
