package dev.sigaudit.report;

import java.util.Objects;

/**
 * Which Kubernetes report type a document is written as. Report documents are built from a flavor
 * and nothing else, so writing another report API (OpenReports' {@code openreports.io}, say) is one
 * more value here, not another writer.
 *
 * @param group the API group, e.g. {@code wgpolicyk8s.io}
 * @param version the API version served by the CRD, e.g. {@code v1alpha2}
 * @param kind the object kind, e.g. {@code PolicyReport}
 * @param plural the resource name in URLs, e.g. {@code policyreports}
 * @param namespaced whether the objects live in namespaces
 */
public record ReportFlavor(
    String group, String version, String kind, String plural, boolean namespaced) {
  /** The namespaced report of the Kubernetes Policy WG ({@code kubectl get polr}). */
  public static final ReportFlavor POLICY_REPORT =
      new ReportFlavor("wgpolicyk8s.io", "v1alpha2", "PolicyReport", "policyreports", true);

  /** Its cluster-scoped sibling ({@code kubectl get cpolr}). */
  public static final ReportFlavor CLUSTER_POLICY_REPORT =
      new ReportFlavor(
          "wgpolicyk8s.io", "v1alpha2", "ClusterPolicyReport", "clusterpolicyreports", false);

  /** OpenReports' namespaced report ({@code openreports.io}, what Kubewarden writes by default). */
  public static final ReportFlavor OPEN_REPORT =
      new ReportFlavor("openreports.io", "v1alpha1", "Report", "reports", true);

  /** Its cluster-scoped sibling. */
  public static final ReportFlavor OPEN_CLUSTER_REPORT =
      new ReportFlavor("openreports.io", "v1alpha1", "ClusterReport", "clusterreports", false);

  public ReportFlavor {
    Objects.requireNonNull(group);
    Objects.requireNonNull(version);
    Objects.requireNonNull(kind);
    Objects.requireNonNull(plural);
  }

  /** {@code group/version}, as in a document's {@code apiVersion}. */
  public String apiVersion() {
    return group + "/" + version;
  }

  /** {@code kind ns/name} or {@code kind name}, for log lines and errors. */
  String describe(String namespace, String name) {
    return kind + " " + (namespaced ? namespace + "/" + name : name);
  }
}
