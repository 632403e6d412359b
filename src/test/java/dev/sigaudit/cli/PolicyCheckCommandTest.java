package dev.sigaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.policy.TestKeys;
import dev.sigaudit.testenv.SigauditCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sigaudit policy check}: offline, one line per problem, what each policy checks. */
class PolicyCheckCommandTest {
  @TempDir Path dir;

  static String pem(int indent) {
    return TestKeys.publicPem(TestKeys.ec("secp256r1"))
        .strip()
        .replace("\n", "\n" + " ".repeat(indent));
  }

  Path clusterImagePolicy() throws Exception {
    Path file = dir.resolve("cip.yaml");
    Files.writeString(
        file,
        """
        apiVersion: policy.sigstore.dev/v1beta1
        kind: ClusterImagePolicy
        metadata: {name: release-signed}
        spec:
          images: [{glob: "registry.test/**"}]
          authorities:
            - keyless:
                identities:
                  - issuer: https://token.actions.githubusercontent.com
                    subject: https://github.com/acme/app/.github/workflows/release.yaml@refs/heads/main
        """);
    return file;
  }

  @Test
  void aValidFileExitsZeroAndSaysWhatItWouldCheck() throws Exception {
    Path file = clusterImagePolicy();

    var run = SigauditCli.run("policy", "check", file.toString());

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout())
        .contains(
            "ClusterImagePolicy/release-signed (Sigstore ClusterImagePolicy from "
                + file
                + " document 1, mode enforce)")
        .contains("namespaces: labelled policy.sigstore.dev/include=true")
        .contains("rule authorities: images registry.test/**; signed by keyless (issuer")
        .contains(
            "subject https://github.com/acme/app/.github/workflows/release.yaml@refs/heads/main")
        .contains("1 policy loaded, 0 problems");
  }

  @Test
  void eachProblemIsOneLineWithFileDocumentAndFieldAndTheExitCodeIsOne() throws Exception {
    Path file = dir.resolve("mixed.yaml");
    Files.writeString(
        file,
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
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        ---
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata: {name: no-name-rule}
        spec:
          validationFailureAction: Sometimes
          rules:
            - name: r
              match: {any: [{resources: {kinds: [Pod]}}]}
              verifyImages:
                - imageReferences: ["*"]
                  attestors: [{entries: [{keys: {publicKeys: "k8s://ns/key"}}]}]
        """
            .formatted(pem(22)));
    Path missing = dir.resolve("absent.yaml");

    var run = SigauditCli.run("policy", "check", file.toString(), missing.toString());

    assertThat(run.exitCode()).isEqualTo(PolicyCheckCommand.PROBLEMS);
    assertThat(run.stdout().lines())
        .contains(missing + ": no such file")
        .anyMatch(
            l ->
                l.startsWith(file + ": document 2: kind: apiVersion 'apps/v1' kind 'Deployment'")
                    && l.contains("expected one of"))
        .anyMatch(
            l ->
                l.startsWith(
                    file
                        + ": document 3 ClusterPolicy/no-name-rule: spec.validationFailureAction"));
    // The valid policy of the same file still loads and is described.
    assertThat(run.stdout()).contains("own (sigaudit policy from " + file + " document 1");
  }

  @Test
  void aFileIsRequired() {
    var run = SigauditCli.run("policy", "check");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
  }
}
