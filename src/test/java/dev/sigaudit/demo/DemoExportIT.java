package dev.sigaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.CsvScan;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.SigauditCli;
import dev.sigaudit.testenv.TestEnvironment;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1RoleRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code sigaudit export} on the demo cluster (Deployments with replicas, a CronJob's Job, a bare
 * Pod; four policies of four dialects): the scan writes its reports and its own CSV files; then a
 * ServiceAccount that may only get and list PolicyReports and ClusterPolicyReports rebuilds the CSV
 * files from the cluster, byte for byte the scan's.
 */
@RealEnvironment
class DemoExportIT {
  static final String READER = "csv-reader";

  @Test
  void aReportReaderRebuildsTheScansCsvFilesFromTheCluster(TestEnvironment env) throws Exception {
    KubeApiServer kube = env.startPrivateKube();
    Path dir = env.newDirectory("export-");
    DemoCluster.Built cluster = DemoCluster.build(env, kube, dir);
    Path scanned = dir.resolve("scan");
    var scan =
        SigauditCli.run(
            "scan",
            "--kubeconfig",
            cluster.kubeconfig().toString(),
            "--policy",
            cluster.policyFile().toString(),
            "--cluster-name",
            "demo",
            "--csv-dir",
            scanned.toString(),
            "--insecure-registry",
            cluster.distribution().hostPort(),
            "--insecure-registry",
            cluster.referrers().hostPort(),
            "--progress-interval",
            "0");
    assertThat(scan.exitCode()).as(scan.stderr()).isZero();

    Path readerConfig =
        readOnlyServiceAccount(
            kube, dir, Map.of("wgpolicyk8s.io", List.of("policyreports", "clusterpolicyreports")));
    // The reader may not see Pods (nor anything else): a scan as the reader cannot even start.
    var denied =
        SigauditCli.run(
            "scan",
            "--kubeconfig",
            readerConfig.toString(),
            "--no-cluster-policies",
            "--policy",
            cluster.policyFile().toString(),
            "--no-policy-reports");
    assertThat(denied.exitCode()).as(denied.stderr()).isEqualTo(3);
    assertThat(denied.stderr()).contains("403");

    Path exported = dir.resolve("export");
    var export =
        SigauditCli.run(
            "export", "--kubeconfig", readerConfig.toString(), "--csv-dir", exported.toString());
    assertThat(export.exitCode()).as(export.stderr()).isZero();

    for (String file : List.of("results.csv", "enforce-readiness.csv")) {
      String own = Files.readString(scanned.resolve(file));
      assertThat(Files.readString(exported.resolve(file))).as(file).isEqualTo(own);
    }
    // Not trivially equal: the demo's rows, one per workload with its Pods.
    var rows = CsvScan.rows(exported.resolve("results.csv"));
    assertThat(rows).hasSize(DemoWorkload.ALL.size() * DemoIT.POLICIES.size());
    assertThat(rows.stream().map(r -> r.get("pod_count")).distinct()).contains("1", "2");
    assertThat(rows.stream().map(r -> r.get("status")).distinct()).contains("pass", "fail");
    assertThat(CsvScan.rows(exported.resolve("enforce-readiness.csv")))
        .extracting(r -> r.get("status"))
        .contains("pass", "fail");
  }

  /**
   * A ServiceAccount bound to a ClusterRole of {@code get} and {@code list} on the report kinds
   * given (resources by API group), nothing else; returns a kubeconfig with its token, once the
   * authorizer lets it list.
   */
  static Path readOnlyServiceAccount(
      KubeApiServer kube, Path dir, Map<String, List<String>> reportKinds) throws Exception {
    String ns = kube.createNamespace("readers", Map.of());
    kube.createServiceAccount(ns, READER);
    RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(kube.adminClient());
    String role = "sigaudit-report-reader-" + ns;
    rbac.createClusterRole(
            new V1ClusterRole()
                .metadata(new V1ObjectMeta().name(role))
                .rules(
                    reportKinds.entrySet().stream()
                        .map(
                            e ->
                                new V1PolicyRule()
                                    .apiGroups(List.of(e.getKey()))
                                    .resources(e.getValue())
                                    .verbs(List.of("get", "list")))
                        .toList()))
        .execute();
    rbac.createClusterRoleBinding(
            new V1ClusterRoleBinding()
                .metadata(new V1ObjectMeta().name(role))
                .roleRef(
                    new V1RoleRef()
                        .apiGroup("rbac.authorization.k8s.io")
                        .kind("ClusterRole")
                        .name(role))
                .subjects(
                    List.of(new RbacV1Subject().kind("ServiceAccount").name(READER).namespace(ns))))
        .execute();
    var reader = kube.serviceAccountClient(ns, READER);
    var api =
        new io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi(
            "wgpolicyk8s.io", "v1alpha2", "clusterpolicyreports", reader);
    // RBAC reaches the authorizer through an informer: allow it a moment.
    for (int i = 0; i < 100 && !api.list().isSuccess(); i++) {
      Thread.sleep(100);
    }
    return kube.writeKubeconfig(
        dir.resolve("reader-kc"), READER, kube.serviceAccountToken(ns, READER));
  }
}
