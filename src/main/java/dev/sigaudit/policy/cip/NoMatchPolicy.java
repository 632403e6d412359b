package dev.sigaudit.policy.cip;

import java.util.Map;

/**
 * What policy-controller does with an image in an opted-in namespace that no {@code
 * ClusterImagePolicy} matches: key {@code no-match-policy} of ConfigMap {@code
 * config-policy-controller} (in the controller's namespace).
 */
public enum NoMatchPolicy {
  /** Admit it. */
  ALLOW,
  /** Admit it with a warning. */
  WARN,
  /** Reject it: policy-controller's default. */
  DENY;

  /**
   * The value policy-controller derives from the ConfigMap's data: {@code allow}, {@code warn} or
   * {@code deny}; anything else, or no value, is {@link #DENY} (it fails closed).
   */
  public static NoMatchPolicy fromConfigMap(Map<String, String> data) {
    return switch (data.getOrDefault("no-match-policy", "")) {
      case "allow" -> ALLOW;
      case "warn" -> WARN;
      default -> DENY;
    };
  }
}
