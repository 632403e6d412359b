package dev.sigaudit.scan;

import dev.sigaudit.model.Inventory;
import java.util.function.IntConsumer;

/**
 * Where the scan learns what runs: the cluster's Pods in production ({@code cluster.PodInventory}),
 * a list in memory in tests. Declared here so that the scan needs no Kubernetes client.
 */
public interface ContainerSource {

  /**
   * Every container to audit; {@code podsListed} is told each page's Pod count as it arrives.
   *
   * @throws Unreadable when the containers cannot be listed: the scan cannot complete
   */
  Inventory list(IntConsumer podsListed) throws Unreadable;

  /** Listing failed; the message says what was refused or unreachable, for the operator. */
  final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    public Unreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
