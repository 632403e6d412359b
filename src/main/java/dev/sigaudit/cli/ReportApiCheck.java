package dev.sigaudit.cli;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1APIResource;
import io.kubernetes.client.openapi.models.V1APIResourceList;
import java.util.List;
import java.util.Optional;

/**
 * Whether the cluster serves the PolicyReport API the scan is asked to write to, asked before the
 * scan (API discovery needs no permission beyond what any authenticated user has): a cluster
 * without the CRD would otherwise answer a full scan's writes with {@code 404 page not found}.
 */
final class ReportApiCheck {
  static final String GROUP = "wgpolicyk8s.io";
  static final String VERSION = "v1alpha2";
  private static final List<String> NEEDED = List.of("policyreports", "clusterpolicyreports");
  private static final int DISCOVERY_TIMEOUT_MILLIS = 10_000;

  private ReportApiCheck() {}

  /**
   * Why the reports cannot be written, when discovery says so; empty when they are served or when
   * the apiserver could not be asked (reading the cluster then fails with its own message).
   */
  static Optional<String> notServed(ApiClient kube) {
    V1APIResourceList list;
    // One small request: an apiserver that does not answer it quickly will fail the scan's own
    // listing with its message, so this question must not add the scan's long read timeout.
    int readTimeout = kube.getReadTimeout();
    try {
      kube.setReadTimeout(DISCOVERY_TIMEOUT_MILLIS);
      list = new CustomObjectsApi(kube).getAPIResources(GROUP, VERSION).execute();
    } catch (ApiException e) {
      return e.getCode() == 404 ? Optional.of(message("is not served (404)")) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    } finally {
      kube.setReadTimeout(readTimeout);
    }
    List<String> served =
        list.getResources() == null
            ? List.of()
            : list.getResources().stream().map(V1APIResource::getName).toList();
    List<String> missing = NEEDED.stream().filter(n -> !served.contains(n)).toList();
    return missing.isEmpty()
        ? Optional.empty()
        : Optional.of(message("does not serve " + String.join(" and ", missing)));
  }

  private static String message(String what) {
    return "this cluster's API "
        + GROUP
        + "/"
        + VERSION
        + " "
        + what
        + ", so PolicyReports cannot be written: install the PolicyReport CRDs"
        + " (Kyverno and Policy Reporter ship them), or add --no-policy-reports"
        + " (--dry-run prints the reports instead)";
  }
}
