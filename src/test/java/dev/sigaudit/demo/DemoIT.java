package dev.sigaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestEnvironment;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/demo --once}'s code path ({@link Demo#run}) in a private apiserver: the packaged
 * jar scans the demo cluster; its terminal output, reports, CSVs and metrics are what a user is
 * told to look at; and their normalized form is what {@code reports/examples/demo/} holds. After a
 * deliberate change of sigaudit's output, regenerate the examples with {@code
 * -Dsigaudit.demo.update=true} (see {@code reports/examples/demo/README.md}).
 */
@RealEnvironment
class DemoIT {
  static final Path COMMITTED = Path.of("reports", "examples", "demo");
  static final String FILE_POLICY = "release-signed-file";
  static final String FILE_RULE = "signed-by-release-key";
  static final Set<String> POLICIES =
      Set.of(
          FILE_POLICY,
          "ClusterPolicy/require-release-signature",
          "ImageValidatingPolicy/verify-release-signature",
          "ClusterImagePolicy/release-signed");

  @Test
  void theDemoScansItsClusterWithEveryOutputAndMatchesTheCommittedExamples(TestEnvironment env)
      throws Exception {
    KubeApiServer kube = env.startPrivateKube();
    Path out = env.newDirectory("demo-");
    Demo.Run run = Demo.run(env, kube, out, Path.of("").toAbsolutePath(), System.nanoTime());

    assertThat(run.scan().exitCode()).as(run.scan().stderr()).isZero();
    assertThat(run.scan().stdout())
        .contains("Enforce readiness")
        .containsPattern("POLICY +MODE +BLOCKED");
    for (String policy : POLICIES) {
      assertThat(run.scan().stdout()).contains(policy);
    }

    // The guide's first command works as printed: kubectl lists the reports of both namespaces.
    String guide = Demo.guide(env, run, true);
    String getPolr =
        guide.lines().filter(l -> l.endsWith(" get polr -A")).findFirst().orElseThrow().strip();
    Process kubectl = new ProcessBuilder(getPolr.split(" ")).redirectErrorStream(true).start();
    String listed = new String(kubectl.getInputStream().readAllBytes());
    assertThat(kubectl.waitFor()).as(listed).isZero();
    System.out.println("$ kubectl get polr -A\n" + listed); // what a user sees, in the test log
    assertThat(listed).contains("shop").contains("batch").contains("sigaudit");
    // One report per workload, with scope set: kubectl's KIND and NAME columns name it.
    assertThat(listed)
        .containsPattern("(?m)^shop +sigaudit-deployment-checkout +Deployment +checkout ")
        .containsPattern("(?m)^batch +sigaudit-cronjob-nightly-report +CronJob +nightly-report ");
    assertThat(guide)
        .contains(run.outputs().resultsCsv().toString())
        .contains(run.outputs().readinessCsv().toString());

    // PolicyReports in the cluster, read back through the API: one report per workload.
    for (String ns : DemoWorkload.namespaces()) {
      List<JsonNode> reports = DemoReports.policyReports(kube.adminClient(), ns);
      assertThat(reports).as("PolicyReports in " + ns).isNotEmpty();
      Set<String> workloads = new java.util.HashSet<>();
      // Each report is about its scope, the workload; its results do not repeat it.
      reports.forEach(
          r -> {
            assertThat(r.path("results")).isNotEmpty();
            r.path("results").forEach(res -> assertThat(res.has("resources")).isFalse());
            workloads.add(
                r.path("scope").path("kind").asText()
                    + "/"
                    + r.path("scope").path("name").asText());
          });
      assertThat(workloads)
          .containsExactlyInAnyOrderElementsOf(
              DemoWorkload.ALL.stream()
                  .filter(w -> w.namespace().equals(ns))
                  .map(w -> w.kind() + "/" + w.name())
                  .toList());
    }
    Set<String> readinessReport = new java.util.HashSet<>();
    DemoReports.readiness(kube.adminClient())
        .path("results")
        .forEach(r -> readinessReport.add(r.path("policy").asText()));
    // (policy-controller's no-match-policy joins the ClusterImagePolicy: a policy of its own.)
    assertThat(readinessReport).containsAll(POLICIES);

    // results.csv: one row for each (workload, container, policy, rule), with its Pods; every
    // policy
    // judges every workload; the policy file's verdicts are the ones each image kind must get.
    List<CSVRecord> rows = csv(run.outputs().resultsCsv());
    for (DemoWorkload w : DemoWorkload.ALL) {
      List<CSVRecord> mine =
          rows.stream()
              .filter(
                  r ->
                      r.get("namespace").equals(w.namespace())
                          && r.get("workload_kind").equals(w.kind().name())
                          && r.get("workload_name").equals(w.name()))
              .toList();
      Map<String, List<CSVRecord>> byRule =
          mine.stream()
              .collect(
                  Collectors.groupingBy(
                      r -> r.get("container") + "|" + r.get("policy") + "|" + r.get("rule")));
      assertThat(byRule.keySet().stream().map(k -> k.split("\\|")[1]).collect(Collectors.toSet()))
          .as(w.name() + ": policies judging it")
          .isEqualTo(POLICIES);
      byRule.forEach(
          (key, group) -> {
            assertThat(group).as(w.name() + " " + key + ": one row per workload").hasSize(1);
            assertThat(group.get(0).get("pod_count")).as(w.name()).isEqualTo("" + w.pods());
          });
      List<CSVRecord> file =
          byRule.get(DemoWorkload.CONTAINER + "|" + FILE_POLICY + "|" + FILE_RULE);
      assertThat(file).as(w.name() + ": the policy file's rule").isNotNull();
      for (CSVRecord r : file) {
        assertThat(r.get("status"))
            .as(w.name() + " (" + w.signing().description + "): " + r.get("reason"))
            .isEqualTo(w.signing().fileVerdict);
        assertThat(r.get("digest_source")).isEqualTo("imageID");
      }
    }
    Set<String> readinessPolicies =
        csv(run.outputs().readinessCsv()).stream()
            .map(r -> r.get("policy"))
            .collect(Collectors.toSet());
    assertThat(readinessPolicies).containsAll(POLICIES);
    assertThat(Files.readString(run.outputs().metrics())).contains("sigaudit_scan_success 1");

    // The committed examples are exactly what the demo produces, normalized.
    boolean update = Boolean.getBoolean("sigaudit.demo.update");
    List<String> differing = new ArrayList<>();
    for (String f : DemoExamples.FILES) {
      String now = Files.readString(run.examples().resolve(f));
      Path committed = COMMITTED.resolve(f);
      if (update) {
        Files.createDirectories(COMMITTED);
        Files.writeString(committed, now);
      } else if (!Files.exists(committed) || !Files.readString(committed).equals(now)) {
        differing.add(f);
      }
    }
    if (update) {
      String readme = Files.readString(ReadmeDemoSampleTest.README);
      Files.writeString(
          ReadmeDemoSampleTest.README,
          ReadmeDemoSampleTest.withSample(
              readme, Files.readString(run.examples().resolve("summary.txt"))));
    }
    assertThat(differing)
        .as(
            "the demo's output differs from %s (produced: %s). If the change is intended,"
                + " regenerate with -Dsigaudit.demo.update=true and review the diff",
            COMMITTED, run.examples())
        .isEmpty();
  }

  private static List<CSVRecord> csv(Path file) throws Exception {
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
