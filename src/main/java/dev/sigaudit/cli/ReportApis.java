package dev.sigaudit.cli;

import dev.sigaudit.cluster.ApiDiscovery;
import dev.sigaudit.report.ReportApi;
import java.util.List;
import java.util.Optional;

/**
 * {@code --report-api auto|wgpolicyk8s|openreports}, for {@code scan} (which API to write) and
 * {@code export} (which to read): the value of the flag, and which APIs the cluster serves in the
 * order {@code auto} prefers them (docs/decisions/0007-report-api.md). API discovery needs no
 * permission of sigaudit's own.
 */
final class ReportApis {
  /**
   * What {@code auto} prefers: OpenReports first, as its CRDs are there only because someone
   * installed them for their readers; the wgpolicyk8s ones come with nearly every Kyverno.
   */
  static final List<ReportApi> PREFERENCE = List.of(ReportApi.OPENREPORTS, ReportApi.WGPOLICYK8S);

  private ReportApis() {}

  /** The API {@code flag} names; empty for {@code auto}. */
  static Optional<ReportApi> parse(String flag) throws UsageException {
    if (flag.equals("auto")) {
      return Optional.empty();
    }
    Optional<ReportApi> api = ReportApi.byFlag(flag);
    if (api.isEmpty()) {
      throw UsageException.flag(
          "--report-api", "must be auto, wgpolicyk8s or openreports", "'" + flag + "'");
    }
    return api;
  }

  /** Whether the cluster serves both report kinds of {@code api}. */
  static boolean serves(ApiDiscovery discovery, ReportApi api) throws ApiDiscovery.Unavailable {
    for (var flavor : List.of(api.namespaced(), api.cluster())) {
      if (!discovery.serves(flavor.group(), flavor.version(), flavor.plural())) {
        return false;
      }
    }
    return true;
  }

  /** The APIs the cluster serves, in {@link #PREFERENCE} order. */
  static List<ReportApi> served(ApiDiscovery discovery) throws ApiDiscovery.Unavailable {
    List<ReportApi> served = new java.util.ArrayList<>();
    for (ReportApi api : PREFERENCE) {
      if (serves(discovery, api)) {
        served.add(api);
      }
    }
    return served;
  }

  /** {@code group/version} of both kinds, for messages. */
  static String describe(ReportApi api) {
    return api.namespaced().apiVersion()
        + " "
        + api.namespaced().plural()
        + " and "
        + api.cluster().plural();
  }
}
