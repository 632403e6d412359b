package dev.sigaudit.model;

import java.util.List;

/**
 * What runs in the cluster: every container of every selected Pod.
 *
 * @param pods how many Pods were listed (before namespace filtering)
 */
public record Inventory(List<RunningContainer> containers, int pods) {
  public Inventory {
    containers = List.copyOf(containers);
  }
}
