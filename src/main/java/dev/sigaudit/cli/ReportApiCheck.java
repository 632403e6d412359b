package dev.sigaudit.cli;

import dev.sigaudit.report.ReportApi;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1APIResource;
import io.kubernetes.client.openapi.models.V1APIResourceList;
import java.util.List;
import java.util.Optional;

/**
 * Whether the cluster serves the report API the scan is to write to, asked before the scan (API
 * discovery needs no permission beyond what any authenticated user has): a cluster without the CRD
 * would otherwise answer a full scan's writes with {@code 404 page not found}.
 */
final class ReportApiCheck {
  static final int DISCOVERY_TIMEOUT_MILLIS = 10_000;

  private ReportApiCheck() {}

  /**
   * Why the reports cannot be written, when discovery says so; empty when they are served or when
   * the apiserver could not be asked (reading the cluster then fails with its own message).
   */
  static Optional<String> notServed(ApiClient kube, ReportApi api) {
    String group = api.namespaced().group();
    String version = api.namespaced().version();
    List<String> needed = List.of(api.namespaced().plural(), api.cluster().plural());
    V1APIResourceList list;
    // One small request: an apiserver that does not answer it quickly will fail the scan's own
    // listing with its message, so this question must not add the scan's long read timeout.
    int readTimeout = kube.getReadTimeout();
    try {
      kube.setReadTimeout(DISCOVERY_TIMEOUT_MILLIS);
      list = new CustomObjectsApi(kube).getAPIResources(group, version).execute();
    } catch (ApiException e) {
      return e.getCode() == 404
          ? Optional.of(message(api, "is not served (404)"))
          : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    } finally {
      kube.setReadTimeout(readTimeout);
    }
    List<String> served =
        list.getResources() == null
            ? List.of()
            : list.getResources().stream().map(V1APIResource::getName).toList();
    List<String> missing = needed.stream().filter(n -> !served.contains(n)).toList();
    return missing.isEmpty()
        ? Optional.empty()
        : Optional.of(message(api, "does not serve " + String.join(" and ", missing)));
  }

  private static String message(ReportApi api, String what) {
    String cluster = "this cluster's API " + api.namespaced().apiVersion() + " " + what;
    return switch (api) {
      case WGPOLICYK8S ->
          cluster
              + ", so PolicyReports cannot be written: install the PolicyReport CRDs"
              + " (Kyverno and Policy Reporter ship them), or add --no-policy-reports"
              + " (--dry-run prints the reports instead)";
      case OPENREPORTS ->
          cluster
              + ", so OpenReports cannot be written: install the OpenReports CRDs"
              + " (openreports.io), use --report-api wgpolicyk8s or auto, or add"
              + " --no-policy-reports (--dry-run prints the reports instead)";
    };
  }
}
