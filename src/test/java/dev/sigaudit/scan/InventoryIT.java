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
 * image, signed or not, its signature formats, key hint or verified certificate identity and
 * issuer, transparency-log evidence and time — in inventory.csv, metrics and informational
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

    Map<String, CSVRecord> byPod = CsvScan.byColumn(dir.resolve("inventory.csv"), "pod");
    assertThat(byPod.get("key-legacy").get("signed")).isEqualTo("yes");
    assertThat(byPod.get("key-legacy").get("signature_format")).isEqualTo("legacy-sig");
    assertThat(byPod.get("key-bundle").get("signature_format")).isEqualTo("bundle-referrer");
    assertThat(byPod.get("key-bundle").get("signer")).startsWith("key hint:");
    CSVRecord k = byPod.get("keyless");
    assertThat(k.get("signer")).isEqualTo("keyless:dev@example.com");
    assertThat(k.get("signer_issuer")).isEqualTo("https://accounts.example.com");
    assertThat(k.get("signer_verified")).isEqualTo("yes");
    assertThat(k.get("tlog_evidence")).isEqualTo("yes");
    assertThat(k.get("tlog_integrated_time")).isEqualTo(FakeSigstore.SIGNING_TIME.toString());
    assertThat(byPod.get("unsigned").get("signed")).isEqualTo("no");

    // Informational PolicyReport results: signed pass, unsigned skip — no violations.
    Map<String, String> results = new HashMap<>();
    for (var o : SigauditReports.results(kube.adminClient(), ns)) {
      assertThat(o.get("policy").getAsString()).isEqualTo("signature-inventory");
      assertThat(o.get("severity").getAsString()).isEqualTo("info");
      results.put(
          o.getAsJsonArray("resources").get(0).getAsJsonObject().get("name").getAsString(),
          o.get("result").getAsString());
    }
    assertThat(results)
        .containsEntry("key-legacy", "pass")
        .containsEntry("keyless", "pass")
        .containsEntry("unsigned", "skip");
    assertThat(SigauditReports.summary(kube.adminClient(), ns, "fail")).isZero();

    assertThat(Files.readString(dir.resolve("sigaudit.prom")))
        .contains(
            "sigaudit_results{namespace=\""
                + ns
                + "\",policy=\"signature-inventory\",registry=\""
                + env.distributionRegistry().hostPort()
                + "\",result=\"pass\",rule=\"\"} 2.0");
  }
}
