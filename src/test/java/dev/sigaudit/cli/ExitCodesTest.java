package dev.sigaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.SigauditCli;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exit codes that need no cluster: 2, a flag or file sigaudit cannot use stops the scan before
 * anything is read, with one line naming it; 3, an apiserver nothing answers for. (With the real
 * apiserver: ExitCodesIT.)
 */
class ExitCodesTest {

  @ParameterizedTest
  @CsvSource(
      quoteCharacter = '"',
      delimiter = '|',
      textBlock =
          """
          --concurrency             | 0            | --concurrency: must be at least 1 (got 0)
          --registry-concurrency    | -1           | --registry-concurrency: must be at least 1 (got -1)
          --registry-request-budget | 0            | --registry-request-budget: must be at least 1 (got 0)
          --page-size               | 0            | --page-size: must be at least 1 (got 0)
          --max-report-results      | 0            | --max-report-results: must be at least 1 (got 0)
          --progress-interval       | -5           | --progress-interval: must be at least 0 (got -5)
          --pushgateway             | ftp://pg:91  | --pushgateway: must be an http(s)://HOST[:PORT] URL (got ftp://pg:91)
          --cluster-name            | " "          | --cluster-name: must not be empty (got ' ')
          --insecure-registry       | host/path    | --insecure-registry: must be HOST[:PORT] (got 'host/path')
          """)
  void aFlagOutOfRangeIsOneLineNamingIt(String flag, String value, String message) {
    var run = SigauditCli.run("scan", flag, value);
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr()).isEqualTo("error: " + message + System.lineSeparator());
  }

  @Test
  void aValuePicocliCannotConvertIsAUsageError() {
    var run = SigauditCli.run("scan", "--cache-max-age", "soon");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr()).contains("'soon' is not a duration");
  }

  @Test
  void aMissingKubeconfigIsAUsageError(@TempDir Path tmp) {
    Path missing = tmp.resolve("nope");
    var run = SigauditCli.run("scan", "--kubeconfig", missing.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr())
        .isEqualTo(
            "error: kubeconfig "
                + missing
                + " does not exist or is not a file"
                + System.lineSeparator());
  }

  @Test
  void policyFilesWithoutAUsablePolicyAreAUsageError(@TempDir Path tmp) throws IOException {
    Path kubeconfig = unreachableKubeconfig(tmp);
    var run =
        SigauditCli.run(
            "scan",
            "--kubeconfig",
            kubeconfig.toString(),
            "--no-cluster-policies",
            "--policy",
            Files.writeString(tmp.resolve("broken.yaml"), "kind: [").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr())
        .contains("policy error: " + tmp.resolve("broken.yaml"))
        .endsWith(
            "error: no usable policy in the given --policy files (see the errors above)"
                + System.lineSeparator());
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void anApiserverThatCannotBeReachedIsExitCode3(boolean clusterPolicies, @TempDir Path tmp)
      throws IOException {
    // Connection refused on loopback: no timeout involved.
    List<String> args =
        new ArrayList<>(
            List.of(
                "scan",
                "--kubeconfig",
                unreachableKubeconfig(tmp).toString(),
                "--no-policy-reports",
                "--progress-interval",
                "0"));
    if (!clusterPolicies) {
      args.add("--no-cluster-policies");
    }
    var run = SigauditCli.run(args.toArray(String[]::new));
    assertThat(run.exitCode()).isEqualTo(ExitCodes.CLUSTER);
    assertThat(run.stderr())
        .contains("error: reading the cluster failed: the apiserver did not answer (")
        .doesNotContain("HTTP response code");
    if (clusterPolicies) {
      assertThat(run.stderr())
          .contains("policy error: cluster: clusterpolicies.kyverno.io: cannot list");
    }
  }

  /** A kubeconfig for a port nothing listens on: building the client does not connect. */
  static Path unreachableKubeconfig(Path dir) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    return Files.writeString(
        dir.resolve("kubeconfig"),
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
        users:
        - name: u
          user: {token: "t"}
        contexts:
        - name: c
          context: {cluster: c, user: u}
        current-context: c
        """
            .formatted(port));
  }
}
