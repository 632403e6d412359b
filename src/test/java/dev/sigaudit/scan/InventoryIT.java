package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.bench.TestSigner;
import dev.sigaudit.testenv.CsvScan;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.RegistryHttp;
import dev.sigaudit.testenv.SigauditReports;
import dev.sigaudit.testenv.TestEnvironment;
import dev.sigaudit.testenv.TestImages;
import dev.sigaudit.testenv.TestPods;
import dev.sigaudit.verify.testing.FakeSigstore;
import dev.sigaudit.verify.testing.KeylessCandidateBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * With no policy given and none in the cluster, a scan takes a signature inventory: every running
 * image, whether it is verified (by a trust anchor), only signed (signer unknown) or unsigned, its
 * signature formats, the key its bundle names or its verified certificate identity and issuer,
 * transparency-log evidence and time — in inventory.csv, results.csv, metrics and informational
 * PolicyReport results.
 */
@RealEnvironment
class InventoryIT {

  @Test
  void aScanWithoutPoliciesInventoriesEveryRunningImage(TestEnvironment env, KubeApiServer kube)
      throws Exception {
    Path dir = env.newDirectory("inventory-");
    var v2 = env.cosignV2();
    v2.generateKeyPair(dir, "k");
    var keyLegacy = TestImages.push(env.distributionRegistry(), "inv/key-legacy", "1");
    v2.sign(dir.resolve("k.key"), keyLegacy.byDigest()).requireSuccess("sign");
    var keyBundle = TestImages.push(env.referrersRegistry(), "inv/key-bundle", "1");
    env.cosignV3().sign(dir.resolve("k.key"), keyBundle.byDigest()).requireSuccess("sign");
    FakeSigstore sigstore = FakeSigstore.shared();
    Path root =
        Files.writeString(dir.resolve("trusted_root.json"), sigstore.trustedRootJson().json());
    var keyless = TestImages.push(env.distributionRegistry(), "inv/keyless", "1");
    TestSigner.publishLegacy(
        new RegistryHttp(env.distributionRegistry()),
        "inv/keyless",
        keyless.digest(),
        KeylessCandidateBuilder.forImage(keyless.digest(), sigstore).legacy());
    var unsigned = TestImages.push(env.distributionRegistry(), "inv/unsigned", "1");

    String ns = kube.createNamespace("inventory", Map.of());
    TestPods pods = new TestPods(kube.adminClient());
    for (var img : List.of(keyLegacy, keyBundle, keyless, unsigned)) {
      String name = img.repository().substring(4);
      pods.create(ns, name, Map.of("app", img.byTag()));
      pods.reportRunning(ns, name, Map.of("app", img.imageId()));
    }

    var run =
        CsvScan.scan(
            kube,
            dir,
            "-n",
            ns,
            "--no-cluster-policies",
            "--trusted-root",
            root.toString(),
            "--csv-dir",
            dir.toString(),
            "--metrics-file",
            dir.resolve("sigaudit.prom").toString(),
            "--insecure-registry",
            env.distributionRegistry().hostPort(),
            "--insecure-registry",
            env.referrersRegistry().hostPort());
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stderr()).contains("signature inventory");

    // "signed" is not "verified": a key-based signature cannot be checked without its key.
    String fingerprint =
        dev.sigaudit.verify.PublicKeys.parsePem(Files.readString(dir.resolve("k.pub")))
            .get(0)
            .fingerprint();
    Map<String, CSVRecord> byPod = CsvScan.byColumn(dir.resolve("inventory.csv"), "pod");
    assertThat(byPod.get("key-legacy").get("signature")).isEqualTo("signed");
    assertThat(byPod.get("key-legacy").get("status")).isEqualTo("skip");
    assertThat(byPod.get("key-legacy").get("signature_format")).isEqualTo("legacy-sig");
    assertThat(byPod.get("key-bundle").get("signature_format")).isEqualTo("bundle-referrer");
    assertThat(byPod.get("key-bundle").get("signature")).isEqualTo("signed");
    // One key notation everywhere: the bundle's hint names the key as policies' keys are named.
    assertThat(byPod.get("key-bundle").get("signer")).isEqualTo(fingerprint);
    assertThat(byPod.get("key-bundle").get("signer_verified")).isEqualTo("no");
    CSVRecord k = byPod.get("keyless");
    assertThat(k.get("signature")).isEqualTo("verified");
    assertThat(k.get("status")).isEqualTo("pass");
    assertThat(k.get("signer")).isEqualTo("dev@example.com");
    assertThat(k.get("signer_issuer")).isEqualTo("https://accounts.example.com");
    assertThat(k.get("signer_verified")).isEqualTo("yes");
    assertThat(k.get("tlog_evidence")).isEqualTo("yes");
    assertThat(k.get("tlog_integrated_time")).isEqualTo(FakeSigstore.SIGNING_TIME.toString());
    assertThat(byPod.get("unsigned").get("signature")).isEqualTo("unsigned");
    assertThat(byPod.get("unsigned").get("status")).isEqualTo("fail");

    // results.csv says the same, with the same signer notation.
    Map<String, CSVRecord> results = CsvScan.byColumn(dir.resolve("results.csv"), "workload_name");
    assertThat(results.get("key-bundle").get("signature")).isEqualTo("signed");
    assertThat(results.get("key-bundle").get("status")).isEqualTo("skip");
    assertThat(results.get("key-bundle").get("signer")).isEqualTo(fingerprint);
    assertThat(results.get("keyless").get("signature")).isEqualTo("verified");
    assertThat(results.get("keyless").get("signer")).isEqualTo("dev@example.com");
    assertThat(results.get("unsigned").get("status")).isEqualTo("fail");

    // PolicyReport results (one report per workload): only a verified signature passes; unsigned
    // is the inventory's finding.
    Map<String, String> verdicts = new HashMap<>();
    Map<String, String> states = new HashMap<>();
    for (var scoped : SigauditReports.scopedResults(kube.adminClient(), ns)) {
      var o = scoped.result();
      assertThat(o.get("policy").getAsString()).isEqualTo("signature-inventory");
      assertThat(o.get("severity").getAsString()).isEqualTo("info");
      String name = scoped.workload();
      verdicts.put(name, o.get("result").getAsString());
      states.put(name, o.getAsJsonObject("properties").get("signature").getAsString());
    }
    assertThat(verdicts)
        .containsEntry("key-legacy", "skip")
        .containsEntry("key-bundle", "skip")
        .containsEntry("keyless", "pass")
        .containsEntry("unsigned", "fail");
    assertThat(states)
        .containsEntry("key-legacy", "signed")
        .containsEntry("key-bundle", "signed")
        .containsEntry("keyless", "verified")
        .containsEntry("unsigned", "unsigned");

    String metrics = Files.readString(dir.resolve("sigaudit.prom"));
    assertThat(metrics)
        .contains(
            "sigaudit_results{namespace=\""
                + ns
                + "\",policy=\"signature-inventory\",registry=\""
                + env.distributionRegistry().hostPort()
                + "\",result=\"pass\",rule=\"\"} 1.0");
    // Distinct workloads by what is known of their signatures: signed (2) is not verified (1).
    for (var state : Map.of("unsigned", 1, "signed", 2, "verified", 1).entrySet()) {
      assertThat(metrics)
          .contains(
              "sigaudit_inventory_workloads{namespace=\""
                  + ns
                  + "\",signature=\""
                  + state.getKey()
                  + "\"} "
                  + state.getValue()
                  + ".0");
    }
  }
}
