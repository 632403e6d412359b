package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.sigaudit.cli.Main;
import dev.sigaudit.model.Digest;
import dev.sigaudit.testenv.CosignCli;
import dev.sigaudit.testenv.CsvScan;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.OciRegistry;
import dev.sigaudit.testenv.Pushgateway;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.RegistryHttp;
import dev.sigaudit.testenv.SigauditReports;
import dev.sigaudit.testenv.TestEnvironment;
import dev.sigaudit.testenv.TestImages;
import dev.sigaudit.testenv.TestImages.Pushed;
import dev.sigaudit.testenv.TestPods;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The verdict matrix of issue 3: images signed by the real cosign CLIs (v2 legacy, v3 bundles via
 * the referrers API and via the fallback tag), wrong keys, copied and tampered signatures, a
 * multi-arch index signed without --recursive, a registry that is down and one that answers 401.
 * One real scan of a real apiserver judges them all; every verdict is asserted, compared with
 * {@code cosign verify --key}, and read back from the PolicyReports, the CSV and the Pushgateway.
 */
@RealEnvironment
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerdictMatrixIT {
  /** A case: what the Pod runs, and the verdict sigaudit must give. */
  record Case(
      String name,
      String registry,
      String imageAsWritten,
      String imageId,
      String expected,
      String messageContains) {}

  private final List<Case> cases = new ArrayList<>();
  private final Map<String, String> cosignRefs = new LinkedHashMap<>();
  private TestEnvironment env;
  private KubeApiServer kube;
  private Pushgateway gateway;
  private Path dir;
  private String ns;
  private String cluster;
  private int exit;
  private String stdout;

  @BeforeAll
  void signScanAndCollect(TestEnvironment env, KubeApiServer kube, Pushgateway gateway)
      throws Exception {
    this.env = env;
    this.kube = kube;
    this.gateway = gateway;
    dir = env.newDirectory("matrix-");
    CosignCli v2 = env.cosignV2();
    CosignCli v3 = env.cosignV3();
    v2.generateKeyPair(dir, "a");
    v2.generateKeyPair(dir, "b");
    Path keyA = dir.resolve("a.key");
    OciRegistry withApi = env.referrersRegistry();
    OciRegistry dist = env.distributionRegistry();

    Pushed unsigned = TestImages.push(withApi, "matrix/unsigned", "1");
    add("unsigned", unsigned, "fail", "no signature");

    Pushed legacyA = TestImages.push(dist, "matrix/legacy-a", "1");
    v2.sign(keyA, legacyA.byDigest()).requireSuccess("sign legacy");
    add("key A legacy .sig (cosign v2)", legacyA, "pass", "");

    Pushed referrerA = TestImages.push(withApi, "matrix/bundle-a", "1");
    v3.sign(keyA, referrerA.byDigest()).requireSuccess("sign bundle via referrers API");
    add("key A bundle via referrers API (cosign v3)", referrerA, "pass", "");

    Pushed fallbackA = TestImages.push(dist, "matrix/bundle-a", "1");
    v3.sign(keyA, fallbackA.byDigest()).requireSuccess("sign bundle via fallback tag");
    add("key A bundle via fallback tag (cosign v3)", fallbackA, "pass", "");

    Pushed legacyB = TestImages.push(dist, "matrix/legacy-b", "1");
    v2.sign(dir.resolve("b.key"), legacyB.byDigest()).requireSuccess("sign with B");
    add("key B legacy", legacyB, "fail", "");

    Pushed bundleB = TestImages.push(withApi, "matrix/bundle-b", "1");
    v3.sign(dir.resolve("b.key"), bundleB.byDigest()).requireSuccess("sign bundle with B");
    add("key B bundle", bundleB, "fail", "");

    // A valid signature of image X, copied next to image Y.
    RegistryHttp distHttp = new RegistryHttp(dist);
    Pushed signedX = TestImages.push(dist, "matrix/copied", "x");
    Pushed victimY = TestImages.push(dist, "matrix/copied", "y");
    v2.sign(keyA, signedX.byDigest()).requireSuccess("sign X");
    byte[] sigX =
        distHttp.manifest(
            "matrix/copied", signedX.digest().tagForm() + ".sig", RegistryHttp.OCI_MANIFEST);
    distHttp.putManifest(
        "matrix/copied", victimY.digest().tagForm() + ".sig", RegistryHttp.OCI_MANIFEST, sigX);
    add("signature copied from another digest", victimY, "fail", signedX.digest().toString());

    // A signed payload altered after signing (new blob, same signature annotation).
    Pushed tampered = TestImages.push(dist, "matrix/tampered", "1");
    v2.sign(keyA, tampered.byDigest()).requireSuccess("sign tampered");
    String sigTag = tampered.digest().tagForm() + ".sig";
    String manifest =
        new String(
            distHttp.manifest("matrix/tampered", sigTag, RegistryHttp.OCI_MANIFEST),
            StandardCharsets.UTF_8);
    JsonObject m = com.google.gson.JsonParser.parseString(manifest).getAsJsonObject();
    JsonObject layer = m.getAsJsonArray("layers").get(0).getAsJsonObject();
    String payload =
        new String(
            distHttp.blob("matrix/tampered", Digest.parse(layer.get("digest").getAsString())),
            StandardCharsets.UTF_8);
    byte[] altered =
        payload
            .replace("\"optional\":null", "\"optional\":{\"by\":\"mallory\"}")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(altered).isNotEqualTo(payload.getBytes(StandardCharsets.UTF_8));
    layer.addProperty("digest", distHttp.putBlob("matrix/tampered", altered).toString());
    layer.addProperty("size", altered.length);
    distHttp.putManifest(
        "matrix/tampered",
        sigTag,
        RegistryHttp.OCI_MANIFEST,
        m.toString().getBytes(StandardCharsets.UTF_8));
    add("tampered payload", tampered, "fail", "");

    // A multi-arch index signed without --recursive; the Pod runs the amd64 image.
    Pushed amd64 = TestImages.push(dist, "matrix/multi", "amd64");
    Pushed arm64 = TestImages.push(dist, "matrix/multi", "arm64");
    String index =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
            + descriptor(distHttp, amd64, "amd64")
            + ","
            + descriptor(distHttp, arm64, "arm64")
            + "]}";
    Digest indexDigest =
        distHttp.putManifest(
            "matrix/multi", "v1", RegistryHttp.OCI_INDEX, index.getBytes(StandardCharsets.UTF_8));
    v2.sign(keyA, dist.hostPort() + "/matrix/multi@" + indexDigest).requireSuccess("sign index");
    cases.add(
        new Case(
            "index signed, platform digest running",
            dist.hostPort(),
            dist.hostPort() + "/matrix/multi:v1",
            amd64.imageId(),
            "fail",
            "no signature"));
    cosignRefs.put("index signed, platform digest running", amd64.byDigest());

    // Could-not-check cases: never pass, never fail.
    String downHost = "127.0.0.1:" + freePort();
    String someDigest = "sha256:" + "ef".repeat(32);
    cases.add(
        new Case(
            "registry down",
            downHost,
            downHost + "/matrix/down:1",
            downHost + "/matrix/down@" + someDigest,
            "error",
            "failed"));
    OciRegistry auth = env.authRegistry();
    cases.add(
        new Case(
            "registry answers 401",
            auth.hostPort(),
            auth.hostPort() + "/matrix/private:1",
            auth.hostPort() + "/matrix/private@" + someDigest,
            "error",
            "401"));

    // The cluster: one Pod per case, running exactly the digest above.
    ns = kube.createNamespace("matrix", Map.of());
    TestPods pods = new TestPods(kube.adminClient());
    for (int i = 0; i < cases.size(); i++) {
      pods.create(ns, "case-" + i, Map.of("app", cases.get(i).imageAsWritten()));
      pods.reportRunning(ns, "case-" + i, Map.of("app", cases.get(i).imageId()));
    }

    Path policy = dir.resolve("policy.yaml");
    Files.writeString(
        policy,
        """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata: {name: require-key-a}
        spec:
          severity: high
          rules:
            - name: signed-by-a
              images: ["127.0.0.1:*"]
              attestors:
                entries:
                  - publicKeyFile: a.pub
        """);
    cluster = "matrix-" + UUID.randomUUID().toString().substring(0, 6);
    List<String> args =
        new ArrayList<>(
            List.of(
                "scan",
                "--kubeconfig",
                kube.writeAdminKubeconfig(dir.resolve("kubeconfig")).toString(),
                "--namespace",
                ns,
                "--policy",
                policy.toString(),
                "--csv-dir",
                dir.resolve("csv").toString(),
                "--pushgateway",
                gateway.url(),
                "--cluster-name",
                cluster,
                "--progress-interval",
                "0",
                "--no-cluster-policies"));
    for (String host : List.of(withApi.hostPort(), dist.hostPort(), downHost, auth.hostPort())) {
      args.addAll(List.of("--insecure-registry", host));
    }
    var out = new java.io.ByteArrayOutputStream();
    var original = System.out;
    System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
    long t0 = System.nanoTime();
    try {
      exit = Main.run(args.toArray(String[]::new));
    } finally {
      System.setOut(original);
    }
    stdout = out.toString(StandardCharsets.UTF_8);
    System.out.printf(
        "verdict matrix scan: %.2fs wall (CLI in-process)%n%s%n",
        (System.nanoTime() - t0) / 1e9, stdout);
  }

  @Test
  void theScanCompletesAndEveryVerdictIsAsExpected() throws Exception {
    assertThat(exit).as(stdout).isZero();
    Map<String, CSVRecord> byPod = csvByPod();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      CSVRecord row = byPod.get("case-" + i);
      assertThat(row).as(c.name()).isNotNull();
      assertThat(row.get("status"))
          .as("%s: %s", c.name(), row.get("reason"))
          .isEqualTo(c.expected());
      assertThat(row.get("reason")).as(c.name()).contains(c.messageContains());
    }
  }

  @Test
  void everyVerdictAgreesWithCosignVerify() throws Exception {
    Map<String, CSVRecord> byPod = csvByPod();
    Path pubA = dir.resolve("a.pub");
    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      String ref = cosignRefs.get(c.name());
      if (ref == null) {
        continue; // the could-not-check cases: cosign fails too, and sigaudit says error, not fail
      }
      boolean cosignPasses = env.cosignV3().verify(pubA, ref).exitCode() == 0;
      boolean sigauditPasses = byPod.get("case-" + i).get("status").equals("pass");
      if (cosignPasses != sigauditPasses) {
        disagreements.add(c.name() + ": cosign " + cosignPasses + ", sigaudit " + sigauditPasses);
      }
      if (c.name().contains("legacy")
          || c.name().contains("copied")
          || c.name().contains("tampered")) {
        boolean v2Passes = env.cosignV2().verify(pubA, ref).exitCode() == 0;
        if (v2Passes != sigauditPasses) {
          disagreements.add(c.name() + ": cosign v2 " + v2Passes + ", sigaudit " + sigauditPasses);
        }
      }
    }
    assertThat(disagreements).isEmpty();
  }

  @Test
  void thePolicyReportHoldsOneResultPerCaseWithTheSameVerdicts() {
    Map<String, String> byPod = new HashMap<>();
    for (var scoped : SigauditReports.scopedResults(kube.adminClient(), ns)) {
      JsonObject r = scoped.result();
      String pod = scoped.workload();
      byPod.put(pod, r.get("result").getAsString());
      assertThat(r.get("policy").getAsString()).isEqualTo("require-key-a");
      assertThat(r.get("source").getAsString()).isEqualTo("sigaudit");
    }
    for (int i = 0; i < cases.size(); i++) {
      assertThat(byPod.get("case-" + i)).as(cases.get(i).name()).isEqualTo(cases.get(i).expected());
    }
    for (String result : List.of("pass", "fail", "error")) {
      assertThat(SigauditReports.summary(kube.adminClient(), ns, result))
          .as(result)
          .isEqualTo(count(result));
    }
  }

  @Test
  void thePushgatewayHoldsTheCountsPerRegistryAndResult() throws Exception {
    String metrics = gateway.scrape();
    Map<String, Integer> expected = new HashMap<>();
    for (Case c : cases) {
      expected.merge(c.registry() + "|" + c.expected(), 1, Integer::sum);
    }
    for (var e : expected.entrySet()) {
      String[] k = e.getKey().split("\\|");
      assertThat(metrics)
          .as(e.getKey())
          .contains(
              "sigaudit_results{cluster=\""
                  + cluster
                  + "\",instance=\"\",job=\"sigaudit\",namespace=\""
                  + ns
                  + "\",policy=\"require-key-a\",registry=\""
                  + k[0]
                  + "\",result=\""
                  + k[1]
                  + "\",rule=\"signed-by-a\"} "
                  + e.getValue());
    }
    assertThat(metrics)
        .containsPattern("sigaudit_last_success_timestamp_seconds\\{cluster=\"" + cluster + "\"");
  }

  private int count(String result) {
    return (int) cases.stream().filter(c -> c.expected().equals(result)).count();
  }

  private Map<String, CSVRecord> csvByPod() throws Exception {
    return CsvScan.byColumn(dir.resolve("csv").resolve("results.csv"), "workload_name");
  }

  private void add(String name, Pushed image, String expected, String messageContains) {
    cases.add(
        new Case(
            name, image.registry(), image.byTag(), image.imageId(), expected, messageContains));
    cosignRefs.put(name, image.byDigest());
  }

  private static String descriptor(RegistryHttp http, Pushed image, String arch) throws Exception {
    byte[] m =
        http.manifest(image.repository(), image.digest().toString(), RegistryHttp.OCI_MANIFEST);
    return "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
        + image.digest()
        + "\",\"size\":"
        + m.length
        + ",\"platform\":{\"architecture\":\""
        + arch
        + "\",\"os\":\"linux\"}}";
  }

  private static int freePort() throws Exception {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
