package dev.sigaudit.cli;

import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicySource;
import dev.sigaudit.policy.file.PolicyFileLoader;

/** How output names where a policy came from: its engine, and the file when read from one. */
final class PolicyOrigin {
  private PolicyOrigin() {}

  /**
   * {@code Kyverno ClusterPolicy from FILE document N}, {@code sigaudit policy from FILE document
   * N}, or {@code Kyverno ClusterPolicy in the cluster}.
   *
   * @param file where it was read, or null for a cluster object
   */
  static String describe(Policy p, PolicyFileLoader.Origin file) {
    String engine =
        switch (p.source()) {
          case SIGAUDIT_FILE -> "sigaudit policy";
          case KYVERNO -> "Kyverno " + kind(p, "ClusterPolicy");
          case KYVERNO_IMAGE_VALIDATING -> "Kyverno " + kind(p, "ImageValidatingPolicy");
          case SIGSTORE_CIP -> "Sigstore " + kind(p, "ClusterImagePolicy");
        };
    if (file == null) {
      return engine + (p.source() == PolicySource.SIGAUDIT_FILE ? "" : " in the cluster");
    }
    return engine + " from " + file;
  }

  /** The kind, from the {@code Kind/…} prefix cluster policies are named with. */
  private static String kind(Policy p, String fallback) {
    int slash = p.name().indexOf('/');
    return slash > 0 ? p.name().substring(0, slash) : fallback;
  }
}
