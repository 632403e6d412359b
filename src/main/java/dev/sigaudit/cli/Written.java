package dev.sigaudit.cli;

import dev.sigaudit.report.ClusterReportWriter;
import dev.sigaudit.report.OutputStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One output of a finished scan as the summary lists it at the end: what it is, where to find it,
 * and whether it was written.
 *
 * @param what e.g. {@code results.csv}, {@code PolicyReports}
 * @param where a path, a URL or the command that shows it
 */
record Written(String what, String where, boolean ok) {

  String line() {
    return (ok ? "" : "NOT WRITTEN (see the log): ") + what + (where.isEmpty() ? "" : ": " + where);
  }

  /** Each status with where its output went, in the order they were written. */
  static List<Written> of(List<OutputStatus> statuses, ScanConfig config) {
    return statuses.stream().map(s -> of(s, config)).toList();
  }

  private static Written of(OutputStatus s, ScanConfig config) {
    String name = s.output();
    Optional<Path> csv = config.outputs().csvDir();
    String where;
    if (name.endsWith(".csv") && csv.isPresent()) {
      where = csv.get().resolve(name).toString();
    } else if (name.equals(ClusterReportWriter.NAME)) {
      where =
          config.outputs().dryRun()
              ? "printed above (--dry-run)"
              : "kubectl get clusterpolicyreport " + ClusterReportWriter.NAME + " -o yaml";
      name = "readiness report " + name;
    } else if (s.report()) {
      where =
          config.outputs().dryRun()
              ? "printed above (--dry-run)"
              : "kubectl get "
                  + name.toLowerCase(java.util.Locale.ROOT)
                  + " -A"
                  + " -l app.kubernetes.io/managed-by=sigaudit";
    } else if (name.equals("verification cache")) {
      where = config.cache().file().map(Path::toString).orElse("");
    } else {
      // The metrics name their own target ("metrics file F", "Pushgateway URL").
      where = "";
    }
    return new Written(name, where, s.ok());
  }
}
