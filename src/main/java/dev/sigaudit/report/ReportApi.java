package dev.sigaudit.report;

import java.util.Arrays;
import java.util.Optional;

/**
 * Which report API sigaudit writes ({@code --report-api}): the namespaced per-workload reports and
 * the cluster-scoped readiness report come in pairs. See docs/decisions/0007-report-api.md.
 */
public enum ReportApi {
  /** {@code wgpolicyk8s.io/v1alpha2} PolicyReport / ClusterPolicyReport (Kyverno's default). */
  WGPOLICYK8S("wgpolicyk8s", ReportFlavor.POLICY_REPORT, ReportFlavor.CLUSTER_POLICY_REPORT),
  /** {@code openreports.io/v1alpha1} Report / ClusterReport (Kubewarden's default). */
  OPENREPORTS("openreports", ReportFlavor.OPEN_REPORT, ReportFlavor.OPEN_CLUSTER_REPORT);

  private final String flag;
  private final ReportFlavor namespaced;
  private final ReportFlavor cluster;

  ReportApi(String flag, ReportFlavor namespaced, ReportFlavor cluster) {
    this.flag = flag;
    this.namespaced = namespaced;
    this.cluster = cluster;
  }

  /** The value of {@code --report-api}. */
  public String flag() {
    return flag;
  }

  /** The per-workload reports. */
  public ReportFlavor namespaced() {
    return namespaced;
  }

  /** The readiness report. */
  public ReportFlavor cluster() {
    return cluster;
  }

  public static Optional<ReportApi> byFlag(String value) {
    return Arrays.stream(values()).filter(a -> a.flag.equals(value)).findFirst();
  }
}
