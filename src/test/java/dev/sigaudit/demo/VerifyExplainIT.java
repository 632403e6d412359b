package dev.sigaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestEnvironment;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code sigaudit verify}, {@code explain} and {@code policy check}, run as the packaged jar
 * against the demo's real registries, cosign-signed images and apiserver: verify judges by the
 * demo's cluster policies given as <em>files</em> (no cluster reachable) and reaches, image by
 * image, the verdicts the scan reaches with the same policies read from the cluster; explain reads
 * one workload from the apiserver; policy check validates the files offline.
 */
@RealEnvironment
class VerifyExplainIT {
  private static final Pattern VERDICT =
      Pattern.compile("^ {4}(PASS|FAIL|ERROR|SKIP) +(\\S+) rule \\S+: (.*)$");

  record Run(int exitCode, String stdout, String stderr) {}

  static Run sigaudit(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(DemoScan.command(Path.of("").toAbsolutePath()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out-", ".txt");
    Path err = Files.createTempFile(dir, "err-", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    // No cluster for verify: a kubeconfig that does not exist would fail any attempt to use one.
    pb.environment().put("KUBECONFIG", dir.resolve("no-such-kubeconfig").toString());
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("sigaudit " + String.join(" ", args) + " did not finish");
    }
    Run r =
        new Run(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    System.out.printf(
        "sigaudit %s -> exit %d%n%s%s%n",
        String.join(" ", args), r.exitCode(), r.stderr(), r.stdout());
    return r;
  }

  /** Policy name → result, from the verdict lines verify and explain print. */
  static Map<String, String> verdicts(String stdout) {
    Map<String, String> out = new HashMap<>();
    for (String line : stdout.lines().toList()) {
      Matcher m = VERDICT.matcher(line);
      if (m.matches()) {
        out.put(m.group(2), m.group(1).toLowerCase(java.util.Locale.ROOT));
      }
    }
    return out;
  }

  static String documents(ObjectNode... objects) {
    List<String> docs = new ArrayList<>();
    for (ObjectNode o : objects) {
      docs.add(o.toString() + "\n"); // JSON is YAML
    }
    return String.join("---\n", docs);
  }

  @Test
  void verifyJudgesByPolicyFilesAsTheScanJudgesByTheClustersPoliciesAndExplainReadsAWorkload(
      TestEnvironment env) throws Exception {
    KubeApiServer kube = env.startPrivateKube();
    Path dir = env.newDirectory("verify-");
    DemoCluster.Built cluster = DemoCluster.build(env, kube, dir);
    String pem = Files.readString(dir.resolve("keys/release.pub"));
    Path clusterPolicies = dir.resolve("cluster-policies.yaml");
    Files.writeString(
        clusterPolicies,
        documents(
            DemoCluster.kyvernoClusterPolicy(pem),
            DemoCluster.imageValidatingPolicy(pem),
            DemoCluster.clusterImagePolicy(pem)));
    String[] registries = {
      "--insecure-registry",
      cluster.distribution().hostPort(),
      "--insecure-registry",
      cluster.referrers().hostPort()
    };

    // The scan, with the same policies read from the cluster: the reference verdicts.
    DemoScan.Outputs outputs = new DemoScan.Outputs(dir.resolve("scan"));
    DemoScan.Result scan = DemoScan.run(Path.of("").toAbsolutePath(), cluster, outputs);
    assertThat(scan.exitCode()).as(scan.stderr()).isZero();
    List<CSVRecord> rows = csv(outputs.resultsCsv());

    // policy check: the three cluster policies and the policy file are valid, offline.
    Run check =
        sigaudit(
            dir, "policy", "check", clusterPolicies.toString(), cluster.policyFile().toString());
    assertThat(check.exitCode()).as(check.stdout()).isZero();
    assertThat(check.stdout())
        .contains(
            "ClusterPolicy/require-release-signature (Kyverno ClusterPolicy from "
                + clusterPolicies
                + " document 1")
        .contains("ImageValidatingPolicy/verify-release-signature (Kyverno ImageValidatingPolicy")
        .contains("ClusterImagePolicy/release-signed (Sigstore ClusterImagePolicy")
        .contains("rule release-key: images 127.0.0.1:*; signed by key SHA256:")
        .contains("4 policies loaded, 0 problems");

    for (DemoWorkload w : DemoWorkload.ALL) {
      String registry =
          w.signing() == DemoWorkload.Signing.COSIGN_V3_BUNDLE
              ? cluster.referrers().hostPort()
              : cluster.distribution().hostPort();
      String image = registry + "/" + w.repository() + ":" + w.tag();
      List<String> args =
          new ArrayList<>(
              List.of(
                  "verify",
                  image,
                  "-n",
                  w.namespace(),
                  "--policy",
                  clusterPolicies.toString(),
                  "--policy",
                  cluster.policyFile().toString()));
      args.addAll(List.of(registries));
      Run verify = sigaudit(dir, args.toArray(String[]::new));

      assertThat(verify.exitCode()).as(verify.stderr()).isZero();
      assertThat(verify.stdout())
          .contains("(resolved: tag " + w.tag() + " names this digest in the registry now)")
          .contains("(Kyverno ClusterPolicy from " + clusterPolicies + " document 1)");
      Map<String, String> fromScan = new HashMap<>();
      rows.stream()
          .filter(
              r ->
                  r.get("namespace").equals(w.namespace())
                      && r.get("workload_name").equals(w.name())
                      && DemoIT.POLICIES.contains(r.get("policy")))
          .forEach(r -> fromScan.put(r.get("policy"), r.get("status")));
      assertThat(fromScan).as(w.name() + " in the scan").hasSize(DemoIT.POLICIES.size());
      assertThat(verdicts(verify.stdout()))
          .as(w.name() + ": verify with policy files vs the scan with the cluster's policies")
          .isEqualTo(fromScan);
      assertThat(verdicts(verify.stdout()).get(DemoIT.FILE_POLICY))
          .isEqualTo(w.signing().fileVerdict);
      switch (w.signing()) {
        case COSIGN_V2_SIG ->
            assertThat(verify.stdout())
                .containsPattern("1\\. legacy-sig sha256:[0-9a-f]{12} via the legacy \\.sig tag")
                .contains("verified (legacy-sig, signed by SHA256:");
        case COSIGN_V3_BUNDLE ->
            assertThat(verify.stdout())
                .containsPattern("bundle-referrer sha256:[0-9a-f]{12} via the referrers API")
                .contains("a signature format the policy does not read");
        case WRONG_KEY -> assertThat(verify.stdout()).contains("rejected, no signature verified:");
        // cosign v2 stores an attestation under its .att tag: no signature route finds it.
        case UNSIGNED, SBOM_ATTESTATION -> assertThat(verify.stdout()).contains(": none found");
      }
    }

    // A digest is checked as written, and the output says where it came from.
    DemoWorkload frontend = DemoWorkload.ALL.get(0);
    String pinned =
        cluster.distribution().hostPort()
            + "/"
            + frontend.repository()
            + "@"
            + cluster.digestByRepository().get(frontend.repository());
    Run byDigest =
        sigaudit(
            dir,
            "verify",
            pinned,
            "--policy",
            cluster.policyFile().toString(),
            "--insecure-registry",
            cluster.distribution().hostPort());
    assertThat(byDigest.exitCode()).isZero();
    assertThat(byDigest.stdout()).contains("(as written in the image reference)");
    assertThat(verdicts(byDigest.stdout())).containsEntry(DemoIT.FILE_POLICY, "pass");

    // explain: the workload's running Pods, from the apiserver, with the cluster's own policies.
    List<String> explainArgs =
        new ArrayList<>(
            List.of(
                "explain",
                frontend.namespace() + "/Deployment/" + frontend.name(),
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "--policy",
                cluster.policyFile().toString()));
    explainArgs.addAll(List.of(registries));
    Run explain = sigaudit(dir, explainArgs.toArray(String[]::new));
    assertThat(explain.exitCode()).as(explain.stderr()).isZero();
    assertThat(explain.stdout())
        .contains("Deployment/shop/frontend: " + frontend.pods() + " running Pods")
        .contains("(running, from the Pod status imageID)")
        .contains("(Kyverno ClusterPolicy in the cluster)");
    assertThat(verdicts(explain.stdout()).keySet()).containsAll(DemoIT.POLICIES);
    assertThat(verdicts(explain.stdout())).containsEntry(DemoIT.FILE_POLICY, "pass");

    Run missing =
        sigaudit(
            dir,
            "explain",
            "shop/Deployment/no-such-app",
            "--kubeconfig",
            cluster.kubeconfig().toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr().lines())
        .anyMatch(
            l ->
                l.startsWith("error: no running Pod of deployment no-such-app in namespace shop")
                    && l.contains("Deployment/frontend"));
    assertThat(missing.stderr()).doesNotContain("cluster policies:");
  }

  @Test
  void policyCheckReportsEachBrokenDocumentAndExitsOne(TestEnvironment env) throws Exception {
    Path dir = env.newDirectory("policy-check-");
    Path file = dir.resolve("policies.yaml");
    Files.writeString(
        file,
        """
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata: {name: ok}
        spec:
          rules:
            - name: r
              match: {any: [{resources: {kinds: [Pod]}}]}
              verifyImages:
                - imageReferences: ["ghcr.io/acme/*"]
                  attestors:
                    - entries:
                        - keyless:
                            subject: https://github.com/acme/app/.github/workflows/release.yaml@refs/heads/main
                            issuer: https://token.actions.githubusercontent.com
        ---
        apiVersion: policy.sigstore.dev/v1beta1
        kind: ClusterImagePolicy
        metadata: {name: no-images}
        spec:
          authorities: [{static: {action: pass}}]
        ---
        kind: ConfigMap
        apiVersion: v1
        metadata: {name: x}
        """);

    Run check = sigaudit(dir, "policy", "check", file.toString());

    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.stdout().lines())
        .anyMatch(
            l -> l.startsWith(file + ": document 2 ClusterImagePolicy/no-images: spec.images"))
        .anyMatch(l -> l.startsWith(file + ": document 3: kind: apiVersion 'v1' kind 'ConfigMap'"));
    assertThat(check.stdout())
        .contains("ClusterPolicy/ok (Kyverno ClusterPolicy from " + file + " document 1")
        .contains(
            "images ghcr.io/acme/*; signed by keyless (issuer https://token.actions.githubusercontent.com");
  }

  private static List<CSVRecord> csv(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file)) {
      return CSVFormat.DEFAULT
          .builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .get()
          .parse(r)
          .getRecords();
    }
  }
}
