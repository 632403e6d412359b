package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.CsvScan;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.OciRegistry;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestEnvironment;
import dev.sigaudit.testenv.TestImages;
import dev.sigaudit.testenv.TestPods;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * The README quickstart: the packaged {@code target/sigaudit.jar}, run as a separate process
 * against the current kube context ({@code KUBECONFIG}). Also covers a container whose runtime has
 * not reported an imageID (its tag is resolved, and the row says so) and a policy whose signatures
 * live in a separate repository ({@code COSIGN_REPOSITORY}).
 */
@RealEnvironment
class JarQuickstartIT {

  @Test
  void thePackagedJarScansTheCurrentContext(TestEnvironment env, KubeApiServer kube)
      throws Exception {
    Path jar = Path.of("target", "sigaudit.jar");
    assertThat(jar).as("mvn package builds the jar before integration tests").exists();
    OciRegistry registry = env.distributionRegistry();
    Path dir = env.newDirectory("quickstart-");
    var cosign = env.cosignV2();
    cosign.generateKeyPair(dir, "release");

    var pending = TestImages.push(registry, "quick/app", "1.0");
    cosign.sign(dir.resolve("release.key"), pending.byDigest()).requireSuccess("sign");
    var elsewhere = TestImages.push(registry, "quick/other", "2.0");
    String sigRepo = registry.hostPort() + "/quick/signatures";
    cosign
        .sign(
            Map.of("COSIGN_REPOSITORY", sigRepo), dir.resolve("release.key"), elsewhere.byDigest())
        .requireSuccess("sign into a separate repository");

    String ns = kube.createNamespace("quick", Map.of());
    TestPods pods = new TestPods(kube.adminClient());
    pods.create(ns, "not-started", Map.of("app", pending.byTag())); // no status: tag is resolved
    pods.create(ns, "sig-elsewhere", Map.of("app", elsewhere.byTag()));
    pods.reportRunning(ns, "sig-elsewhere", Map.of("app", elsewhere.imageId()));

    Files.writeString(
        dir.resolve("policy.yaml"),
        """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata: {name: release}
        spec:
          rules:
            - name: app
              images: ["*/quick/app:*"]
              attestors: {entries: [{publicKeyFile: release.pub}]}
            - name: other
              images: ["*/quick/other:*"]
              signatureRepository: %s
              attestors: {entries: [{publicKeyFile: release.pub}]}
        """
            .formatted(sigRepo));
    Path kubeconfig = kube.writeAdminKubeconfig(dir.resolve("config"));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                javaBinary(),
                "-jar",
                jar.toString(),
                "scan",
                "-n",
                ns,
                "--policy",
                dir.resolve("policy.yaml").toString(),
                "--insecure-registry",
                registry.hostPort(),
                "--csv-dir",
                dir.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    System.out.println(output);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("POLICY").contains("release");

    Map<String, CSVRecord> byPod = new HashMap<>();
    CsvScan.rows(dir.resolve("results.csv"))
        .forEach(rec -> byPod.put(rec.get("workload_name") + "/" + rec.get("rule"), rec));
    CSVRecord resolved = byPod.get("not-started/app");
    assertThat(resolved.get("status")).as(resolved.get("reason")).isEqualTo("pass");
    assertThat(resolved.get("digest_source")).isEqualTo("tag-resolved");
    assertThat(resolved.get("running_digest")).isEqualTo(pending.digest().toString());
    CSVRecord separate = byPod.get("sig-elsewhere/other");
    assertThat(separate.get("status")).as(separate.get("reason")).isEqualTo("pass");
    assertThat(separate.get("digest_source")).isEqualTo("imageID");
  }

  @Test
  void aSeparateSignatureRepositoryIsNotFoundWithoutThePolicySayingSo(
      TestEnvironment env, KubeApiServer kube) throws Exception {
    // The control for the test above: the same signature, looked up in the image's own repository.
    OciRegistry registry = env.distributionRegistry();
    Path dir = env.newDirectory("sigrepo-");
    var cosign = env.cosignV2();
    cosign.generateKeyPair(dir, "release");
    var image = TestImages.push(registry, "quick/moved", "1");
    cosign
        .sign(
            Map.of("COSIGN_REPOSITORY", registry.hostPort() + "/quick/sigs2"),
            dir.resolve("release.key"),
            image.byDigest())
        .requireSuccess("sign");
    String ns = kube.createNamespace("sigrepo", Map.of());
    TestPods pods = new TestPods(kube.adminClient());
    pods.create(ns, "p", Map.of("app", image.byTag()));
    pods.reportRunning(ns, "p", Map.of("app", image.imageId()));
    Files.writeString(
        dir.resolve("policy.yaml"),
        """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata: {name: release}
        spec:
          rules:
            - name: moved
              images: ["*/quick/moved:*"]
              attestors: {entries: [{publicKeyFile: release.pub}]}
        """);
    var run =
        CsvScan.scan(
            kube,
            dir,
            "-n",
            ns,
            "--policy",
            dir.resolve("policy.yaml").toString(),
            "--insecure-registry",
            registry.hostPort(),
            "--csv-dir",
            dir.toString(),
            "--no-policy-reports");
    assertThat(run.exitCode()).isZero();
    assertThat(Files.readString(dir.resolve("results.csv"))).contains(",fail,");
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
