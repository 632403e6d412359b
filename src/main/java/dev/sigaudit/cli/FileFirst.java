package dev.sigaudit.cli;

import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.file.PolicyFileLoader;
import java.io.PrintStream;
import java.util.List;

/**
 * A cluster policy given again as a file (a ClusterPolicy being edited, say) is judged once, as the
 * file has it: that is what the user asked to see, and two policies of one name would mix their
 * results in every report.
 */
final class FileFirst {
  private FileFirst() {}

  /** The cluster's policies without those a {@code --policy} file also defines. */
  static List<Policy> dropShadowed(
      List<Policy> fromCluster, PolicyFileLoader.Read fromFiles, PrintStream err) {
    return fromCluster.stream()
        .filter(
            p -> {
              PolicyFileLoader.Origin o = fromFiles.origins().get(p.name());
              if (o != null) {
                Log.info(
                    err, "policy %s: judged as %s has it, not as the cluster has it", p.name(), o);
              }
              return o == null;
            })
        .toList();
  }
}
