package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigaudit.bench.TestSigner;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.testenv.CsvScan;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.OciRegistry;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.RegistryHttp;
import dev.sigaudit.testenv.TestEnvironment;
import dev.sigaudit.testenv.TestImages;
import dev.sigaudit.testenv.TestPods;
import dev.sigaudit.verify.KeyType;
import dev.sigaudit.verify.testing.CosignPayloads;
import dev.sigaudit.verify.testing.FakeRekor;
import dev.sigaudit.verify.testing.FakeSigstore;
import dev.sigaudit.verify.testing.KeylessCandidateBuilder;
import dev.sigaudit.verify.testing.TestKeys;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.options.PatchOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Keyless signatures end to end, without network: a private Sigstore (Fulcio CA, CT log, Rekor
 * keys) made in the test signs images as cosign would (legacy {@code .sig} with certificate, chain
 * and Rekor SET; a v0.3 bundle with certificate and tlog entry), published to the real registries;
 * a real Kyverno keyless ClusterPolicy judges them with {@code --trusted-root} pointing at that
 * Sigstore's trusted root; and cosign v3 verifies the same images with the same root and identity.
 */
@RealEnvironment
class KeylessIT {
  private static final String SUBJECT = "dev@example.com";
  private static final String ISSUER = "https://accounts.example.com";

  @Test
  void keylessSignaturesVerifyOfflineWithTheSameVerdictsAsCosign(
      TestEnvironment env, KubeApiServer kube) throws Exception {
    kube.installCrds("kyverno");
    FakeSigstore sigstore = FakeSigstore.shared();
    Path dir = env.newDirectory("keyless-");
    Path root =
        Files.writeString(dir.resolve("trusted_root.json"), sigstore.trustedRootJson().json());

    OciRegistry dist = env.distributionRegistry();
    OciRegistry withApi = env.referrersRegistry();
    var legacy = TestImages.push(dist, "keyless/legacy", "1");
    TestSigner.publishLegacy(
        new RegistryHttp(dist),
        "keyless/legacy",
        legacy.digest(),
        KeylessCandidateBuilder.forImage(legacy.digest(), sigstore).legacy());
    var bundle = TestImages.push(withApi, "keyless/bundle", "1");
    RegistryHttp apiHttp = new RegistryHttp(withApi);
    long size =
        apiHttp.manifest("keyless/bundle", bundle.digest().toString(), RegistryHttp.OCI_MANIFEST)
            .length;
    TestSigner.publishBundle(
        apiHttp,
        "keyless/bundle",
        bundle.digest(),
        size,
        KeylessCandidateBuilder.forImage(bundle.digest(), sigstore)
            .bundleJson()
            .getBytes(StandardCharsets.UTF_8),
        false);
    var stranger = TestImages.push(dist, "keyless/stranger", "1");
    TestSigner.publishLegacy(
        new RegistryHttp(dist),
        "keyless/stranger",
        stranger.digest(),
        KeylessCandidateBuilder.forImage(stranger.digest(), sigstore)
            .leaf(sigstore.leaf().email("mallory@example.org").build())
            .legacy());
    var unsigned = TestImages.push(dist, "keyless/unsigned", "1");

    String ns = kube.createNamespace("keyless", Map.of());
    TestPods pods = new TestPods(kube.adminClient());
    for (var img : List.of(legacy, bundle, stranger, unsigned)) {
      String name = img.repository().substring("keyless/".length());
      pods.create(ns, name, Map.of("app", img.byTag()));
      pods.reportRunning(ns, name, Map.of("app", img.imageId()));
    }
    String policy = "keyless-" + UUID.randomUUID().toString().substring(0, 6);
    String json =
        """
        {"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","metadata":{"name":"%s"},
         "spec":{"rules":[{"name":"keyless","match":{"any":[{"resources":{"kinds":["Pod"],"namespaces":["%s"]}}]},
           "verifyImages":[{"imageReferences":["127.0.0.1:*"],"failureAction":"Audit","verifyDigest":false,
             "type":"%s",
             "attestors":[{"entries":[{"keyless":{"subject":"%s","issuer":"%s"}}]}]}]}]}}
        """;
    PatchOptions opts = new PatchOptions();
    opts.setFieldManager("sigaudit-tests");
    opts.setForce(true);
    var kyverno =
        new DynamicKubernetesApi("kyverno.io", "v1", "clusterpolicies", kube.adminClient());
    for (String type : List.of("Cosign", "SigstoreBundle")) {
      var r =
          kyverno.patch(
              policy + "-" + type.toLowerCase(),
              V1Patch.PATCH_FORMAT_APPLY_YAML,
              new V1Patch(
                  json.formatted(policy + "-" + type.toLowerCase(), ns, type, SUBJECT, ISSUER)),
              opts);
      assertThat(r.isSuccess()).as("%s", r.getStatus()).isTrue();
    }

    // The same identity in sigaudit's own policy file.
    Files.writeString(
        dir.resolve("policy.yaml"),
        String.join(
            "\n",
            "apiVersion: sigaudit.dev/v1alpha1",
            "kind: SignaturePolicy",
            "metadata: {name: " + policy + "-file}",
            "spec:",
            "  rules:",
            "    - name: keyless",
            "      images: [\"127.0.0.1:*\"]",
            "      attestors:",
            "        entries:",
            "          - keyless: {subject: " + SUBJECT + ", issuer: \"" + ISSUER + "\"}",
            ""));
    var run =
        CsvScan.scan(
            kube,
            dir,
            "-n",
            ns,
            "--policy",
            dir.resolve("policy.yaml").toString(),
            "--trusted-root",
            root.toString(),
            "--csv-dir",
            dir.toString(),
            "--no-policy-reports",
            "--insecure-registry",
            dist.hostPort(),
            "--insecure-registry",
            withApi.hostPort());
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    Map<String, String> results = new HashMap<>();
    Map<String, String> reasons = new HashMap<>();
    for (var rec : CsvScan.rows(dir.resolve("results.csv"))) {
      if (rec.get("policy").contains(policy)) {
        String k =
            rec.get("policy").substring(rec.get("policy").lastIndexOf('-') + 1)
                + "|"
                + rec.get("workload_name");
        results.put(k, rec.get("status"));
        reasons.put(
            k,
            rec.get("reason")
                + " signer="
                + rec.get("signer")
                + " issuer="
                + rec.get("signer_issuer"));
      }
    }
    assertThat(results.get("cosign|legacy")).as(reasons.get("cosign|legacy")).isEqualTo("pass");
    assertThat(reasons.get("cosign|legacy"))
        .contains("signer=" + SUBJECT)
        .contains("issuer=" + ISSUER);
    assertThat(results.get("sigstorebundle|bundle"))
        .as(reasons.get("sigstorebundle|bundle"))
        .isEqualTo("pass");
    assertThat(results.get("cosign|stranger")).as(reasons.get("cosign|stranger")).isEqualTo("fail");
    assertThat(results.get("cosign|unsigned")).isEqualTo("fail");
    assertThat(results.get("cosign|bundle")).as("type Cosign reads .sig only").isEqualTo("fail");
    // sigaudit's own keyless entry reads both formats.
    assertThat(results.get("file|legacy")).as(reasons.get("file|legacy")).isEqualTo("pass");
    assertThat(results.get("file|bundle")).as(reasons.get("file|bundle")).isEqualTo("pass");
    assertThat(results.get("file|stranger")).isEqualTo("fail");
    assertThat(results.get("file|unsigned")).isEqualTo("fail");

    // cosign v3, same trusted root and identity: the same verdicts.
    Map<String, Boolean> cosign = new HashMap<>();
    for (var img : List.of(legacy, bundle, stranger, unsigned)) {
      var v =
          env.cosignV3()
              .run(
                  dir,
                  List.of(
                      "verify",
                      "--trusted-root",
                      root.toString(),
                      "--certificate-identity",
                      SUBJECT,
                      "--certificate-oidc-issuer",
                      ISSUER,
                      "--allow-http-registry",
                      img.byDigest()));
      cosign.put(img.repository(), v.exitCode() == 0);
      System.out.println(
          "cosign verify " + img.repository() + " -> " + v.exitCode() + "\n" + v.output());
    }
    assertThat(cosign)
        .containsEntry("keyless/legacy", true)
        .containsEntry("keyless/bundle", true)
        .containsEntry("keyless/stranger", false)
        .containsEntry("keyless/unsigned", false);
  }

  /**
   * Kyverno requires a Rekor entry for key-based signatures unless {@code ignoreTlog}: sigaudit
   * verifies the entry (its SET against the trusted root's log key) rather than assuming it.
   */
  @Test
  void aKeyPolicyThatRequiresTheTransparencyLogPassesOnlyLoggedSignatures(
      TestEnvironment env, KubeApiServer kube) throws Exception {
    kube.installCrds("kyverno");
    FakeSigstore sigstore = FakeSigstore.shared();
    Path dir = env.newDirectory("keytlog-");
    Path root =
        Files.writeString(dir.resolve("trusted_root.json"), sigstore.trustedRootJson().json());
    var key = TestKeys.fresh(KeyType.ECDSA_P256);
    OciRegistry dist = env.distributionRegistry();
    RegistryHttp http = new RegistryHttp(dist);
    var logged = TestImages.push(dist, "keytlog/logged", "1");
    var unlogged = TestImages.push(dist, "keytlog/unlogged", "1");
    for (var img : List.of(logged, unlogged)) {
      byte[] payload =
          CosignPayloads.simpleSigning(img.digest(), img.registry() + "/" + img.repository());
      byte[] signature = key.sign(payload);
      Optional<String> set = Optional.empty();
      if (img == logged) {
        byte[] body =
            FakeRekor.hashedRekord(signature, key.publicPem(), Digest.sha256(payload).hex());
        set =
            Optional.of(
                sigstore
                    .rekor()
                    .log(body, "hashedrekord", FakeSigstore.SIGNING_TIME)
                    .legacyAnnotation());
      }
      TestSigner.publishLegacy(
          http,
          img.repository(),
          img.digest(),
          new SignatureCandidate.Legacy(
              img.digest(),
              payload,
              Base64.getEncoder().encodeToString(signature),
              Optional.empty(),
              Optional.empty(),
              set,
              Optional.empty()));
    }
    String ns = kube.createNamespace("keytlog", Map.of());
    TestPods pods = new TestPods(kube.adminClient());
    for (var img : List.of(logged, unlogged)) {
      String name = img.repository().substring("keytlog/".length());
      pods.create(ns, name, Map.of("app", img.byTag()));
      pods.reportRunning(ns, name, Map.of("app", img.imageId()));
    }
    String policy = "keytlog-" + UUID.randomUUID().toString().substring(0, 6);
    PatchOptions opts = new PatchOptions();
    opts.setFieldManager("sigaudit-tests");
    opts.setForce(true);
    String json =
        """
        {"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","metadata":{"name":"%s"},
         "spec":{"rules":[{"name":"signed","match":{"any":[{"resources":{"kinds":["Pod"],"namespaces":["%s"]}}]},
           "verifyImages":[{"imageReferences":["127.0.0.1:*"],"failureAction":"Audit","verifyDigest":false,
             "attestors":[{"entries":[{"keys":{"publicKeys":%s}}]}]}]}]}}
        """
            .formatted(policy, ns, JSON.writeValueAsString(key.publicPem()));
    var r =
        new DynamicKubernetesApi("kyverno.io", "v1", "clusterpolicies", kube.adminClient())
            .patch(policy, V1Patch.PATCH_FORMAT_APPLY_YAML, new V1Patch(json), opts);
    assertThat(r.isSuccess()).as("%s", r.getStatus()).isTrue();

    var run =
        CsvScan.scan(
            kube,
            dir,
            "-n",
            ns,
            "--trusted-root",
            root.toString(),
            "--csv-dir",
            dir.toString(),
            "--no-policy-reports",
            "--insecure-registry",
            dist.hostPort());
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    Map<String, String> results = new HashMap<>();
    Map<String, String> reasons = new HashMap<>();
    for (var rec : CsvScan.rows(dir.resolve("results.csv"))) {
      if (rec.get("policy").contains(policy)) {
        results.put(rec.get("workload_name"), rec.get("status"));
        reasons.put(rec.get("workload_name"), rec.get("reason"));
      }
    }
    assertThat(results.get("logged")).as(reasons.get("logged")).isEqualTo("pass");
    assertThat(results.get("unlogged")).as(reasons.get("unlogged")).isEqualTo("fail");
    assertThat(reasons.get("unlogged")).containsIgnoringCase("transparency");
  }

  static final ObjectMapper JSON = new ObjectMapper();
}
