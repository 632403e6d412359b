package dev.sigaudit.cluster;

import dev.sigaudit.model.RunningContainer;
import java.util.List;

/**
 * What runs in the cluster: every container of every selected Pod.
 *
 * @param pods how many Pods were listed (before namespace filtering)
 * @param warnings problems that did not stop the listing (e.g. owners not readable)
 */
public record Inventory(List<RunningContainer> containers, int pods, List<String> warnings) {
  public Inventory {
    containers = List.copyOf(containers);
    warnings = List.copyOf(warnings);
  }
}
