package dev.sigaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The command line as a person meets it: the packaged {@code target/sigaudit.jar} in its own JVM.
 * Each mistake gets kubectl's shape ({@code error: …}, one or two lines, the documented exit code,
 * no stack trace); {@code -o json|yaml} keeps stdout for the document and the log on stderr; {@code
 * --fail-on} is the only way findings change the exit code.
 */
@RealEnvironment
class CliJarIT {
  private static final Path JAR = Path.of("target", "sigaudit.jar");

  record Run(int exit, String stdout, String stderr) {}

  private static Run jar(Path dir, String... args) throws Exception {
    assertThat(JAR).as("mvn package builds the jar before integration tests").exists();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    // No kube context of the machine's user may leak into a test.
    pb.environment().put("KUBECONFIG", dir.resolve("no-such-kubeconfig").toString());
    pb.environment().remove("KUBERNETES_SERVICE_HOST");
    Process p = pb.start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    Run run =
        new Run(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    System.out.printf(
        "sigaudit %s -> %d%n%s%s%n",
        String.join(" ", args), run.exit(), run.stderr(), run.stdout());
    return run;
  }

  @Test
  void aMissingKubeconfigIsNamed(TestEnvironment env) throws Exception {
    Path dir = env.newDirectory("cli-kc-");
    Path missing = dir.resolve("kubeconfig");

    Run run = jar(dir, "scan", "--kubeconfig", missing.toString());

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr())
        .isEqualTo("error: kubeconfig " + missing + " does not exist or is not a file\n");
  }

  @Test
  void aBrokenKubeconfigIsNamedAsOneWithoutAStackTrace(TestEnvironment env) throws Exception {
    Path dir = env.newDirectory("cli-kc-");
    Path yaml = Files.writeString(dir.resolve("broken"), "apiVersion: v1\nclusters: [\n");
    Path binary = Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});

    Run notYaml = jar(dir, "scan", "--kubeconfig", yaml.toString());
    Run notText = jar(dir, "scan", "--kubeconfig", binary.toString());

    assertThat(notYaml.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(notYaml.stderr())
        .startsWith("error: kubeconfig " + yaml + " is not a kubeconfig: ")
        .hasLineCount(1);
    assertThat(notText.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(notText.stderr())
        .isEqualTo("error: kubeconfig " + binary + " is not a kubeconfig: not UTF-8 text\n");
  }

  @Test
  void anUnknownFlagSuggestsTheClosestOneInsteadOfPrintingTheUsage(TestEnvironment env)
      throws Exception {
    Run run = jar(env.newDirectory("cli-flag-"), "scan", "--namespce", "shop");

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr())
        .isEqualTo(
            "error: unknown flag: --namespce\n"
                + "did you mean --namespace?\n"
                + "See 'sigaudit scan --help' for usage.\n");
    assertThat(run.stdout()).isEmpty();
  }

  @Test
  void aMalformedFlagValueNamesTheFlag(TestEnvironment env) throws Exception {
    Path dir = env.newDirectory("cli-flag-");

    Run notANumber = jar(dir, "scan", "--concurrency", "many");
    Run outOfRange = jar(dir, "scan", "--concurrency", "0");
    Run badFormat = jar(dir, "scan", "-o", "xml");

    assertThat(notANumber.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(notANumber.stderr())
        .isEqualTo(
            "error: --concurrency: 'many' is not an int\nSee 'sigaudit scan --help' for usage.\n");
    assertThat(outOfRange.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(outOfRange.stderr()).isEqualTo("error: --concurrency: must be at least 1 (got 0)\n");
    assertThat(badFormat.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badFormat.stderr())
        .isEqualTo(
            "error: --output: must be one of text, json, yaml (got 'xml')\n"
                + "See 'sigaudit scan --help' for usage.\n");
  }

  @Test
  void aPolicyPathThatDoesNotExistStopsTheScanEvenWhenTheClusterHasPolicies(
      TestEnvironment env, KubeApiServer kube) throws Exception {
    Path dir = env.newDirectory("cli-policy-");
    Path kubeconfig = kube.writeAdminKubeconfig(dir.resolve("kc"));
    Path missing = dir.resolve("policy.yaml");

    Run run = jar(dir, "scan", "--kubeconfig", kubeconfig.toString(), "-p", missing.toString());

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr()).isEqualTo("error: --policy: no such file (got " + missing + ")\n");
  }

  @Test
  void aClusterThatDoesNotServePolicyReportsIsToldBeforeTheScan(TestEnvironment env)
      throws Exception {
    KubeApiServer bare = env.startBareKube();
    Path dir = env.newDirectory("cli-crd-");
    Path kubeconfig = bare.writeAdminKubeconfig(dir.resolve("kc"));

    Run run =
        jar(
            dir,
            "scan",
            "--kubeconfig",
            kubeconfig.toString(),
            "--no-cluster-policies",
            "--progress-interval",
            "0");

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    List<String> lines = run.stderr().lines().toList();
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo(
            "error: this cluster's API wgpolicyk8s.io/v1alpha2 is not served (404), so"
                + " PolicyReports cannot be written: install the PolicyReport CRDs (Kyverno and"
                + " Policy Reporter ship them), or add --no-policy-reports (--dry-run prints the"
                + " reports instead)");
    assertThat(run.stderr()).doesNotContain("\tat ").doesNotContain("404 page not found");
    assertThat(run.stderr()).as("nothing was scanned").doesNotContain("listed ");

    Run without =
        jar(
            dir,
            "scan",
            "--kubeconfig",
            kubeconfig.toString(),
            "--no-cluster-policies",
            "--no-policy-reports",
            "--progress-interval",
            "0");
    assertThat(without.exit()).as(without.stderr()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void anApiserverThatDoesNotAnswerIsExitCode3WithoutAStackTrace(TestEnvironment env)
      throws Exception {
    Path dir = env.newDirectory("cli-down-");
    Path kubeconfig = ExitCodesTest.unreachableKubeconfig(dir);

    Run run =
        jar(
            dir,
            "scan",
            "--kubeconfig",
            kubeconfig.toString(),
            "--no-cluster-policies",
            "--progress-interval",
            "0");

    assertThat(run.exit()).isEqualTo(ExitCodes.CLUSTER);
    List<String> lines = run.stderr().lines().toList();
    assertThat(lines.get(lines.size() - 1))
        .startsWith("error: reading the cluster failed: the apiserver did not answer (")
        .contains("Exception: ")
        .endsWith(")");
    assertThat(run.stderr()).doesNotContain("\tat ").doesNotContain("HTTP response");
  }

  @Test
  void jsonAndYamlPrintTheScanResultOnStdoutAndFailOnGatesTheExitCode(
      TestEnvironment env, KubeApiServer kube) throws Exception {
    OciRegistry registry = env.distributionRegistry();
    Path dir = env.newDirectory("cli-json-");
    env.cosignV2().generateKeyPair(dir, "k");
    var unsigned = TestImages.push(registry, "cli/unsigned", "1");
    String ns = kube.createNamespace("cli-json", Map.of());
    TestPods pods = new TestPods(kube.adminClient());
    pods.create(ns, "app", Map.of("app", unsigned.byTag()));
    pods.reportRunning(ns, "app", Map.of("app", unsigned.imageId()));
    Path policy = CsvScan.keyPolicy(dir, "release");
    Path kubeconfig = kube.writeAdminKubeconfig(dir.resolve("kc"));
    List<String> scan =
        List.of(
            "scan",
            "--kubeconfig",
            kubeconfig.toString(),
            "-n",
            ns,
            "--no-cluster-policies",
            "--no-policy-reports",
            "--policy",
            policy.toString(),
            "--insecure-registry",
            registry.hostPort(),
            "--progress-interval",
            "0");

    Run json = jar(dir, concat(scan, "-o", "json", "--fail-on", "error,fail"));
    Run yaml = jar(dir, concat(scan, "-o", "yaml"));
    Run text = jar(dir, scan.toArray(String[]::new));

    assertThat(json.exit()).as(json.stderr()).isEqualTo(ExitCodes.FINDINGS);
    JsonNode doc = new ObjectMapper().readTree(json.stdout());
    assertThat(doc.path("kind").asText()).isEqualTo("ScanResult");
    assertThat(doc.path("summary").path("results").path("fail").asInt()).isEqualTo(1);
    JsonNode result = doc.path("results").get(0);
    assertThat(result.path("namespace").asText()).isEqualTo(ns);
    assertThat(result.path("result").asText()).isEqualTo("fail");
    assertThat(result.path("cause").asText()).isEqualTo("unsigned");
    assertThat(doc.path("failedOn").toString()).isEqualTo("[\"fail\"]");
    assertThat(json.stderr())
        .as("the log stays on stderr")
        // The apiserver is shared with other tests: how many Pods it lists depends on them.
        .containsPattern("listed \\d+ pods")
        .contains("--fail-on fail: the scan found what it was asked to fail on (exit code 1)");

    assertThat(yaml.exit()).as("Audit mode: findings alone never change the exit code").isZero();
    JsonNode fromYaml = new ObjectMapper(new YAMLFactory()).readTree(yaml.stdout());
    assertThat(fromYaml.path("results").get(0).path("cause").asText()).isEqualTo("unsigned");

    assertThat(text.exit()).isZero();
    assertThat(text.stdout())
        .contains("  unsigned (1)\n")
        .contains("    " + ns + "/Pod/app  signed  " + unsigned.registry() + "/cli/unsigned@");
  }

  private static String[] concat(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void aPlainHttpRegistryIsAnErrorWhoseCauseAndFixTheSummaryPrints(
      TestEnvironment env, KubeApiServer kube) throws Exception {
    OciRegistry registry = env.distributionRegistry();
    Path dir = env.newDirectory("cli-http-");
    env.cosignV2().generateKeyPair(dir, "k");
    var image = TestImages.push(registry, "cli/plain", "1");
    String ns = kube.createNamespace("cli-http", Map.of());
    TestPods pods = new TestPods(kube.adminClient());
    pods.create(ns, "app", Map.of("app", image.byTag()));
    pods.reportRunning(ns, "app", Map.of("app", image.imageId()));
    Path kubeconfig = kube.writeAdminKubeconfig(dir.resolve("kc"));

    // The test registries serve plain HTTP: without --insecure-registry, sigaudit speaks TLS.
    Run run =
        jar(
            dir,
            "scan",
            "--kubeconfig",
            kubeconfig.toString(),
            "-n",
            ns,
            "--no-cluster-policies",
            "--no-policy-reports",
            "--policy",
            CsvScan.keyPolicy(dir, "release").toString(),
            "--progress-interval",
            "0");

    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(run.stdout())
        .contains("Could not check (1 workload × policy), by cause:\n")
        .contains(
            "  registry unreachable: plain-HTTP registry (1) — fix: add --insecure-registry "
                + registry.hostPort()
                + " if it serves plain HTTP on purpose\n"
                + "    "
                + ns
                + "/Pod/app  signed  "
                + registry.hostPort()
                + "/cli/plain@");
  }
}
