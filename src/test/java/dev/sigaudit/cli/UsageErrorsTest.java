package dev.sigaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.SigauditCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees for a command line sigaudit cannot use: kubectl's shape, one {@code error:}
 * line, a suggestion when there is one, where the usage is; no usage dump, no stack trace. The same
 * cases run against the packaged jar in {@link CliErrorsIT}.
 */
class UsageErrorsTest {
  private static final String NL = System.lineSeparator();

  @Test
  void anUnknownFlagNamesItAndSuggestsTheClosestOne() {
    var run = SigauditCli.run("scan", "--namespce", "shop");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr())
        .isEqualTo(
            "error: unknown flag: --namespce"
                + NL
                + "did you mean --namespace?"
                + NL
                + "See 'sigaudit scan --help' for usage."
                + NL);
  }

  @Test
  void aValueOfTheWrongTypeNamesTheFlagAndTheValue() {
    var run = SigauditCli.run("scan", "--concurrency", "many");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr())
        .isEqualTo(
            "error: --concurrency: 'many' is not an int"
                + NL
                + "See 'sigaudit scan --help' for usage."
                + NL);
  }

  @Test
  void anUnknownOutputFormatListsTheKnownOnes() {
    var run = SigauditCli.run("scan", "-o", "xml");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr())
        .startsWith("error: --output: must be one of text, json, yaml (got 'xml')" + NL);
  }

  @Test
  void anUnknownFailOnConditionListsTheKnownOnes() {
    var run = SigauditCli.run("scan", "--fail-on", "fail,warn");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr())
        .startsWith("error: --fail-on: must be fail, error or would-block (got 'warn')" + NL);
  }

  @Test
  void aPolicyFileThatDoesNotExistIsRefusedBeforeAnythingIsRead(@TempDir Path tmp) {
    Path missing = tmp.resolve("policy.yaml");

    var run = SigauditCli.run("scan", "--policy", missing.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr()).isEqualTo("error: --policy: no such file (got " + missing + ")" + NL);
  }

  @Test
  void aKubeconfigThatIsNotYamlIsNamedAsAKubeconfig(@TempDir Path tmp) throws Exception {
    Path broken = Files.writeString(tmp.resolve("config"), "apiVersion: v1\nclusters: [\n");

    var run = SigauditCli.run("scan", "--kubeconfig", broken.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr())
        .startsWith("error: kubeconfig " + broken + " is not a kubeconfig: ")
        .doesNotContain("\tat ")
        .hasLineCount(1);
  }

  @Test
  void aKubeconfigThatIsNotTextIsNamedAsAKubeconfig(@TempDir Path tmp) throws Exception {
    Path binary = Files.write(tmp.resolve("config"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});

    var run = SigauditCli.run("scan", "--kubeconfig", binary.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr())
        .isEqualTo("error: kubeconfig " + binary + " is not a kubeconfig: not UTF-8 text" + NL);
  }

  @Test
  void aYamlFileThatIsNoKubeconfigSaysWhatIsMissing(@TempDir Path tmp) throws Exception {
    Path other = Files.writeString(tmp.resolve("config"), "kind: Deployment\n");

    var run = SigauditCli.run("scan", "--kubeconfig", other.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr())
        .isEqualTo(
            "error: kubeconfig "
                + other
                + " is not a kubeconfig: no current-context naming a cluster with a server"
                + NL);
  }
}
